"""Writing cleaned import records to the database, in bulk
(`programs_import`, re-exported by directory.services).

Rules (issue 10):
- A field is written only when the file has its column; a vocabulary term
  only when the file speaks about its codes.
- An empty cell or an empty term list does not erase a value that another
  source provided: only the source that set the value (per its provenance),
  or the site's own export, may empty it.
- Every value an import writes records its provenance (source, file, when)
  in FieldProvenance.
- Distinct programs are never merged: two records with different source ids
  are two programs; only the same id, or the same normalised name + second
  name + address, is the same program. Every merge is reported.
- Data dates (issue 21): every value records the date of its data
  ("as_of"); who may replace what is the rule in directory/provenance.py
  (an older file never replaces a newer value; a center's or staff's value
  only a newer file).
- Facility identity (issue 21): a row without a matching id or exact
  name+address is compared with the listings at its normalised address
  (importing/identity.py): the same facility is updated and reported, a
  possible one is written as a draft and queued for staff (MatchReview);
  staff decisions are remembered by the row's key."""

import datetime
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from directory.models import FieldProvenance, MatchReview, Organization, Program
from directory.provenance import (
    OWN_EXPORT,
    PEOPLE,
    PROVENANCE_SKIP,
    TERM_SEPARATOR,
    make_stamp,
    stamp_beats,
    term_key,
)
from directory.services import program_links_insert, search_index_changed

from . import identity
from .cleaning import Record, normalize_words, shared_terms
from .codes import RELATION_MODELS


@dataclass
class RowOutcome:
    row: int
    status: str  # created, updated, unchanged, skipped, merged
    name: str = ""
    external_id: str = ""
    slug: str = ""
    notes: list[str] = field(default_factory=list)
    matched: str = ""  # the same facility as an existing listing, found by identity: why
    review: str = ""  # written as a draft and queued for match review: why


def _site_key(name: str, street1: str, zip_code: str) -> tuple[str, str, str]:
    return (normalize_words(name), normalize_words(street1), zip_code or "")


def _record_site(record: Record) -> tuple[str, str, str]:
    f = record.fields
    return _site_key(f.get("name", ""), f.get("street1", ""), f.get("zip_code", ""))


def _facility(values: dict) -> identity.Facility:
    """A record's fields or a stored listing's values, as identity compares them."""
    return identity.Facility(
        name=values.get("name") or "",
        second_name=values.get("alternate_name") or "",
        street1=values.get("street1") or "",
        zip_code=values.get("zip_code") or "",
        phones=tuple(values.get(name) or "" for name in ("phone", "intake_phone")),
    )


def _decision_key(record: Record, source_key: str) -> str:
    return identity.decision_key(
        source_key=source_key, external_id=record.external_id, facility=_facility(record.fields)
    )


@dataclass
class Match:
    """What a row is, among the stored listings."""

    pk: int | None = None
    skip: str = ""  # ambiguous: the row is skipped with this reason
    note: str = ""  # found by identity (or a staff decision): reported
    unsure: int | None = None  # possibly this listing: staff decide
    unsure_reason: str = ""
    score: float | None = None


IDENTITY_FIELDS = {"name", "alternate_name", "street1", "zip_code", "phone", "intake_phone"}


