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

from django.db import connection

from config import csv_safe

from .importing.codes import RELATION_MODELS
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
    *RELATION_MODELS,  # levels_of_care, medications, payment_options, populations, languages, accreditations
    "offers_telehealth",
    "accepting_clients",
    "open_beds",
    "availability_updated_at",
    "license_number",
    "license_state",
    "otp_certified",
    "otp_status",
    "otp_certified_on",
    "otp_listed_on",
    "otp_missing_since",
    "facility_type",
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
        programs.select_related("organization", "verified_by")
        .prefetch_related(*RELATION_MODELS)
        .order_by("pk")
    )


def program_values(program: Program, columns: list[str]) -> dict:
    """One program as plain JSON-ready values, keyed by column."""
    values = {}
    for column in columns:
        if column in RELATION_MODELS:
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


RELATED_PATHS = {
    "organization": "organization__name",
    "organization_slug": "organization__slug",
    "verified_by": "verified_by__username",
}
BATCH_SIZE = 2000


def iter_values(programs: Iterable[Program], columns: list[str]) -> Iterator[dict]:
    """Each program's values, keyed by column. A queryset is read as plain
    rows (values_list) in batches, with each batch's vocabulary slugs in one
    query per vocabulary: no model instances, a few queries per 2,000
    programs (100,000 programs stream in seconds, well inside a worker's
    timeout). Other iterables (lists of programs) go through program_values."""
    if not hasattr(programs, "values_list"):
        for program in programs:
            yield program_values(program, columns)
        return
    scalar = [column for column in columns if column not in RELATION_MODELS]
    paths = [RELATED_PATHS.get(column, column) for column in scalar]
    vocabularies = [column for column in columns if column in RELATION_MODELS]
    term_slugs = {column: _vocabulary_order(column) for column in vocabularies}
    rows = programs.prefetch_related(None).values_list("pk", *paths).iterator(chunk_size=BATCH_SIZE)
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH_SIZE:
            yield from _batch_values(batch, scalar, vocabularies, term_slugs)
            batch = []
    if batch:
        yield from _batch_values(batch, scalar, vocabularies, term_slugs)


def _batch_values(batch, scalar, vocabularies, term_slugs):
    ids = [row[0] for row in batch]
    slugs = {column: _term_slugs(column, ids, term_slugs[column]) for column in vocabularies}
    for row in batch:
        values = {}
        for column, value in zip(scalar, row[1:], strict=True):
            if isinstance(value, datetime | date):
                value = value.isoformat()
            values[column] = "" if value is None and column in RELATED_PATHS else value
        for column in vocabularies:
            values[column] = slugs[column].get(row[0], [])
        yield values


def _vocabulary_order(column: str) -> dict[int, tuple]:
    """{term id: (position in the vocabulary's order, slug)}."""
    model = Program._meta.get_field(column).related_model
    terms = model.objects.values_list("pk", "slug")
    return {pk: (position, slug) for position, (pk, slug) in enumerate(terms)}


def _term_slugs(column: str, ids: list[int], terms: dict[int, tuple]) -> dict[int, list[str]]:
    """{program id: [term slugs in the vocabulary's order]} for these
    programs: one query on the link table, no joins."""
    relation = Program._meta.get_field(column)
    through = relation.remote_field.through
    term_column = relation.m2m_reverse_name()
    if connection.vendor == "postgresql":  # one array parameter instead of 2,000 (much faster)
        table = connection.ops.quote_name(through._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT program_id, {connection.ops.quote_name(term_column)} FROM {table} "  # noqa: S608
                "WHERE program_id = ANY(%s)",
                [ids],
            )
            pairs = cursor.fetchall()
    else:
        pairs = through.objects.filter(program_id__in=ids).values_list("program_id", term_column)
    by_program: dict[int, list[tuple]] = {}
    for program_id, term_id in pairs:
        by_program.setdefault(program_id, []).append(terms[term_id])
    return {program_id: [slug for _, slug in sorted(found)] for program_id, found in by_program.items()}


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
