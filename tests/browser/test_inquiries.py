"""A family asks a program for help in a real browser, with and without
JavaScript: the form, its errors, the thank-you page and the private status
link with its delete confirmation (axe on each, at a 390 px viewport); a
listing nobody at the program reads leads with the phone instead."""

import re
from pathlib import Path

import pytest

from tests.directory.factories import ProgramFactory
from tests.portal.factories import MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.fixture
def quick_forms(settings):
    settings.INQUIRY_MIN_FILL_SECONDS = 0  # a robot types faster than a person


def make_program(joined=True):
    """Harbor Recovery: joined (an active center member reads its inbox),
    or with only an inquiry address."""
    from directory.models import Program
    from directory.search import freshness

    freshness.reset()
    ProgramFactory(
        name="Open Door Outpatient (Sample)", zip_code="10001", accepting_clients=Program.Accepting.YES,
        levels_of_care=["outpatient"],
    )  # fmt: skip
    organization = MembershipFactory().organization if joined else None
    return ProgramFactory(
        name="Harbor Recovery (Sample)", zip_code="10001", phone="(212) 555-0101", is_sample=True,
        inquiry_email="intake@example.org", levels_of_care=["outpatient"], organization=organization,
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
    assert page.get_by_role("heading", level=1).inner_text() == "Your inquiry was delivered"
    assert "Delivered to the FindCare inbox of Harbor Recovery (Sample)" in page.inner_text("main")
    assert "Open Door Outpatient (Sample)" in page.inner_text("main")
    assert page.locator('a[href="tel:988"]').count() >= 1
    axe(page)
    page.screenshot(path=str(SCREENSHOTS / f"{shot_prefix}-thanks.png"), full_page=True)
    inquiry = Inquiry.objects.get()
    assert inquiry.message == "My brother needs help with alcohol."
    assert inquiry.for_whom == "someone-i-care-about"
    status_link = page.locator(".private-link a").get_attribute("href")
    page.goto(status_link)
    assert "Delivered to the program's FindCare inbox" in page.inner_text("main")
    assert "Not opened yet" in page.inner_text("main")
    axe(page)
    page.get_by_role("button", name="Delete my inquiry…").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Delete your inquiry")
    assert Inquiry.objects.exists()
    axe(page)
    page.get_by_role("button", name="Yes, delete it for good").click()
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


@pytest.mark.parametrize("javascript", [True, False])
def test_a_listing_nobody_reads_leads_with_the_phone(live_server, browser, axe, javascript):
    program = make_program(joined=False)
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(live_server.url + program.get_absolute_url())
        note = page.locator(".inquiry-note")
        assert note.inner_text().startswith(
            "This program does not receive messages through FindCare yet. Call"
        )
        assert note.get_by_role("link", name="(212) 555-0101").is_visible()
        assert page.locator('input[name="form_token"]').count() == 0
        assert page.get_by_role("link", name="Claim this listing").is_visible()
        if javascript:
            axe(page)
    finally:
        context.close()


def test_the_429_page_keeps_the_form_filled_in(live_server, page, axe, quick_forms, settings):
    """Over the limit, the family sees when to try again and their answers
    still in the form (issue 27), on a page axe finds nothing wrong with."""
    from django.core.cache import cache

    cache.clear()
    settings.RATELIMIT_PER_IP = "1/h"
    program = make_program()
    for expected in (r"/inquiries/thanks/$", r"/inquire/$"):
        page.goto(live_server.url + program.get_absolute_url())
        fill(page)
        page.get_by_role("button", name="Send inquiry").click()
        page.wait_for_url(re.compile(expected))
    assert page.get_by_role("heading", level=1).inner_text() == "Please wait a little before sending again"
    assert re.search(r"Please try again in about \d+ minutes?\.", page.inner_text("main"))
    assert page.get_by_label(re.compile(r"^Message")).input_value() == "My brother needs help with alcohol."
    assert page.get_by_role("radio", name="Someone I care about").is_checked()
    axe(page)
    cache.clear()