@dataclass
class _Existing:
    """Every program's current values in memory, so matching and comparing a
    whole file costs a handful of queries instead of several per row."""

    values: dict[int, dict]
    links: dict[str, dict[int, set[int]]]
    provenance: dict[int, dict]
    by_id: dict[tuple[str, str], int]
    by_slug: dict[str, int]
    by_site: dict[tuple, list[int]]  # (name, street, ZIP) -> programs there
    by_zip: dict[str, list[int]] = field(default_factory=dict)
    decisions: dict[str, tuple[str, int | None]] = field(default_factory=dict)  # key -> (status, listing)
    pending_keys: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, *, fields: set[str], link_fields: set[str]) -> "_Existing":
        wanted = fields | IDENTITY_FIELDS | {"slug", "source", "external_id"}
        values = {row["id"]: row for row in Program.objects.values("id", *wanted).iterator(chunk_size=5000)}
        links = {}
        for field_name in link_fields:
            model_field = Program._meta.get_field(field_name)
            through = model_field.remote_field.through
            pairs = through.objects.values_list(model_field.m2m_column_name(), model_field.m2m_reverse_name())
            links[field_name] = {}
            for program_id, term_id in pairs.iterator(chunk_size=20000):
                links[field_name].setdefault(program_id, set()).add(term_id)
            # One shared frozenset per distinct set of terms: many programs have the same.
            links[field_name] = {pk: shared_terms(ids) for pk, ids in links[field_name].items()}
        provenance = {
            pk: _shared_stamps(fields)
            for pk, fields in FieldProvenance.objects.values_list("program_id", "fields").iterator(
                chunk_size=5000
            )
        }
        existing = cls(values, links, provenance, {}, {}, {})
        for pk, row in values.items():
            existing.index(pk, row)
        reviews = MatchReview.objects.order_by("decided_at", "pk").values_list(
            "key", "status", "candidate_id"
        )
        for key, status, candidate in reviews.iterator(chunk_size=5000):
            if status == MatchReview.Status.PENDING:
                existing.pending_keys.add(key)
            else:
                existing.decisions[key] = (status, candidate)
        return existing

    def index(self, pk: int, row: dict) -> None:
        if row["external_id"]:
            self.by_id[(row["source"], row["external_id"])] = pk
        self.by_slug[row["slug"]] = pk
        self.by_site.setdefault(_site_key(row["name"], row["street1"], row["zip_code"]), []).append(pk)
        self.by_zip.setdefault(row["zip_code"] or "", []).append(pk)

    def match(self, record: Record, *, source_key: str = "") -> Match:
        """A listing id, a reason to skip (ambiguous: not guessed), or a
        possible listing for staff to decide about."""
        if record.external_id and (record.source, record.external_id) in self.by_id:
            return Match(self.by_id[(record.source, record.external_id)])
        decision, excluded = self.decisions.get(_decision_key(record, source_key)), set()
        if decision and decision[1] in self.values:
            if decision[0] == MatchReview.Status.MERGED:
                return Match(decision[1], note="the same facility (staff decided in the match review)")
            excluded.add(decision[1])
        slug = record.fields.get("slug")
        if slug and slug in self.by_slug:
            return Match(self.by_slug[slug])
        candidates = []
        for pk in self.by_site.get(_record_site(record), []):
            row = self.values[pk]
            if self._other_id(record, row):
                continue  # another program of the same source: a different id is a different program
            candidates.append(pk)
        if "alternate_name" in record.fields:
            wanted = normalize_words(record.fields["alternate_name"])
            candidates = [
                pk for pk in candidates if normalize_words(self.values[pk]["alternate_name"]) == wanted
            ]
        if len(candidates) > 1:
            return Match(
                skip=(
                    f"matches {len(candidates)} programs with this name at this address; "
                    "the file has no second name (name2) or id to tell them apart"
                )
            )
        if candidates:
            return Match(candidates[0])
        return self.match_identity(record, excluded)

    @staticmethod
    def _other_id(record: Record, row: dict) -> bool:
        return bool(record.external_id and row["external_id"] and row["source"] == record.source)

    def match_identity(self, record: Record, excluded: set[int]) -> Match:
        """The listings at the row's normalised address, by name and phone."""
        incoming = _facility(record.fields)
        if not incoming.address:
            return Match()
        same, unsure = [], []
        for pk in self.by_zip.get(record.fields.get("zip_code") or "", []):
            row = self.values[pk]
            if pk in excluded or self._other_id(record, row):
                continue
            verdict = identity.compare(incoming, _facility(row))
            if verdict.kind == identity.SAME:
                same.append((pk, verdict))
            elif verdict.kind == identity.UNSURE:
                unsure.append((pk, verdict))
        if len(same) > 1:
            return Match(
                skip=f"may be any of {len(same)} programs at this address ({same[0][1].reason}); not guessed"
            )
        if same:
            pk, verdict = same[0]
            return Match(pk, note=f"the same facility as {self.values[pk]['slug']} ({verdict.reason})")
        if unsure:
            pk, verdict = max(unsure, key=lambda item: item[1].score)
            return Match(unsure=pk, unsure_reason=verdict.reason, score=verdict.score)
        return Match()


