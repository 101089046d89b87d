"""Writes for the directory that belong to no sub-domain of their own: problem
reports, geocoding, vocabulary-link inserts and the site-search index.
Keyword-only functions named <entity>_<action>. Imports are importing/,
a center's edits review/, availability availability.py, provenance
provenance.py."""

from django.db import connection
from wagtail.search.backends import get_search_backend

from . import geo, vocabularies
from .models import ProblemReport, Program
from .search import freshness


def problem_report_create(
    *, program: Program, kind: str, details: str = "", contact_email: str = ""
) -> ProblemReport:
    return ProblemReport.objects.create(
        program=program, kind=kind, details=details, contact_email=contact_email
    )


def program_geocode(*, program: Program, replace_far: bool = False) -> str:
    """Fill in or correct a program's coordinates from its ZIP code (offline)
    and set coordinate_flag; returns a note saying what was done ('' when the
    coordinates were fine). Coordinates that came from a ZIP centroid follow
    the ZIP when it changes. Does not save."""
    latitude, longitude = program.latitude, program.longitude
    if program.coordinate_flag == Program.CoordinateFlag.FROM_ZIP:
        latitude = longitude = None
    check = geo.check_coordinates(
        latitude=latitude, longitude=longitude, zip_code=program.zip_code, replace_far=replace_far
    )
    program.latitude, program.longitude, program.coordinate_flag = check.latitude, check.longitude, check.flag
    return check.note


def program_links_insert(*, field_name: str, pairs: list[tuple[int, int]]) -> None:
    """Add (program id, term id) rows to one vocabulary join table in a few
    statements: at a million rows the ORM's bulk_create spends more time
    building model instances than the database spends inserting."""
    if not pairs:
        return
    field = Program._meta.get_field(field_name)
    table = connection.ops.quote_name(field.remote_field.through._meta.db_table)
    names = (field.m2m_column_name(), field.m2m_reverse_name())
    columns = ", ".join(connection.ops.quote_name(name) for name in names)
    # Table and column names come from the model; values are parameters.
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # In-process: executemany is the fastest way in.
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES (%s, %s)", pairs)  # noqa: S608
            return
        # Over a network, one statement per row would mean one round trip
        # per row: send many rows per statement instead.
        for start in range(0, len(pairs), 5000):
            chunk = pairs[start : start + 5000]
            values = ", ".join(["(%s, %s)"] * len(chunk))
            params = [value for pair in chunk for value in pair]
            cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {values}", params)  # noqa: S608


def search_index_changed() -> None:
    """Bulk writes send no signals: tell the search's facet index itself,
    and refresh PostgreSQL's planner statistics for the tables just
    loaded (a fresh bulk load otherwise plans as if the tables were empty)."""
    programs_analyze()
    freshness.invalidate()


def programs_analyze() -> None:
    """ANALYZE the program and vocabulary-link tables (PostgreSQL only)."""
    if connection.vendor != "postgresql":
        return
    tables = [Program._meta.db_table] + [
        vocabulary.through._meta.db_table for vocabulary in vocabularies.all_vocabularies()
    ]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


SEARCH_INDEX_BATCH = 1000


def programs_search_index(*, slugs=(), ids=()) -> int:
    """Add programs written in bulk (by slug or id) to Wagtail's site-search
    index, or index them again: bulk writes send no signals, so /search/
    would not find them (or would find them by their old text) otherwise.
    A batch costs one query per relation in Program.search_fields
    (get_indexed_objects prefetches them), not one per program."""
    backend, count = get_search_backend(), 0
    for lookup, values in (("slug__in", list(slugs)), ("pk__in", list(ids))):
        for start in range(0, len(values), SEARCH_INDEX_BATCH):
            batch = values[start : start + SEARCH_INDEX_BATCH]
            programs = list(Program.get_indexed_objects().filter(**{lookup: batch}))
            if programs:
                backend.add_bulk(Program, programs)
                count += len(programs)
    return count
