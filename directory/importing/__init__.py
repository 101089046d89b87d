"""Importing facility files: reading each format into raw records
(`formats`), checking and cleaning them (`cleaning`), mapping SAMHSA labels
and codes to the project's vocabularies (`codes`, with the label variants in
directory/data/samhsa_label_variants.tsv) and writing them in bulk with
per-field provenance (`upsert`). import_file runs the whole chain for one file."""

import datetime
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from config import csv_safe
from directory.models import Program
from directory.services import programs_search_index

from . import cleaning, dates, formats
from .codes import TermMap
from .otp_directory import OtpCheck, otp_directory_listed, otp_listings_check
from .upsert import programs_import

STATUSES = ["created", "updated", "unchanged", "merged", "skipped"]


@dataclass
class ImportReport:
    format: str
    outcomes: list = field(default_factory=list)  # services.RowOutcome, in file order
    file_notes: list[str] = field(default_factory=list)
    dry_run: bool = False
    unknown: Counter = field(default_factory=Counter)  # unknown label or code -> occurrences
    as_of: datetime.date | None = None  # the date of the file's data
    as_of_how: str = ""  # where that date came from
    mental_health_only: int = 0  # rows of mental-health-only facilities
    include_mental_health: bool = False
    incomplete: int = 0  # published listings this file wrote that have no phone or website
    otp: OtpCheck | None = None  # what OTP certification changed across listings

    def notices(self) -> list[str]:
        """A few lines for the summary: what families will not see, and why."""
        lines = []
        if self.mental_health_only:
            what = (
                "imported unpublished"
                if self.include_mental_health
                else "not imported as addiction treatment"
            )
            lines.append(f"{self.mental_health_only} row(s) are mental-health-only facilities: {what}")
        if self.incomplete:
            lines.append(f"{self.incomplete} listing(s) have no phone or website: not shown in search")
        if self.otp and self.otp.summary():
            lines.append(self.otp.summary())
        return lines

    @property
    def counts(self) -> Counter:
        counts = Counter(dict.fromkeys(STATUSES, 0))
        counts.update(outcome.status for outcome in self.outcomes)
        return counts

    def summary(self) -> str:
        counts = self.counts
        prefix = "Dry run, nothing written. Would have: " if self.dry_run else ""
        return prefix + ", ".join(f"{status} {counts[status]}" for status in STATUSES) + f" ({self.format})"

    def unknown_summary(self, limit: int = 30) -> str:
        """'unknown labels: 3 distinct, 7 rows: "TC: Foo" x4, ...' or ''."""
        if not self.unknown:
            return ""
        shown = ", ".join(f"{label!r} x{n}" for label, n in self.unknown.most_common(limit))
        more = f", and {len(self.unknown) - limit} more (see the report)" if len(self.unknown) > limit else ""
        total = sum(self.unknown.values())
        return f"unknown labels or codes: {len(self.unknown)} distinct, {total} occurrences: {shown}{more}"

    @property
    def merges(self) -> list[str]:
        return [f"row {o.row}: {o.notes[0]}" for o in self.outcomes if o.status == "merged" and o.notes]

    @property
    def matches(self) -> list[str]:
        """Rows found to be an existing listing by identity (address, name, phone)."""
        return [f"row {o.row}: {o.name}: {o.matched}" for o in self.outcomes if o.matched]

    @property
    def reviews(self) -> list[str]:
        """Rows written as drafts and queued for the match review."""
        return [f"row {o.row}: {o.name}: {o.review}" for o in self.outcomes if o.review]

    def identity_summary(self) -> str:
        """'same facility as an existing listing: 3; held for match review: 1' or ''."""
        parts = []
        if self.matches:
            parts.append(
                f"same facility as an existing listing (by address and name or phone): {len(self.matches)}"
            )
        if self.reviews:
            parts.append(f"possible duplicates held as drafts for match review: {len(self.reviews)}")
        return "; ".join(parts)

    @property
    def damaged(self) -> int:
        """Rows with text that looks damaged by a PDF scrape and was left as is."""
        return sum(1 for o in self.outcomes if any(cleaning.DAMAGED_NOTE in note for note in o.notes))

    def summary_notes(self) -> list[str]:
        """Counts worth a look, one line each; the rows are in the report."""
        lines = []
        if self.counts["merged"]:
            lines.append(
                f"{self.counts['merged']} row(s) merged into an earlier row of the file: see the report"
            )
        if self.damaged:
            lines.append(
                f"{self.damaged} row(s) with text that looks damaged by a PDF scrape (left as is): "
                "see the report"
            )
        return lines

    def write(self, path: Path) -> None:
        """One line per row with what happened and why."""
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv_safe.writer(handle)
            writer.writerow(["row", "status", "slug", "name", "external_id", "notes"])
            if self.as_of:
                writer.writerow(["", "file", "", "", "", f"data date {self.as_of} ({self.as_of_how})"])
            for note in self.file_notes:
                writer.writerow(["", "file", "", "", "", note])
            for label, n in self.unknown.most_common():
                writer.writerow(["", "unknown", "", "", "", f"{label} ({n} occurrences)"])
            for o in self.outcomes:
                writer.writerow([o.row, o.status, o.slug, o.name, o.external_id, "; ".join(o.notes)])