_STAMPS: dict[tuple, dict] = {}


def _shared_stamps(fields) -> dict:
    """A program's provenance with one shared object per distinct stamp
    ({source, file, at}), and one per distinct provenance: a whole import
    writes one stamp, so tens of thousands of programs would otherwise each
    hold copies of the same few. Read only: a new provenance is a new dict."""
    if not isinstance(fields, dict):
        return fields
    if len(_STAMPS) > 100_000:
        _STAMPS.clear()
    shared = {}
    for name, stamp in fields.items():
        try:
            key = tuple(sorted(stamp.items())) if isinstance(stamp, dict) else None
            shared[sys.intern(name)] = _STAMPS.setdefault(key, stamp) if key is not None else stamp
        except TypeError:  # an unhashable value: keep it as it is
            shared[sys.intern(name)] = stamp
    # Programs written by the same imports have the same provenance: share it too.
    key = ("program", " ".join(sorted(f"{name}:{id(stamp)}" for name, stamp in shared.items())))
    return _STAMPS.setdefault(key, shared)


def programs_import(
    *,
    records: list[Record],
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    source_key: str = "",
    file_name: str = "",
    as_of: datetime.date | None = None,
) -> list[RowOutcome]:
    """Create or update programs from cleaned import records, in bulk.

    A program is the same when its source and external id match, or (our own
    format) its slug, or else its normalized name, second name and street
    address in the same ZIP (never when both carry different ids of the same
    source), or else when identity finds it at the same normalised address
    (importing/identity.py). Rows that are the same program as an earlier
    row are merged into it. Only the fields a file gives are compared and
    written, so re-importing a file changes nothing. `source_key`,
    `file_name` and `as_of` (the date of the file's data; default today)
    are recorded as the provenance of every value written."""
    stamp = make_stamp(source=source_key or "import", file_name=file_name, as_of=as_of)
    outcomes = {record.row: RowOutcome(record.row, "skipped", notes=list(record.notes)) for record in records}
    for record in records:
        if record.error:
            outcomes[record.row].notes.insert(0, record.error)
    good = _merge_duplicates([r for r in records if not r.error], outcomes)
    _resolve_references(good, dry_run=dry_run)
    existing = _Existing.load(
        fields={name for r in good for name in r.fields},
        link_fields={name for r in good for name in r.links},
    )
    creates, updates, link_changes, provenance = [], [], [], {}
    reviews: dict[int, tuple[Record, Match]] = {}  # row -> (record, match) queued for staff
    new_by_zip: dict[str, list[Record]] = {}  # rows that create a program, for identity within the file
    claimed: dict[int, Record] = {}
    for done, record in enumerate(good, start=1):
        outcome = outcomes[record.row]
        outcome.name, outcome.external_id = record.fields.get("name", ""), record.external_id
        found = existing.match(record, source_key=stamp["source"])
        if found.skip:
            outcome.notes.insert(0, found.skip)
        elif found.pk is not None and found.pk in claimed and _same_or_no_ids(claimed[found.pk], record):
            _merge(claimed[found.pk], record, outcome, why="matches the same program")
        elif found.pk is None or found.pk in claimed:  # a row with another id is another program
            first, why = _same_as_new(record, new_by_zip)
            if first is not None:
                _merge(first, record, outcome, why=why)
            elif record.no_create:  # e.g. mental health only (importing/otp.py)
                outcome.notes.insert(0, record.no_create)
            elif "city" not in record.fields or "state" not in record.fields:
                outcome.notes.insert(0, "new program, but the file has no city or state column")
            else:
                creates.append(record)
                new_by_zip.setdefault(record.fields.get("zip_code") or "", []).append(record)
                if found.unsure is not None and found.pk is None:
                    _hold_for_review(record, found, existing, outcome, reviews, source_key=stamp["source"])
        else:
            claimed[found.pk] = record
            if found.note:
                outcome.matched = found.note
                outcome.notes.insert(0, found.note)
            changes = _plan_update(found.pk, record, existing, outcome, updates, link_changes, stamp)
            if changes:
                merged = {**existing.provenance.get(found.pk, {}), **_stamps(record, changes)}
                provenance[found.pk] = {key: value for key, value in merged.items() if value is not None}
        if progress:
            progress(done, len(good))
    _plan_creates(creates, existing, outcomes)
    if not dry_run:
        with transaction.atomic():
            created = _write(creates, updates, link_changes)
            _write_provenance(created, creates, provenance, existing, stamp)
            _write_reviews(created, creates, reviews, stamp)
            transaction.on_commit(search_index_changed)
    return [outcomes[record.row] for record in records]


