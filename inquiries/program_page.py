"""What inquiries add to the directory's public program page (through
directory.program_page): the inquiry form, or a note with the program's
phone numbers when it cannot receive inquiries."""

from directory import program_page


def inquiry_part(program) -> dict:
    return {}


def register() -> None:
    program_page.add_part("contact", "inquiries/program_page/inquiry.html", inquiry_part)
