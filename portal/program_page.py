"""What the center portal adds to the directory's public program page
(through directory.program_page): the month's view count for the center's
statistics, "Managed by the center since ..." while an active member
manages the listing, and otherwise "Is this your program? Claim it"."""

from directory import program_page
from directory.models import Program

from .members import managed_since
from .services import program_page_view_record


def count_view(sender, program, **kwargs):
    program_page_view_record(program=program)


def managed(program) -> dict | None:
    since = managed_since(program=program)
    return {"managed_since": since} if since else None


def claimable(program) -> dict | None:
    if program.status != Program.Status.PUBLISHED or managed_since(program=program):
        return None
    return {}


def register() -> None:
    program_page.program_page_viewed.connect(count_view, dispatch_uid="portal.count_program_page_view")
    program_page.add_part("verification", "portal/program_page/managed.html", managed)
    program_page.add_part("end", "portal/program_page/claim.html", claimable)