def _same_as_new(record: Record, new_by_zip: dict[str, list[Record]]) -> tuple[Record | None, str]:
    """An earlier row of this file that creates the same facility."""
    incoming = _facility(record.fields)
    if not incoming.address:
        return None, ""
    for first in new_by_zip.get(record.fields.get("zip_code") or "", []):
        if not _same_or_no_ids(first, record):
            continue
        verdict = identity.compare(incoming, _facility(first.fields))
        if verdict.kind == identity.SAME:
            return first, f"the same facility: {verdict.reason}"
    return None, ""


def _hold_for_review(record, found: Match, existing, outcome, reviews, *, source_key: str) -> None:
    """Possibly an existing listing: written as a draft (not published) and
    queued for staff, unless this row is already waiting for them."""
    key = _decision_key(record, source_key)
    if key in existing.pending_keys:
        return
    existing.pending_keys.add(key)
    slug = existing.values[found.unsure]["slug"]
    outcome.review = f"may be the same facility as {slug} ({found.unsure_reason})"
    outcome.notes.insert(0, f"{outcome.review}: written as a draft and held for match review")
    record.fields.setdefault("status", Program.Status.DRAFT)
    reviews[record.row] = (record, found)


def _stamps(record: Record, stamps: dict) -> dict:
    """Provenance stamps (field or field-and-term key -> stamp), saying so
    where the import inferred the value (record.inferred: methadone and the
    OTP level from SAMHSA OTP certification)."""
    return {
        key: {**stamp, "inferred": record.inferred[base]}
        if stamp is not None and (base := key.split(TERM_SEPARATOR)[0]) in record.inferred
        else stamp
        for key, stamp in stamps.items()
    }


def _same_or_no_ids(first: Record, second: Record) -> bool:
    return not (first.external_id and second.external_id and first.external_id != second.external_id)


def _merge_duplicates(records: list[Record], outcomes: dict[int, RowOutcome]) -> list[Record]:
    """Rows of one file that are one program: same source id, or (when
    neither id says otherwise) same name, second name and address."""
    kept, by_id, by_site = [], {}, {}
    for record in records:
        key = (record.source, record.external_id)
        site = (*_record_site(record), normalize_words(record.fields.get("alternate_name", "")))
        first, why = None, ""
        if record.external_id and key in by_id:
            first, why = by_id[key], "same source id"
        else:
            for candidate in by_site.get(site, []):
                if not (record.external_id and candidate.external_id):
                    first, why = candidate, "same name, second name and address"
                    break
        if first:
            _merge(first, record, outcomes[record.row], why=why)
            continue
        kept.append(record)
        if record.external_id:
            by_id[key] = record
        by_site.setdefault(site, []).append(record)
    return kept


