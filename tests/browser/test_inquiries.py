"""A family asks a program for help in a real browser, with and without
JavaScript: the form, its errors, the thank-you page and the private status
link (axe on each, at a 390 px viewport)."""

import re
from pathlib import Path

import pytest

from tests.directory.factories import ProgramFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.fixture
def quick_forms(settings):
    settings.INQUIRY_MIN_FILL_SECONDS = 0  # a robot types faster than a person


def make_program():
    from directory.models import Program
    from directory.search import freshness

    freshness.reset()
    ProgramFactory(
        name="Open Door Outpatient (Sample)", zip_code="10001", accepting_clients=Program.Accepting.YES,
        levels_of_care=["outpatient"],
    )  # fmt: skip
    return ProgramFactory(
        name="Harbor Recovery (Sample)", zip_code="10001", phone="(212) 555-0101", is_sample=True,
        inquiry_email="intake@example.org", levels_of_care=["outpatient"],
    )  # fmt: skip


def fill(page):
    page.get_by_label("Your name").fill("Sam")
    page.get_by_label("Email address").fill("sam@example.org")
    page.get_by_role("radio", name="Email").check()
    page.get_by_role("radio", name="Evening").check()
    page.get_by_role("radio", name="Someone I care about").check()
    page.get_by_label(re.compile(r"^Message")).fill("My brother needs help with alcohol.")
    page.get_by_role("checkbox", name=re.compile(r"^I agree that FindCare sends")).check()


def send_and_check(page, base_url, axe, shot_prefix):
    from inquiries.models import Inquiry

    program = make_program()
    page.goto(base_url + program.get_absolute_url())
    assert page.get_by_role("heading", name="Ask Harbor Recovery (Sample) for help").is_visible()
    axe(page)
    page.get_by_role("button", name="Send inquiry").click()
    page.wait_for_url(re.compile(r"/inquire/$"))
    summary = page.locator("#error-summary")
    assert "There is a problem" in summary.inner_text()
    assert summary.get_by_role("link", name="Choose who the help is for.").count() == 1
    axe(page)
    page.screenshot(path=str(SCREENSHOTS / f"{shot_prefix}-errors.png"), full_page=True)
    page.get_by_label("Your name").fill("Sam")  # typed values stay; fill the rest
    fill(page)
    page.get_by_role("button", name="Send inquiry").click()
    page.wait_for_url(re.compile(r"/inquiries/thanks/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Your inquiry was sent"
    assert "Open Door Outpatient (Sample)" in page.inner_text("main")
    assert page.locator('a[href="tel:988"]').count() >= 1
    axe(page)
    page.screenshot(path=str(SCREENSHOTS / f"{shot_prefix}-thanks.png"), full_page=True)
    inquiry = Inquiry.objects.get()
    assert inquiry.message == "My brother needs help with alcohol."
    assert inquiry.for_whom == "someone-i-care-about"
    status_link = page.locator(".private-link a").get_attribute("href")
    page.goto(status_link)
    assert "Not opened yet" in page.inner_text("main")
    axe(page)
    page.get_by_role("button", name="Delete my inquiry for good").click()
    page.wait_for_url(re.compile(r"/inquiries/deleted/$"))
    assert not Inquiry.objects.exists()


def test_inquiry_with_javascript(live_server, page, axe, quick_forms):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    send_and_check(page, live_server.url, axe, "inquiry-js")


def test_inquiry_without_javascript(live_server, browser, axe, quick_forms):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        send_and_check(page, live_server.url, lambda p: None, "inquiry-nojs")
    finally:
        context.close()
