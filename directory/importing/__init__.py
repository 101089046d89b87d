"""Importing facility files: reading each format into raw records
(`formats`), checking and cleaning them (`cleaning`), mapping SAMHSA labels
and codes to the project's vocabularies (`codes`, with the label variants in
directory/data/samhsa_label_variants.tsv) and writing them in bulk with
per-field provenance (`upsert`). import_file runs the whole chain for one file."""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from config import csv_safe
from directory.services import programs_search_index

from . import cleaning, formats
from .codes import TermMap
from .upsert import programs_import

STATUSES = ["created", "updated", "unchanged", "merged", "skipped"]


@dataclass
class ImportReport:
    format: str
    outcomes: list = field(default_factory=list)  # services.RowOutcome, in file order
    file_notes: list[str] = field(default_factory=list)
    dry_run: bool = False
    unknown: Counter = field(default_factory=Counter)  # unknown label or code -> occurrences

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
    columns: dict[str, str] | None = None,
) -> ImportReport:
    """Read, clean and upsert one facility file. `columns` maps a file's
    column to one of our fields ({"ID": "name"}; formats.MAPPABLE_FIELDS).
    Raises formats.FormatError when the file as a whole cannot be read (cut
    off, malformed, a mapping that does not fit): then nothing is written.
    A bad row is only skipped. The file is streamed: only the cleaned
    records are kept in memory."""
    path = Path(path)
    read = formats.read(path, fmt, columns=columns)
    terms = TermMap.load()
    # The whole file is read (and a malformed one refused) before anything is written.
    records = [cleaning.clean(raw, fmt=read.format, terms=terms) for raw in read.records]
    unknown = Counter(label for record in records for label in record.unknown)
    outcomes = programs_import(
        records=records,
        dry_run=dry_run,
        progress=progress,
        source_key=formats.SOURCE_KEYS[read.format],
        file_name=path.name,
    )
    if not dry_run:
        changed = {o.slug for o in outcomes if o.status in {"created", "updated", "merged"} and o.slug}
        programs_search_index(slugs=changed)
    return ImportReport(read.format, outcomes, read.file_notes, dry_run, unknown)
