"""Writes for the directory. Keyword-only functions named <entity>_<action>."""

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