def _merge(into: Record, duplicate: Record, outcome: RowOutcome, *, why: str) -> None:
    """Fill what the first row lacks from the duplicate; vocabularies add up."""
    # A record's links and covered maps may be shared with other records
    # (cleaning.shared_terms): copy before changing.
    into.links, into.covered = dict(into.links), dict(into.covered)
    for name, value in duplicate.fields.items():
        if into.fields.get(name) in (None, "", False) and value not in (None, ""):
            into.fields[name] = value
    for name, ids in duplicate.links.items():
        into.links[name] = {*into.links.get(name, ()), *ids}
        if name in duplicate.covered:
            mine, theirs = into.covered.get(name, set()), duplicate.covered[name]
            into.covered[name] = None if mine is None or theirs is None else mine | theirs
    outcome.status = "merged"
    outcome.name, outcome.external_id = duplicate.fields.get("name", ""), duplicate.external_id
    outcome.notes.insert(0, f"duplicate of row {into.row} ({why}): merged into it")


def _resolve_references(records: list[Record], *, dry_run: bool) -> None:
    """Organization slugs and usernames (our own format) become ids."""
    wanted = {r.organization[0]: r.organization[1] for r in records if r.organization and r.organization[0]}
    organizations = dict(Organization.objects.filter(slug__in=wanted).values_list("slug", "pk"))
    missing = [
        Organization(slug=slug, name=name) for slug, name in wanted.items() if slug not in organizations
    ]
    if missing and not dry_run:
        Organization.objects.bulk_create(missing)
        organizations.update(Organization.objects.filter(slug__in=wanted).values_list("slug", "pk"))
    usernames = {r.verified_by for r in records if r.verified_by}
    User = get_user_model()
    users = dict(
        User.objects.filter(**{f"{User.USERNAME_FIELD}__in": usernames}).values_list(
            User.USERNAME_FIELD, "pk"
        )
    )
    for record in records:
        if record.organization is not None:
            record.fields["organization_id"] = organizations.get(record.organization[0])
        if record.verified_by is not None:
            record.fields["verified_by_id"] = users.get(record.verified_by)
            if record.verified_by and record.verified_by not in users:
                record.notes.append(f"verified_by: no user {record.verified_by!r}")


def _empty(value) -> bool:
    return value in (None, "", False) or value == set()


def _may_erase(name: str, pk: int, existing: _Existing, source_key: str, record: Record) -> bool:
    """May this file empty the program's value of `name`? Only if the value
    came from this same source, or the file is the site's own export. A
    value without provenance (entered before provenance was kept) belongs
    to the program's own source."""
    if source_key == OWN_EXPORT:
        return True
    origin = existing.provenance.get(pk, {}).get(name)
    if origin:
        return origin.get("source") == source_key
    return existing.values[pk]["source"] == record.source


def _takes_over(stamp: dict, origin: dict | None) -> bool:
    """A newer file confirming an import's value takes over its provenance
    (a person's value keeps theirs; a re-import of the same file changes
    nothing)."""
    if not origin or origin.get("source") in PEOPLE:
        return False
    if (origin.get("source"), origin.get("as_of")) == (stamp["source"], stamp["as_of"]):
        return False
    return stamp_beats(stamp, origin)


