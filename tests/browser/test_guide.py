"""The care guide on a 390 px phone without JavaScript: from the home page
through every question to a filtered search, with axe on every screen; and
the safety stop."""

import datetime
import os
import re

import pytest

from tests.directory.factories import ProgramFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANSWERS = [
    "None of these right now",
    "Opioids: heroin, fentanyl, or pain pills not taken as prescribed",
    "Every day or nearly every day",
    "Clearly unwell: aches, sweats, sickness, no sleep, strong cravings",
    "No, or nothing serious",
    "Some struggles that are mostly manageable",
    "Unsure, or going back and forth",
    "This is the first real attempt",
    "Safe and supportive",
    "Yes, mostly",
]
SCREENSHOTS = os.environ.get("GUIDE_SCREENSHOTS")  # a folder, to look at the phone layout


@pytest.fixture
def no_js_page(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def axe_no_js(browser, axe, live_server):
    """axe needs JavaScript, which these pages run without: check each
    screen's HTML as rendered, in a second, script-enabled phone page."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    checker = context.new_page()
    checker.set_default_timeout(30_000)
    checker.goto(live_server.url + "/robots.txt")  # same origin, so the page's CSS loads

    def run(page):
        checker.set_content(page.content(), wait_until="load")
        axe(checker)

    yield run
    context.close()


def make_guide():
    from content.models import ArticleIndexPage, MedicalReviewer
    from directory.search import freshness
    from tools.demo.guide import build_guide_page

    freshness.reset()
    reviewer = MedicalReviewer.objects.create(name="Maya Ellison", credentials="MD")
    guide = build_guide_page().with_review(reviewer=reviewer, on=datetime.date(2026, 10, 1))
    ArticleIndexPage.objects.get(slug="learn").add_child(instance=guide)
    guide.save_revision().publish()
    ProgramFactory(
        name="Harbor Outpatient (Sample)",
        zip_code="10001",
        levels_of_care=["outpatient"],
        medications=["buprenorphine"],
        is_sample=True,
    )
    ProgramFactory(name="Cedar Residential (Sample)", zip_code="10001", levels_of_care=["residential"])
    return guide


def shot(page, name):
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"guide-{name}.png"), full_page=True)


def test_guide_on_a_phone_without_javascript_ends_in_a_filtered_search(live_server, no_js_page, axe_no_js):
    make_guide()
    page = no_js_page
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Take the 2-minute guide").click()
    page.wait_for_url(re.compile(r"/learn/which-care/$"))
    axe_no_js(page)
    shot(page, "intro")
    page.get_by_label("Someone I care about").check()
    page.get_by_role("button", name="Start the guide").click()
    for number, answer in enumerate(ANSWERS, start=1):
        assert f"Question {number} of 10" in page.inner_text("main")
        assert "Medically reviewed by\nMaya Ellison, MD" in page.locator(".guide-review").inner_text()
        assert page.url == live_server.url + "/learn/which-care/"  # nothing in the URL, ever
        axe_no_js(page)
        shot(page, f"question-{number}")
        if number == 2:
            # Continue without an answer: an error summary linking to the options.
            page.get_by_role("button", name="Continue").click()
            assert "There is a problem" in page.inner_text("main")
            axe_no_js(page)
            shot(page, "error")
        page.get_by_label(answer, exact=True).check()
        page.get_by_role("button", name="Continue").click()
    main = page.inner_text("main")
    assert "A place to start: Outpatient or Intensive outpatient" in main
    assert "A clinician's assessment decides" in main
    assert "Medications for opioid use disorder" in main
    assert "Last reviewed\nOctober 1, 2026" in page.locator(".guide-review").inner_text()
    axe_no_js(page)
    shot(page, "result")
    page.get_by_role("link", name="See matching programs").click()
    page.wait_for_url(re.compile(r"/find/\?"))
    assert "care=outpatient" in page.url and "medication=buprenorphine" in page.url
    assert "Opioids" not in page.url and "which-care" not in page.url
    # The chosen filters show as chips above the results; the boxes are ticked in the folded panel.
    chips = page.locator(".chip").all_inner_texts()
    assert any(chip.startswith("Outpatient") for chip in chips), chips
    page.locator(".filters-panel__summary").click()
    assert page.get_by_role("checkbox", name=re.compile(r"^Outpatient")).is_checked()
    assert page.get_by_role("checkbox", name=re.compile(r"^Buprenorphine")).is_checked()
    assert "Harbor Outpatient (Sample)" in page.inner_text("#search-results")
    assert "Cedar Residential" not in page.inner_text("#search-results")


def test_danger_answer_stops_the_guide_on_a_phone(live_server, no_js_page, axe_no_js):
    guide = make_guide()
    page = no_js_page
    page.goto(live_server.url + guide.url)
    page.get_by_label("Myself").check()
    page.get_by_role("button", name="Start the guide").click()
    page.get_by_label("Thoughts of ending life or of self-harm").check()
    page.get_by_role("button", name="Continue").click()
    main = page.inner_text("main")
    assert "Please get help now" in main and "Question 2" not in main
    assert page.locator('main a[href="tel:988"]').count() >= 1
    assert page.locator('main a[href="tel:911"]').count() >= 1
    assert page.locator('main a[href="tel:+18006624357"]').count() >= 1
    axe_no_js(page)
    shot(page, "urgent")
    page.get_by_role("button", name=re.compile("go back to the question")).click()
    assert "Question 1 of 10" in page.inner_text("main")
