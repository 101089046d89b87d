"""Issue 21 on a 390 px phone: an unconfirmed OTP and a listing nobody can
contact, imported from the layered real-shaped fixtures, read clearly and
pass axe."""

import datetime
from pathlib import Path

import pytest

from directory.importing import import_file
from directory.models import Program

FIXTURES = Path(__file__).resolve().parent.parent / "directory" / "fixtures" / "samhsa"


@pytest.fixture
def layered():
    import_file(FIXTURES / "otp_directory_2025.csv", as_of=datetime.date(2025, 6, 1))
    import_file(FIXTURES / "otp_locator.json")
    import_file(FIXTURES / "otp_directory_2026.csv", as_of=datetime.date(2026, 6, 1))


def test_unconfirmed_otp_and_unreachable_listing_on_a_phone(live_server, page, axe, layered, tmp_path):
    eastside = Program.objects.get(name="Eastside Methadone Clinic (Sample)")
    page.goto(live_server.url + eastside.get_absolute_url())
    assert page.get_by_text("not in the latest directory (June 2026)").is_visible()
    assert page.get_by_text(
        "Methadone: offered by every SAMHSA-certified opioid treatment program"
    ).is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(tmp_path / "otp-390.png"), full_page=True)
    axe(page)

    lighthouse = Program.objects.get(name="Lighthouse Recovery (Sample)")
    page.goto(live_server.url + lighthouse.get_absolute_url())
    notice = page.get_by_text("We have no way to contact this program yet.")
    assert notice.is_visible()
    assert notice.bounding_box()["y"] < 900  # on the first screens, not below the services
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(tmp_path / "no-contact-390.png"), full_page=False)
    axe(page)
