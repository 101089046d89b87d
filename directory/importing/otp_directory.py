"""What OTP certification means across listings, after an import (the
rules are in otp.py).

SAMHSA's OTP directory is the complete list of certified OTPs, so the
newest complete directory loaded for a state is the reference for it:
`otp_directory_listed` dates the listings a directory lists
(`otp_listed_on`, never moved back by an older file); `otp_listings_check`,
after every import, flags a certified listing whose state has a newer
complete directory than any that listed it (`otp_missing_since`: "not in
the latest OTP directory") and clears the flag once a directory as new
lists it, then gives every certified OTP the OTP level and methadone. The
newest directory of a state is read from the listings themselves (the
newest `otp_listed_on` there), so loading files in any order gives the
same flags; a file that is not the whole list (`--otp-partial`) dates
nothing."""

import datetime
import functools
import operator
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from directory.models import FieldProvenance, Program
from directory.services import program_links_insert

from .otp import INFERRED_NOTE, METHADONE, OTP_LEVEL

INFERRED_SLUGS = {"levels_of_care": OTP_LEVEL, "medications": METHADONE}
OTP_DIRECTORY_SOURCE = "samhsa-otp-directory"


@dataclass
class OtpCheck:
    """What the certification check changed, for the import's summary."""

    flagged: list[str] = field(default_factory=list)  # slugs now "not in the latest OTP directory"
    confirmed: list[str] = field(default_factory=list)  # slugs a directory lists again
    services: list[str] = field(default_factory=list)  # slugs given the OTP level or methadone

    @property
    def slugs(self) -> set[str]:
        return {*self.flagged, *self.confirmed, *self.services}

    def summary(self) -> str:
        parts = []
        if self.flagged:
            parts.append(
                f"{len(self.flagged)} certified OTP listing(s) flagged 'Not in the latest OTP directory'"
            )
        if self.confirmed:
            parts.append(f"{len(self.confirmed)} listed again by an OTP directory (flag cleared)")
        if self.services:
            parts.append(f"{len(self.services)} certified OTP listing(s) given methadone or the OTP level")
        return "; ".join(parts)


def otp_directory_listed(*, listed_slugs: set[str], as_of: datetime.date, dry_run: bool = False) -> int:
    """The listings a complete OTP directory dated `as_of` lists are "in the
    OTP directory of" as_of, unless a newer one listed them already. One
    query (an UPDATE), none for a dry run. Returns how many moved."""
    if dry_run or not listed_slugs:
        return 0
    moved = 0
    slugs = sorted(listed_slugs)
    for start in range(0, len(slugs), 500):
        moved += (
            Program.objects.filter(slug__in=slugs[start : start + 500])
            .filter(Q(otp_listed_on__isnull=True) | Q(otp_listed_on__lt=as_of))
            .update(otp_listed_on=as_of, updated_at=timezone.now())
        )
    return moved


def otp_listings_check(*, file_name: str, source_key: str, dry_run: bool = False) -> OtpCheck:
    """After every import: flags from the newest complete directory of each
    state, and the OTP services of every certified listing (see the
    module's docstring). Two queries when nothing needs changing."""
    result = OtpCheck()
    latest = dict(
        Program.objects.filter(otp_listed_on__isnull=False)
        .values("state")
        .annotate(latest=Max("otp_listed_on"))
        .values_list("state", "latest")
    )
    stamp = {"source": OTP_DIRECTORY_SOURCE, "file": file_name, "at": timezone.now().isoformat()}
    if latest:
        _check_flags(latest, result, stamp, dry_run=dry_run)
    result.services = otp_services_ensure(file_name=file_name, source_key=source_key, dry_run=dry_run)
    return result


def _check_flags(latest: dict, result: OtpCheck, stamp: dict, *, dry_run: bool) -> None:
    wrong = Q()
    for state, day in latest.items():
        not_listed = Q(otp_listed_on__isnull=True) | Q(otp_listed_on__lt=day)
        unflagged = Q(otp_missing_since__isnull=True) | ~Q(otp_missing_since=day)
        listed = Q(otp_listed_on__gte=day, otp_missing_since__isnull=False)
        wrong |= Q(state=state) & ((not_listed & unflagged) | listed)
    programs = list(
        Program.objects.filter(otp_certified=True)
        .filter(wrong)
        .only("pk", "slug", "state", "otp_listed_on", "otp_missing_since")
    )
    for program in programs:
        day = latest[program.state]
        if program.otp_listed_on is not None and program.otp_listed_on >= day:
            program.otp_missing_since = None
            result.confirmed.append(program.slug)
        else:
            program.otp_missing_since = day
            result.flagged.append(program.slug)
    if dry_run or not programs:
        return
    now = timezone.now()
    for program in programs:
        program.updated_at = now
    with transaction.atomic():
        Program.objects.bulk_update(programs, ["otp_missing_since", "updated_at"], batch_size=500)
        _stamp({program.pk: {"otp_missing_since": stamp} for program in programs})


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
