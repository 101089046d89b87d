"""Writes for the directory. Keyword-only functions named <entity>_<action>."""

from .models import ProblemReport, Program


def problem_report_create(
    *, program: Program, kind: str, details: str = "", contact_email: str = ""
) -> ProblemReport:
    return ProblemReport.objects.create(
        program=program, kind=kind, details=details, contact_email=contact_email
    )
