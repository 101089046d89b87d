"""The project's own facility format (CSV and JSON): one description of the
columns, used by `manage.py export_facilities` (backups, round trips through
`import_facilities`) and by the CSV download of directory searches.

EXPORT_COLUMNS is what may be shown to anyone; BACKUP_COLUMNS adds what must
never leave the site except in a staff backup (the inquiry email and who
verified the listing)."""

import json
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import IO

from config import csv_safe

from .importing.codes import VOCABULARIES
from .models import Program

FORMAT_NAME = "findcare"
FORMAT_VERSION = 1
LIST_SEPARATOR = "; "

EXPORT_COLUMNS = [
    "slug",
    "name",
    "alternate_name",
    "organization",
    "organization_slug",
    "status",
    "description",
    "street1",
    "street2",
    "city",
    "state",
    "zip_code",
    "county",
    "latitude",
    "longitude",
    "coordinate_flag",
    "phone",
    "intake_phone",
    "hotline_phone",
    "website",
    "hours",
    *VOCABULARIES,  # levels_of_care, medications, payment_options, populations, languages, accreditations
    "offers_telehealth",
    "accepting_clients",
    "open_beds",
    "availability_updated_at",
    "license_number",
    "license_state",
    "otp_certified",
    "verified_at",
    "source",
    "external_id",
    "is_sample",
]
PRIVATE_COLUMNS = ["inquiry_email", "verified_by"]
BACKUP_COLUMNS = EXPORT_COLUMNS + PRIVATE_COLUMNS


def export_queryset(programs=None):
    """Programs with everything the export reads, fetched in few queries."""
    programs = Program.objects.all() if programs is None else programs
    return (
        programs.select_related("organization", "verified_by").prefetch_related(*VOCABULARIES).order_by("pk")
    )


def program_values(program: Program, columns: list[str]) -> dict:
    """One program as plain JSON-ready values, keyed by column."""
    values = {}
    for column in columns:
        if column in VOCABULARIES:
            value = [term.slug for term in getattr(program, column).all()]
        elif column == "organization":
            value = program.organization.name if program.organization else ""
        elif column == "organization_slug":
            value = program.organization.slug if program.organization else ""
        elif column == "verified_by":
            value = program.verified_by.get_username() if program.verified_by else ""
        else:
            value = getattr(program, column)
        if isinstance(value, datetime | date):
            value = value.isoformat()
        values[column] = value
    return values


def iter_values(programs: Iterable[Program], columns: list[str]) -> Iterator[dict]:
    if hasattr(programs, "iterator"):
        programs = programs.iterator(chunk_size=2000)
    for program in programs:
        yield program_values(program, columns)


def csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return LIST_SEPARATOR.join(value)
    return str(value)


def csv_lines(programs: Iterable[Program], *, columns: list[str] = EXPORT_COLUMNS, file=None) -> Iterator:
    """The CSV, line by line: header, one row per program (formula-safe
    cells, see config/csv_safe.py), then the end-of-file line with the row
    count. With `file`, lines are written to it (and the iterator yields
    what its write returns)."""
    writer = csv_safe.writer(file)
    yield writer.writerow(columns)
    count = 0
    for values in iter_values(programs, columns):
        yield writer.writerow([csv_cell(values[column]) for column in columns])
        count += 1
    yield writer.writerow(csv_safe.end_line(count))


def write_csv(programs: Iterable[Program], file: IO[str], *, columns: list[str] = EXPORT_COLUMNS) -> int:
    """Write programs as CSV, one row each; returns the number written.
    Pass a queryset from export_queryset() to avoid a query per row."""
    lines = sum(1 for _ in csv_lines(programs, columns=columns, file=file))
    return lines - 2  # header and end line


def write_json(programs: Iterable[Program], file: IO[str], *, columns: list[str] = BACKUP_COLUMNS) -> int:
    """Write {"format", "version", "programs": [...]}, streamed one program
    at a time so a large directory does not sit in memory."""
    file.write(f'{{"format": "{FORMAT_NAME}", "version": {FORMAT_VERSION}, "programs": [')
    count = 0
    for values in iter_values(programs, columns):
        file.write(",\n" if count else "\n")
        file.write(json.dumps(values, ensure_ascii=False))
        count += 1
    file.write("\n]}\n")
    return count
