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
    nashville = {"zip_code": "37203", "city": "Nashville", "state": "TN", "is_sample": True}
    ProgramFactory(
        name="Harbor Outpatient (Sample)",
        levels_of_care=["outpatient"],
        medications=["buprenorphine"],
        payment_options=["medicaid"],
        **nashville,
    )
    ProgramFactory(
        name="Birch Naltrexone Clinic (Sample)",
        levels_of_care=["outpatient"],
        medications=["naltrexone"],
        payment_options=["medicaid"],
        **nashville,
    )
    ProgramFactory(
        name="Aspen Private Detox (Sample)",
        levels_of_care=["detox"],
        medications=["buprenorphine"],
        payment_options=["private-insurance"],
        **nashville,
    )
    ProgramFactory(
        name="Harbor Outpatient New York (Sample)",
        zip_code="10001",
        levels_of_care=["outpatient"],
        medications=["buprenorphine"],
        payment_options=["medicaid"],
    )
    return guide


def shot(page, name):
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"guide-{name}.png"), full_page=True)


RESULT_HEADING = (
    "A place to start: Detox (withdrawal management), Outpatient or Opioid treatment program (OTP)"
)


def walk_the_scenario(live_server, page, check):
    """The issue's family: daily heroin, clearly unwell when stopping, no
    emergency, a safe home; 37203 and Medicaid. `check(page)` runs axe."""
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Take the 2-minute guide").click()
    page.wait_for_url(re.compile(r"/learn/which-care/$"))
    check(page)
    shot(page, "intro")
    page.get_by_label("Someone I care about").check()
    page.get_by_role("button", name="Start the guide").click()
    for number, answer in enumerate(ANSWERS, start=1):
        page.get_by_text(f"Question {number} of 10").wait_for()
        assert "Medically reviewed by\nMaya Ellison, MD" in page.locator(".guide-review").inner_text()
        assert page.url == live_server.url + "/learn/which-care/"  # nothing in the URL while answering
        check(page)
        shot(page, f"question-{number}")
        if number == 2:
            # Continue without an answer: an error summary linking to the options.
            page.get_by_role("button", name="Continue").click()
            page.get_by_text("There is a problem").wait_for()
            check(page)
            shot(page, "error")
        page.get_by_label(answer, exact=True).check()
        page.get_by_role("button", name="Continue").click()
    # Last step: where to look, and how care is paid for.
    page.get_by_role("heading", name="Where should we look for programs?").wait_for()
    check(page)
    page.get_by_role("button", name="Show my result").click()  # no place yet
    page.get_by_text("There is a problem").wait_for()
    check(page)
    shot(page, "place-error")
    page.get_by_label("ZIP code or city").fill("37203")
    page.get_by_label("Medicaid", exact=True).check()
    page.get_by_role("button", name="Show my result").click()
    page.get_by_role("heading", name=RESULT_HEADING).wait_for()
    return page.url


def assert_the_result(page, live_server):
    assert re.match(re.escape(live_server.url) + r"/learn/which-care/\?result=[\w=-]+$", page.url), page.url
    for word in ("opioid", "heroin", "daily", "withdrawal", "37203"):
        assert word not in page.url.lower()  # the address holds an encrypted token only
    main = page.inner_text("main")
    assert "Nothing in your answers points to" not in main
    assert "withdrawal management" in main and "buprenorphine" in main and "methadone" in main.lower()
    assert (
        "Not suggested for now" in main and "Naltrexone is not a choice while opioids are being used" in main
    )
    assert "near 37203 (Nashville, TN)" in main and "taking Medicaid" in main
    assert "A clinician's assessment decides" in main
    assert "Last reviewed\nOctober 1, 2026" in page.locator(".guide-review").inner_text()
    href = page.get_by_role("link", name="See matching programs").get_attribute("href")
    assert "location=37203" in href and "payment=medicaid" in href and "care=detox" in href
    assert "medication=buprenorphine" in href and "medication=methadone" in href
    assert "naltrexone" not in href


def follow_the_search_and_come_back(page, result_url):
    page.get_by_role("link", name="See matching programs").click()
    page.wait_for_url(re.compile(r"/find/\?"))
    assert "location=37203" in page.url and "payment=medicaid" in page.url and "naltrexone" not in page.url
    assert "which-care" not in page.url and "result" not in page.url
    results = page.inner_text("#search-results")
    assert "Harbor Outpatient (Sample)" in results
    assert "Birch Naltrexone Clinic" not in results  # naltrexone only: not for someone using opioids now
    assert "Aspen Private Detox" not in results  # no Medicaid
    assert "Harbor Outpatient New York" not in results  # not near 37203
    page.go_back()
    page.get_by_role("heading", name=RESULT_HEADING).wait_for()
    assert page.url == result_url
    assert "See matching programs" in page.inner_text("main")
    page.reload()
    page.get_by_role("heading", name=RESULT_HEADING).wait_for()


def test_guide_on_a_phone_with_javascript_back_from_the_search_shows_the_result(live_server, page, axe):
    make_guide()
    result_url = walk_the_scenario(live_server, page, axe)
    assert_the_result(page, live_server)
    axe(page)
    shot(page, "result")
    follow_the_search_and_come_back(page, result_url)
    axe(page)


def test_guide_on_a_phone_without_javascript_ends_in_a_filtered_search(live_server, no_js_page, axe_no_js):
    make_guide()
    page = no_js_page
    result_url = walk_the_scenario(live_server, page, axe_no_js)
    assert_the_result(page, live_server)
    axe_no_js(page)
    follow_the_search_and_come_back(page, result_url)
    # Change the place from the result, without JavaScript too.
    page.get_by_role("button", name=re.compile("^Change where to look")).click()
    page.get_by_role("heading", name="Where should we look for programs?").wait_for()
    assert page.get_by_label("ZIP code or city").input_value() == "37203"
    assert page.get_by_label("Medicaid", exact=True).is_checked()


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
