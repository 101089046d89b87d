"""After an OTP directory import: what SAMHSA's complete list says about
listings (see otp.py for the rules). `otp_directory_snapshot` dates the
listings the file lists and flags the certified ones in its states it does
not list; `otp_services_ensure` gives every certified OTP the OTP level and
methadone, whatever order the files came in."""

import datetime
import functools
import operator
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from directory.models import FieldProvenance, Program
from directory.services import program_links_insert

from .cleaning import normalize_words
from .otp import INFERRED_NOTE, METHADONE, OTP_LEVEL

INFERRED_SLUGS = {"levels_of_care": OTP_LEVEL, "medications": METHADONE}


@dataclass
class OtpSnapshot:
    """What an OTP directory import found about listings it did not list."""

    flagged: list[str] = field(default_factory=list)  # slugs newly "not in the latest directory"
    confirmed: list[str] = field(default_factory=list)  # slugs listed again after being flagged
    states: set[str] = field(default_factory=set)

    def summary(self) -> str:
        if not self.states:
            return ""
        text = (
            f"{len(self.flagged)} certified OTP listing(s) in the states this file covers are not in it: "
            "flagged 'Not in the latest OTP directory'"
        )
        if self.confirmed:
            text += f"; {len(self.confirmed)} flagged before are listed again"
        return text


def otp_directory_snapshot(
    *, listed_slugs: set[str], skipped: list[tuple[str, str]], states: set[str], as_of: datetime.date,
    file_name: str, dry_run: bool = False,
) -> OtpSnapshot:  # fmt: skip
    """After an OTP directory import (a complete list, dated `as_of`):
    listings it lists are "in the OTP directory of" as_of (never moved back
    to an older date) and lose an older "missing" flag; certified listings
    in its states that it does not list, and that no newer directory
    listed, are flagged missing since as_of. `skipped` holds the (ZIP,
    normalised name) of rows the import could not match for certain: a
    listing that may be one of them is left alone."""
    result = OtpSnapshot(states=set(states))
    listed = Program.objects.filter(slug__in=listed_slugs) if listed_slugs else Program.objects.none()
    updates = []
    for program in listed.only("pk", "slug", "otp_listed_on", "otp_missing_since"):
        changed = []
        if program.otp_listed_on is None or program.otp_listed_on < as_of:
            program.otp_listed_on = as_of
            changed.append("otp_listed_on")
        if program.otp_missing_since is not None and program.otp_missing_since <= as_of:
            program.otp_missing_since = None
            changed.append("otp_missing_since")
            result.confirmed.append(program.slug)
        if changed:
            updates.append((program, changed))
    candidates = (
        Program.objects.filter(otp_certified=True, state__in=states)
        .exclude(slug__in=listed_slugs)
        .filter(Q(otp_listed_on__isnull=True) | Q(otp_listed_on__lt=as_of))
        .only("pk", "slug", "name", "alternate_name", "zip_code", "otp_listed_on", "otp_missing_since")
    )
    unsure = set(skipped)
    provenance = dict(
        FieldProvenance.objects.filter(program__in=candidates).values_list("program_id", "fields")
    )
    for program in candidates:
        names = {normalize_words(program.name), normalize_words(program.alternate_name)}
        if any((program.zip_code, name) in unsure for name in names):
            continue
        if _certified_after(provenance.get(program.pk, {}), as_of):
            continue  # a newer source certified it than this directory
        if program.otp_missing_since is not None and program.otp_missing_since <= as_of:
            continue  # already flagged by an earlier directory
        program.otp_missing_since = as_of
        updates.append((program, ["otp_missing_since"]))
        result.flagged.append(program.slug)
    if not dry_run and updates:
        stamp = {"source": "samhsa-otp-directory", "file": file_name, "at": timezone.now().isoformat()}
        with transaction.atomic():
            groups: dict[tuple, list[Program]] = {}
            for program, changed in updates:
                groups.setdefault(tuple(sorted(set(changed))), []).append(program)
            now = timezone.now()
            for names, programs in groups.items():
                for program in programs:
                    program.updated_at = now
                Program.objects.bulk_update(programs, [*names, "updated_at"], batch_size=500)
            _stamp({program.pk: dict.fromkeys(changed, stamp) for program, changed in updates})
    return result


def _certified_after(fields: dict, as_of: datetime.date) -> bool:
    """Did a source dated after `as_of` set the listing's certification?
    The source's data date (`as_of`, when the import recorded one) or,
    failing that, the day it was imported."""
    origin = fields.get("otp_certified")
    if not origin or origin.get("source") == "samhsa-otp-directory":
        return False
    when = str(origin.get("as_of") or origin.get("at") or "")[:10]
    try:
        return datetime.date.fromisoformat(when) > as_of
    except ValueError:
        return False


def _stamp(stamps: dict[int, dict]) -> None:
    """Merge {program id: {field: stamp}} into the programs' provenance."""
    rows = {row.program_id: row for row in FieldProvenance.objects.filter(program_id__in=list(stamps))}
    new = []
    for pk, fields in stamps.items():
        row = rows.get(pk) or FieldProvenance(program_id=pk, fields={})
        row.fields = {**row.fields, **fields}
        if pk not in rows:
            new.append(row)
    FieldProvenance.objects.bulk_create(new, batch_size=1000)
    FieldProvenance.objects.bulk_update(list(rows.values()), ["fields"], batch_size=500)


def otp_services_ensure(*, file_name: str, source_key: str, dry_run: bool = False) -> list[str]:
    """Every certified OTP has the OTP level and methadone, whatever order
    files came in (a later locator row listing other medications replaces
    the set): the missing links are added, with provenance noting they are
    inferred from certification. Returns the slugs it changed."""
    checks = {}
    for relation, slug in INFERRED_SLUGS.items():
        through = getattr(Program, relation).through
        target = getattr(Program, relation).field.m2m_reverse_field_name()
        checks[relation] = Exists(
            through.objects.filter(program_id=OuterRef("pk"), **{f"{target}__slug": slug})
        )
    lacking = (
        Program.objects.filter(otp_certified=True)
        .annotate(**{f"has_{relation}": check for relation, check in checks.items()})
        .filter(functools.reduce(operator.or_, (Q(**{f"has_{relation}": False}) for relation in checks)))
        .values_list("pk", "slug", *(f"has_{relation}" for relation in checks))
    )
    changed: dict[int, list[str]] = {}
    slugs = []
    for pk, slug, *has in lacking:  # one query; usually nothing
        changed[pk] = [relation for relation, present in zip(checks, has, strict=True) if not present]
        slugs.append(slug)
    if dry_run or not changed:
        return slugs
    stamp = {"source": source_key, "file": file_name, "at": timezone.now().isoformat()}
    with transaction.atomic():
        for relation, slug in INFERRED_SLUGS.items():
            term = Program._meta.get_field(relation).related_model.objects.filter(slug=slug).first()
            pairs = [(pk, term.pk) for pk, names in changed.items() if relation in names and term]
            program_links_insert(field_name=relation, pairs=pairs)
        Program.objects.filter(pk__in=list(changed)).update(updated_at=timezone.now())
        _stamp(
            {
                pk: {
                    name: {**stamp, "inferred": f"{INFERRED_SLUGS[name]}: {INFERRED_NOTE}"} for name in names
                }
                for pk, names in changed.items()
            }
        )
    return slugs
