"""Merging listings that are one facility into one (issue 21): from the
match review queue, the admin's "Merge into one listing" action and
`manage.py merge_duplicates`.

The surviving listing keeps every field's best value by provenance
(directory/provenance.py: the newest data; a center's or staff's value over
an older file; on a tie, the survivor's own), a vocabulary whole with its
stamps, the position with the street it belongs to, the most recent
availability and verification. The merged listings' old slugs answer 301 to
it (ProgramRedirect), their problem reports, match reviews and Wagtail
history (revisions and log entries, moved by object id) become the
survivor's, and a log entry on the survivor names each merged listing.
Apps built on the directory move their own rows (inquiries, claims, page
views) when `programs_merged` is sent; the directory imports none of them."""

import datetime
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry, Revision

from . import vocabularies
from .models import FieldProvenance, MatchReview, ProblemReport, Program, ProgramRedirect
from .provenance import TERM_SEPARATOR, stamp_beats

# Sent inside the merge's transaction, before the merged listings are
# deleted: survivor (a Program) and merged_ids (their ids). Receivers move
# their rows that point at the merged listings to the survivor (portal and
# inquiries register theirs in their apps' ready()).
programs_merged = Signal()

MERGE_ACTION = "directory.merge"

# Compared field by field, by provenance.
VALUE_FIELDS = (
    "name", "alternate_name", "description", "street1", "street2", "city", "state", "zip_code", "county",
    "phone", "intake_phone", "hotline_phone", "website", "inquiry_email", "hours", "offers_telehealth",
    "license_number", "license_state", "otp_certified",
)  # fmt: skip
POSITION = ("latitude", "longitude", "coordinate_flag")  # go with the street
AVAILABILITY = ("accepting_clients", "open_beds", "availability_updated_at")  # the most recent
VERIFICATION = ("verified_at", "verified_by_id")  # the most recent


class MergeError(ValueError):
    pass


@dataclass
class MergeResult:
    survivor: Program
    merged: list[tuple[int, str, str]] = field(default_factory=list)  # (id, name, slug)
    notes: list[str] = field(default_factory=list)


def _empty(value) -> bool:
    return value in (None, "", False) or value == []


def _better(new: dict | None, old: dict | None) -> bool:
    """Strictly better provenance: a tie keeps the survivor's value."""
    return bool(new) and stamp_beats(new, old) and not (old and stamp_beats(old, new))


def _pick(candidates: list[tuple[object, dict | None, Program]]) -> tuple[object, dict | None, Program]:
    """(value, stamp, listing): the survivor's first; another's wins when the
    survivor's is empty or the other's provenance is strictly better."""
    best = candidates[0]
    for candidate in candidates[1:]:
        value, stamp, _ = candidate
        if _empty(value):
            continue
        if _empty(best[0]) or (best[1] and _better(stamp, best[1])):
            best = candidate
    return best


def programs_merge(*, survivor: Program, merged: list[Program], user=None) -> MergeResult:
    """Merge `merged` into `survivor` (see the module's docstring)."""
    merged = [program for program in merged if program.pk != survivor.pk]
    if not merged:
        raise MergeError("Choose at least two different listings to merge.")
    result = MergeResult(survivor)
    with transaction.atomic():
        ids = [survivor.pk, *(program.pk for program in merged)]
        programs = {p.pk: p for p in Program.objects.select_for_update().filter(pk__in=ids)}
        if len(programs) != len(ids):
            raise MergeError("A listing to merge no longer exists.")
        survivor = result.survivor = programs[survivor.pk]
        others = [programs[pk] for pk in ids[1:]]
        provenance = dict(
            FieldProvenance.objects.filter(program_id__in=ids).values_list("program_id", "fields")
        )
        stamps = _merge_values(survivor, others, provenance, result)
        links = _merge_links(survivor, others, provenance, stamps)
        _move_directory_rows(survivor, others, result)
        programs_merged.send(sender=Program, survivor=survivor, merged_ids=[p.pk for p in others])
        result.merged = [(p.pk, p.name, p.slug) for p in others]
        for program in others:
            program.delete()
        survivor.save()
        for name, term_ids in links.items():
            getattr(survivor, name).set(term_ids)
        FieldProvenance.objects.update_or_create(program=survivor, defaults={"fields": stamps})
        for pk, name, slug in result.merged:
            log(
                instance=survivor,
                action=MERGE_ACTION,
                user=user,
                data={"merged_id": pk, "merged_name": name, "merged_slug": slug},
            )
    return result


