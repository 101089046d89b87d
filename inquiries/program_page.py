"""What inquiries add to the directory's public program page (through
directory.program_page): the inquiry form when someone at the program reads
inquiries here (selectors.program_accepts_inquiries), else a note that leads
with the program's phone and says why there is no form (the portal's own
"contact" part then says how the center can start: claim the listing)."""

from directory import program_page


def inquiry_part(program) -> dict:
    return {}


def register() -> None:
    program_page.add_part("contact", "inquiries/program_page/inquiry.html", inquiry_part)