def _plan_update(pk, record, existing, outcome, updates, link_changes, stamp) -> dict:
    """Plan one program's changes; returns its provenance changes (key ->
    stamp, or None to drop the key)."""
    source_key = stamp["source"]
    current = existing.values[pk]
    origins = existing.provenance.get(pk, {})
    fields = dict(record.fields)
    if fields.get("slug") and fields["slug"] != current["slug"] and fields["slug"] in existing.by_slug:
        outcome.notes.append(
            f"slug {fields.pop('slug')!r} belongs to another program; kept {current['slug']!r}"
        )
    if current["external_id"] and not record.external_id:
        fields.pop("external_id", None)
        fields.pop("source", None)
    kept, newer = [], []
    changed, stamps = {}, {}
    for name, value in fields.items():
        origin = origins.get(name) if name not in PROVENANCE_SKIP else None
        if (
            _empty(value)
            and not _empty(current.get(name))
            and not _may_erase(name, pk, existing, source_key, record)
        ):
            kept.append(name)
            continue
        if not stamp_beats(stamp, origin, old_is_empty=_empty(current.get(name))):
            if current.get(name) != value:
                newer.append(name)
            continue
        if current.get(name) == value:
            if name not in PROVENANCE_SKIP and _takes_over(stamp, origin):
                stamps[name] = stamp
            continue
        changed[name] = value
        if name not in PROVENANCE_SKIP:
            stamps[name] = stamp
    if "coordinate_flag" in changed and "latitude" not in changed and "longitude" not in changed:
        changed.pop("coordinate_flag")
    changed_links = {}
    for name, ids in record.links.items():
        have = existing.links[name].get(pk, set())
        new, term_stamps, blocked = _plan_terms(name, have, ids, record.covered.get(name), origins, stamp)
        if blocked:
            newer.append(name)
        if new != have and not new and not _may_erase(name, pk, existing, source_key, record):
            kept.append(name)
            continue
        stamps.update(term_stamps)
        if new != have:
            changed_links[name] = new
    outcome.slug = changed.get("slug", current["slug"])
    outcome.status = "updated" if changed or changed_links else "unchanged"
    if changed or changed_links:
        outcome.notes.append("changed: " + ", ".join(sorted({*changed, *changed_links})))
        # updated_at moves even when only links changed: search caches key on it.
        updates.append((pk, {**current, **changed}, set(changed)))
    if kept:
        outcome.notes.append("kept (another source set them): " + ", ".join(sorted(kept)))
    if newer:
        outcome.notes.append("kept (newer data than this file's): " + ", ".join(sorted(set(newer))))
    for name, ids in changed_links.items():
        link_changes.append((name, pk, ids))
    return stamps


def _plan_terms(name, have: set, ids: set, covered, origins: dict, stamp: dict):
    """One vocabulary, term by term: (the new term set, provenance changes,
    whether newer data kept some term). A term's stamp is its own
    ("levels_of_care:12", from a file that covers only some terms) or else
    the vocabulary's."""
    whole = origins.get(name)
    speaks = (have | ids) if covered is None else set(covered)
    new, stamps, blocked = set(have), {}, False
    decided = set()
    for term in speaks:
        own = origins.get(term_key(name, term))
        origin = own or whole
        if not stamp_beats(stamp, origin, old_is_empty=not have):
            blocked = blocked or ((term in ids) != (term in have))
            if covered is None and own is None and origin is not None:
                stamps[term_key(name, term)] = origin  # keeps its newer stamp under ours
            continue
        decided.add(term)
        if term in ids:
            new.add(term)
        else:
            new.discard(term)
    if covered is None:
        if new == have and not _takes_over(stamp, whole):
            return new, {}, blocked  # the vocabulary's stamp stays: so do its terms'
        stamps[name] = stamp  # blocked terms keep their newer stamp as their own (above)
        for term in decided:
            if term_key(name, term) in origins:
                stamps[term_key(name, term)] = None
    else:
        for term in decided:
            origin = origins.get(term_key(name, term)) or whole
            if (term in new) != (term in have) or _takes_over(stamp, origin):
                stamps[term_key(name, term)] = stamp
    return new, stamps, blocked


def _plan_creates(records: list[Record], existing: _Existing, outcomes: dict[int, RowOutcome]) -> None:
    taken = set(existing.by_slug)
    for record in records:
        for name, value in record.defaults.items():
            record.fields.setdefault(name, value)
        fields = record.fields
        slug = fields.get("slug")
        if not slug or slug in taken:
            slug = Program.unique_slug(fields["name"], fields.get("city", ""), fields["state"], taken=taken)
        taken.add(slug)
        fields["slug"] = slug
        if "status" not in fields and record.source == Program.Source.SAMHSA:
            fields["status"] = Program.Status.PUBLISHED
        outcomes[record.row].status = "created"
        outcomes[record.row].slug = slug


def _created_provenance(record: Record, stamp: dict) -> dict:
    names = [n for n, v in record.fields.items() if n not in PROVENANCE_SKIP and not _empty(v)]
    result = dict.fromkeys(names, stamp)
    for name, ids in record.links.items():
        covered = record.covered.get(name)
        if covered is None:
            if ids:
                result[name] = stamp
        else:
            result.update({term_key(name, term): stamp for term in covered})
    return result