def import_file(
    path: Path,
    *,
    fmt: str | None = None,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    include_mental_health: bool = False,
    otp_partial: bool = False,
    as_of: datetime.date | None = None,
    columns: dict[str, str] | None = None,
) -> ImportReport:
    """Read, clean and upsert one facility file. `columns` maps a file's
    column to one of our fields ({"ID": "name"}; formats.MAPPABLE_FIELDS).
    Raises formats.FormatError when the file as a whole cannot be read (cut
    off, malformed, a mapping that does not fit): then nothing is written.
    A bad row is only skipped. The file is streamed: only the cleaned
    records are kept in memory. `as_of` is the date of the file's data
    (default: what the file says, else its modification date). An OTP
    directory is a complete list unless `otp_partial`."""
    path = Path(path)
    as_of_how = "given"
    if as_of is None:
        as_of, as_of_how = dates.data_date(path)
    read = formats.read(path, fmt, columns=columns)
    terms = TermMap.load()
    # The whole file is read (and a malformed one refused) before anything is written.
    records = [
        cleaning.clean(raw, fmt=read.format, terms=terms, include_mental_health=include_mental_health)
        for raw in read.records
    ]
    unknown = Counter(label for record in records for label in record.unknown)
    source_key = formats.SOURCE_KEYS[read.format]
    report = ImportReport(read.format, [], read.file_notes, dry_run, unknown, as_of, as_of_how)
    report.include_mental_health = include_mental_health
    report.mental_health_only = sum(1 for record in records if record.mental_health_only)
    outcomes = programs_import(
        records=records,
        dry_run=dry_run,
        progress=progress,
        source_key=source_key,
        file_name=path.name,
        as_of=as_of,
    )
    changed = {o.slug for o in outcomes if o.status in {"created", "updated", "merged"} and o.slug}
    # Then what OTP certification means across listings (otp_directory.py),
    # each step in its own transaction: the next import repeats the check.
    if read.format == formats.SAMHSA_OTP and not otp_partial:
        listed = {o.slug for o in outcomes if o.slug}
        otp_directory_listed(listed_slugs=listed, as_of=as_of, dry_run=dry_run)
    report.otp = otp_listings_check(file_name=path.name, source_key=source_key, dry_run=dry_run)
    changed |= report.otp.slugs
    report.outcomes = outcomes
    report.incomplete = _incomplete(records, outcomes, dry_run=dry_run)
    if not dry_run:
        programs_search_index(slugs=changed)
    return report


CONTACT_FIELDS = ("phone", "intake_phone", "hotline_phone", "website")


def _incomplete(records, outcomes, *, dry_run) -> int:
    """Published listings this file created or matched that families
    cannot contact (models.CONTACTABLE); for a dry run, the new ones."""
    if dry_run:
        by_row = {o.row: o for o in outcomes}
        return sum(
            1
            for r in records
            if by_row[r.row].status == "created"
            and r.fields.get("status", Program.Status.PUBLISHED) == Program.Status.PUBLISHED
            and not any(r.fields.get(name) for name in CONTACT_FIELDS)
        )
    slugs = [o.slug for o in outcomes if o.slug]
    count = 0
    for start in range(0, len(slugs), 500):
        count += Program.objects.published().incomplete().filter(slug__in=slugs[start : start + 500]).count()
    return count
