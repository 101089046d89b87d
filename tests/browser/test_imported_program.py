"""A program imported from a real-shaped locator file: its SAMHSA details
(detox substances, approaches, genders, support and testing, operation) are
readable on a phone and pass axe."""

from pathlib import Path

import pytest

from directory.importing import import_file
from directory.models import Program

FIXTURES = Path(__file__).resolve().parent.parent / "directory" / "fixtures"


@pytest.fixture
def imported():
    import_file(FIXTURES / "locator_2019.json")
    return Program.objects.get(name="St. Brendan Hospital Addiction Unit")


def test_imported_program_page_passes_axe_on_a_phone(live_server, page, axe, imported, tmp_path):
    page.goto(live_server.url + imported.get_absolute_url())
    assert page.get_by_role("heading", name="Detox offered for").is_visible()
    assert page.get_by_role("heading", name="Recovery support and testing").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(tmp_path / "program-390.png"), full_page=True)
    axe(page)
