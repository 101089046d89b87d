"""Issue 27 on a 390 px phone, with and without JavaScript: an empty search
asks for a place (it listed every program in the country under "Within 25
miles"), without JavaScript the filter counts say they are those of the
search as loaded and "Use my location" is not shown, and with JavaScript
the tab title follows each new search."""

import re

import pytest
from playwright.sync_api import expect

from tests.directory.factories import ProgramFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
PROMPT = "Enter a ZIP code or city to see programs near you"


def make_directory():
    from directory.search import freshness

    freshness.reset()
    for n in range(2):
        ProgramFactory(name=f"Harbor Detox {n} (Sample)", zip_code="10001", levels_of_care=["detox"],
                       payment_options=["medicaid"])  # fmt: skip
    ProgramFactory(name="Cedar Outpatient (Sample)", zip_code="10001", levels_of_care=["outpatient"])
    ProgramFactory(name="Sound Detox (Sample)", zip_code="98101", levels_of_care=["detox"])


@pytest.fixture(params=[True, False], ids=["js", "no-js"])
def phone(request, browser):
    context = browser.new_context(java_script_enabled=request.param, viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.javascript = request.param
    yield page
    context.close()


@pytest.fixture
def check(browser, axe, live_server):
    """axe on the page as shown: it needs JavaScript, so a page shown
    without it is checked as rendered, in a second, script-enabled phone
    page of the same origin (as tests/browser/test_guide.py does)."""
    context = browser.new_context(viewport=PHONE)
    checker = context.new_page()
    checker.set_default_timeout(30_000)
    checker.goto(live_server.url + "/robots.txt")

    def run(page):
        if page.javascript:
            axe(page)
        else:
            checker.set_content(page.content(), wait_until="load")
            axe(checker)

    yield run
    context.close()


def title(page):
    """The document's title, read from the DOM (no script needed)."""
    return page.locator("title").text_content()


def wait_idle(page):
    page.locator("#search-form:not([aria-busy])").wait_for()


def test_an_empty_search_asks_for_a_place_then_searches_near_it(live_server, phone, check):
    make_directory()
    phone.goto(live_server.url + "/find/?care=detox")
    assert phone.locator("#results-heading").inner_text() == PROMPT
    assert "3 programs across the country match the filters you chose." in phone.inner_text("#search-results")
    assert phone.locator(".program-card").count() == 0
    assert phone.locator("#id_radius").count() == 0 and "Within 25 miles" not in phone.content()
    assert title(phone) == "Find treatment | FindCare"
    check(phone)
    phone.get_by_label("ZIP code, city or county").fill("10001")
    phone.get_by_role("button", name="Search", exact=True).click()
    phone.wait_for_url(re.compile(r"location=10001"))
    heading = phone.locator("#results-heading")
    heading.filter(has_text="within 25 miles").wait_for()
    assert heading.inner_text() == "2 programs within 25 miles of 10001 (New York, NY)"
    assert phone.locator(".program-card").count() == 2 and "care=detox" in phone.url
    assert phone.locator("#id_radius").is_visible()
    if phone.javascript:  # search.js sets it after the in-place search
        expect(phone).to_have_title("2 programs near 10001 (New York, NY) | FindCare")
    assert title(phone) == "2 programs near 10001 (New York, NY) | FindCare"
    check(phone)


def test_a_name_search_without_a_place_lists_by_name(live_server, phone, check):
    make_directory()
    phone.goto(live_server.url + "/find/?q=harbor")
    assert phone.locator("#results-heading").inner_text() == "2 programs matching “harbor”"
    assert phone.locator(".program-card h3").all_inner_texts() == [
        "Harbor Detox 0 (Sample)",
        "Harbor Detox 1 (Sample)",
    ]
    assert phone.locator("#id_radius").count() == 0
    check(phone)


def test_counts_without_javascript_say_they_are_before_your_changes(live_server, phone, check):
    make_directory()
    phone.goto(live_server.url + "/find/?location=10001")
    phone.locator(".filters-panel__summary").click()
    note = phone.locator("#counts-note")
    apply = phone.locator("#apply-filters")
    if phone.javascript:
        # Counts are live: no note; the button counts the search.
        assert note.count() == 0 or not note.is_visible()
        phone.get_by_role("checkbox", name=re.compile(r"^Detox")).check()
        phone.wait_for_url(re.compile(r"care=detox"))
        wait_idle(phone)
        assert apply.inner_text() == "Show 2 programs"
    else:
        assert note.is_visible()
        assert "count programs for the search as it was loaded" in note.inner_text()
        assert not phone.locator("#use-my-location").is_visible()
        # In the group's name (a screen reader hears it; Playwright's role
        # queries skip <noscript>, which Chromium renders without JavaScript).
        legend = phone.locator("#facet-care legend")
        assert legend.text_content() == "Type of care (counts before your changes)"
        assert legend.locator(".visually-hidden").count() == 1
        phone.get_by_role("checkbox", name=re.compile(r"^Detox")).check()
        assert apply.inner_text() == "Show results"  # no count the ticked box made stale
    check(phone)


def test_with_javascript_the_tab_title_follows_each_search(live_server, page, axe):
    make_directory()
    page.goto(live_server.url + "/find/?location=10001")
    assert page.title() == "3 programs near 10001 (New York, NY) | FindCare"
    page.get_by_label("ZIP code, city or county").fill("98101")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url(re.compile(r"location=98101"))
    expect(page).to_have_title("1 program near 98101 (Seattle, WA) | FindCare")
    page.locator(".filters-panel__summary").click()
    page.get_by_role("checkbox", name=re.compile(r"^Outpatient")).check()
    expect(page).to_have_title("0 programs near 98101 (Seattle, WA) | FindCare")
    axe(page)
    page.go_back()
    expect(page).to_have_title("1 program near 98101 (Seattle, WA) | FindCare")
    page.go_back()
    expect(page).to_have_title("3 programs near 10001 (New York, NY) | FindCare")