def _write_provenance(
    created_ids: list[int], creates: list[Record], updated: dict[int, dict], existing, stamp: dict
) -> None:
    """One FieldProvenance row per program: new ones for created programs
    (and updated ones that had none), the stored ones updated otherwise."""
    new, old = [], []
    for pk, record in zip(created_ids, creates, strict=True):
        fields = _stamps(record, _created_provenance(record, stamp))
        if fields:
            new.append(FieldProvenance(program_id=pk, fields=fields))
        if len(new) >= CREATE_CHUNK:  # a large file: a chunk at a time
            FieldProvenance.objects.bulk_create(new, batch_size=1000)
            new = []
    for pk, fields in updated.items():
        row = FieldProvenance(
            program_id=pk, fields={n: v for n, v in fields.items() if n not in PROVENANCE_SKIP}
        )
        (old if pk in existing.provenance else new).append(row)
    FieldProvenance.objects.bulk_create(new, batch_size=1000)
    if old:
        ids = [row.program_id for row in old]
        pks = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            pks.update(FieldProvenance.objects.filter(program_id__in=chunk).values_list("program_id", "pk"))
        for row in old:
            row.pk = pks[row.program_id]
        FieldProvenance.objects.bulk_update(old, ["fields"], batch_size=500)


def _json_value(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _write_reviews(created_ids: list[int], creates: list[Record], reviews: dict, stamp: dict) -> None:
    """The match review queue's rows for the drafts written from unsure rows."""
    if not reviews:
        return
    created = {record.row: pk for pk, record in zip(created_ids, creates, strict=True)}
    rows = []
    for row, (record, found) in reviews.items():
        rows.append(
            MatchReview(
                key=_decision_key(record, stamp["source"]),
                incoming={name: _json_value(value) for name, value in record.fields.items()},
                incoming_program_id=created.get(row),
                candidate_id=found.unsure,
                source=stamp["source"],
                file_name=stamp["file"][:255],
                as_of=stamp["as_of"],
                reason=found.unsure_reason[:200],
                score=found.score,
                publish_if_separate=record.source == Program.Source.SAMHSA,
            )
        )
    MatchReview.objects.bulk_create(rows, batch_size=500)


CREATE_CHUNK = 2000


def _write(creates: list[Record], updates: list, link_changes: list) -> list[int]:
    """Returns the ids of the created programs, in the order of `creates`."""
    now = timezone.now()
    created = []
    # In chunks, so a large file never has all its new Program objects in memory at once.
    for start in range(0, len(creates), CREATE_CHUNK):
        chunk = creates[start : start + CREATE_CHUNK]
        programs = Program.objects.bulk_create([Program(**record.fields) for record in chunk])
        for field_name in RELATION_MODELS:
            pairs = [
                (program.pk, term_id)
                for program, record in zip(programs, chunk, strict=True)
                for term_id in sorted(record.links.get(field_name, ()))
            ]
            program_links_insert(field_name=field_name, pairs=pairs)
        created.extend(program.pk for program in programs)
    groups: dict[frozenset, list[Program]] = {}
    for pk, values, changed in updates:
        names = frozenset(changed)
        values = {name: values[name] for name in names}
        groups.setdefault(names, []).append(Program(pk=pk, updated_at=now, **values))
    for names, objs in groups.items():
        Program.objects.bulk_update(objs, [*names, "updated_at"], batch_size=500)
    for field_name in RELATION_MODELS:
        changes = [(pk, ids) for name, pk, ids in link_changes if name == field_name]
        if not changes:
            continue
        through = getattr(Program, field_name).through
        ids = [pk for pk, _ in changes]
        for start in range(0, len(ids), 500):
            through.objects.filter(program_id__in=ids[start : start + 500]).delete()
        pairs = [(pk, term_id) for pk, term_ids in changes for term_id in sorted(term_ids)]
        program_links_insert(field_name=field_name, pairs=pairs)
    return created
