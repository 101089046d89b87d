"""What the center portal adds to the directory's public program page
(through directory.program_page): the month's view count for the center's
statistics, and whether the center manages the listing ("Managed by the
center since ...", otherwise "Is this your program? Claim it")."""

from directory import program_page

from .members import managed_since
from .services import program_page_view_record


def count_view(sender, program, **kwargs):
    program_page_view_record(program=program)


def center_context(program) -> dict:
    return {"managed_since": managed_since(program=program)}


def register() -> None:
    program_page.program_page_viewed.connect(count_view, dispatch_uid="portal.count_program_page_view")
    program_page.add_context(center_context)
