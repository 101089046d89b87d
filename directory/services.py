"""Writes for the directory. Keyword-only functions named <entity>_<action>."""

from django.db import connection

from . import geo
from .models import ProblemReport, Program


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
    statements: the ORM's bulk_create costs more time building model
    instances than the database spends inserting, at a million rows."""
    if not pairs:
        return
    field = Program._meta.get_field(field_name)
    through = field.remote_field.through._meta
    quote = connection.ops.quote_name
    columns = (field.m2m_column_name(), field.m2m_reverse_name())
    # Table and column names come from the model, values are parameters.
    sql = f"INSERT INTO {quote(through.db_table)} ({quote(columns[0])}, {quote(columns[1])}) VALUES (%s, %s)"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(pairs), 10_000):
            cursor.executemany(sql, pairs[start : start + 10_000])
