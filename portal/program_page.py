"""What the center portal adds to the directory's public program page
(through directory.program_page): the month's view count for the center's
statistics, "Managed by the center since ..." while an active member
manages the listing, and otherwise "Is this your program? Claim it" (at the
end) and, under the note that the program does not receive messages through
FindCare yet (inquiries' "contact" part), how the center can start: claim
the listing. Both follow the one rule: an active member (members.py)."""

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
    program_page.add_part("contact", "portal/program_page/receive_inquiries.html", claimable)
    program_page.add_part("end", "portal/program_page/claim.html", claimable)