def _merge_values(survivor: Program, others: list[Program], provenance: dict, result: MergeResult) -> dict:
    own = provenance.get(survivor.pk, {})
    stamps = {key: value for key, value in own.items() if key.split(TERM_SEPARATOR)[0] not in VALUE_FIELDS}
    listings = [survivor, *others]
    for name in VALUE_FIELDS:
        value, stamp, winner = _pick(
            [(getattr(p, name), provenance.get(p.pk, {}).get(name), p) for p in listings]
        )
        setattr(survivor, name, value)
        if stamp:
            stamps[name] = stamp
        else:
            stamps.pop(name, None)
        if name == "street1" and winner is not survivor:
            for position in POSITION:
                setattr(survivor, position, getattr(winner, position))
    never = datetime.datetime.min.replace(tzinfo=datetime.UTC)
    latest = max(listings, key=lambda p: p.availability_updated_at or never)
    for name in AVAILABILITY:
        setattr(survivor, name, getattr(latest, name))
    checked = max(listings, key=lambda p: p.verified_at or datetime.date.min)
    for name in VERIFICATION:
        setattr(survivor, name, getattr(checked, name))
    if not survivor.external_id:
        with_id = next((p for p in others if p.external_id), None)
        if with_id:
            survivor.source, survivor.external_id = with_id.source, with_id.external_id
            with_id.external_id = ""  # freed before the survivor takes it (unique per source)
            Program.objects.filter(pk=with_id.pk).update(external_id="")
    organizations = {p.organization_id for p in others if p.organization_id} - {survivor.organization_id}
    if survivor.organization_id is None and organizations:
        survivor.organization_id = min(organizations)
        organizations.discard(survivor.organization_id)
    if organizations:
        result.notes.append(
            "kept the survivor's organization; the other organization(s) no longer run this listing"
        )
    if survivor.status == Program.Status.DRAFT:
        published = [p for p in others if p.status != Program.Status.DRAFT]
        if published:
            survivor.status = published[0].status
    return stamps


def _merge_links(survivor: Program, others: list[Program], provenance: dict, stamps: dict) -> dict:
    """Each vocabulary whole from the listing whose stamp for it is best."""
    listings = [survivor, *others]
    result = {}
    for vocabulary in vocabularies.all_vocabularies():
        name = vocabulary.relation
        sets = {p.pk: set(getattr(p, name).values_list("pk", flat=True)) for p in listings}

        def stamp_of(program, name=name):
            fields = provenance.get(program.pk, {})
            own = [fields[k] for k in fields if k.startswith(name + TERM_SEPARATOR)]
            return fields.get(name) or (own[0] if own else None)

        _, _, winner = _pick([(sorted(sets[p.pk]), stamp_of(p), p) for p in listings])
        result[name] = sorted(sets[winner.pk])
        for key in [k for k in stamps if k == name or k.startswith(name + TERM_SEPARATOR)]:
            del stamps[key]
        for key, value in provenance.get(winner.pk, {}).items():
            if key == name or key.startswith(name + TERM_SEPARATOR):
                stamps[key] = value
    return result


def _move_directory_rows(survivor: Program, others: list[Program], result: MergeResult) -> None:
    merged_ids = [p.pk for p in others]
    ProblemReport.objects.filter(program_id__in=merged_ids).update(program=survivor)
    MatchReview.objects.filter(candidate_id__in=merged_ids).update(candidate=survivor)
    ProgramRedirect.objects.filter(program_id__in=merged_ids).update(program=survivor)
    ProgramRedirect.objects.filter(old_slug=survivor.slug).delete()
    ProgramRedirect.objects.bulk_create(
        [ProgramRedirect(old_slug=p.slug, program=survivor) for p in others], ignore_conflicts=True
    )
    # Wagtail history: the merged listings' revisions and log entries become
    # the survivor's (the revisions are kept, not deleted with the listing).
    content_type = ContentType.objects.get_for_model(Program)
    old_ids = [str(pk) for pk in merged_ids]
    Revision.objects.filter(base_content_type=content_type, object_id__in=old_ids).update(
        object_id=str(survivor.pk)
    )
    ModelLogEntry.objects.filter(content_type=content_type, object_id__in=old_ids).update(
        object_id=str(survivor.pk)
    )
    Program.objects.filter(pk__in=merged_ids).update(latest_revision=None, live_revision=None)


def review_decide(*, review: MatchReview, same: bool, user=None) -> MergeResult | None:
    """Staff's decision on a possible duplicate: merge the row's draft into
    the existing listing, or keep them apart (the draft is published when
    the row would have been). Remembered for the next import either way."""
    with transaction.atomic():
        review = MatchReview.objects.select_for_update().get(pk=review.pk)
        if review.status != MatchReview.Status.PENDING:
            raise MergeError("This possible duplicate has already been decided.")
        result = None
        if same:
            if review.candidate is None:
                raise MergeError("The existing listing no longer exists.")
            if review.incoming_program is not None:
                result = programs_merge(
                    survivor=review.candidate, merged=[review.incoming_program], user=user
                )
            review.status = MatchReview.Status.MERGED
        else:
            draft = review.incoming_program
            if draft is not None and review.publish_if_separate and draft.status == Program.Status.DRAFT:
                draft.status = Program.Status.PUBLISHED
                draft.save(update_fields=["status", "updated_at"])
            review.status = MatchReview.Status.SEPARATE
        review.decided_at, review.decided_by = timezone.now(), user
        review.save(update_fields=["status", "decided_at", "decided_by"])
    return result
