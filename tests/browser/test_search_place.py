"""Issue 27 on a 390 px phone, with and without JavaScript: an empty search
asks for a place (it listed every program in the country under "Within 25
miles"), without JavaScript the filter counts say they are those of the
search as loaded and "Use my location" is not shown, and with JavaScript
the tab title follows each new search."""

import re

import pytest

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
    page.set_default_timeout(15_000)
    page.javascript = request.param
    yield page
    context.close()


def wait_idle(page):
    page.locator("#search-form:not([aria-busy])").wait_for()


def test_an_empty_search_asks_for_a_place_then_searches_near_it(live_server, phone, axe):
    make_directory()
    phone.goto(live_server.url + "/find/?care=detox")
    assert phone.locator("#results-heading").inner_text() == PROMPT
    assert "3 programs across the country match the filters you chose." in phone.inner_text("#search-results")
    assert phone.locator(".program-card").count() == 0
    assert phone.locator("#id_radius").count() == 0 and "Within 25 miles" not in phone.content()
    assert phone.title() == "Find treatment | FindCare"
    axe(phone)
    phone.get_by_label("ZIP code, city or county").fill("10001")
    phone.get_by_role("button", name="Search", exact=True).click()
    phone.wait_for_url(re.compile(r"location=10001"))
    heading = phone.locator("#results-heading")
    heading.filter(has_text="within 25 miles").wait_for()
    assert heading.inner_text() == "2 programs within 25 miles of 10001 (New York, NY)"
    assert phone.locator(".program-card").count() == 2 and "care=detox" in phone.url
    assert phone.locator("#id_radius").is_visible()
    phone.wait_for_function("document.title.startsWith('2 programs near 10001')")
    assert phone.title() == "2 programs near 10001 (New York, NY) | FindCare"
    axe(phone)


def test_a_name_search_without_a_place_lists_by_name(live_server, phone, axe):
    make_directory()
    phone.goto(live_server.url + "/find/?q=harbor")
    assert phone.locator("#results-heading").inner_text() == "2 programs matching “harbor”"
    assert phone.locator(".program-card h3").all_inner_texts() == [
        "Harbor Detox 0 (Sample)",
        "Harbor Detox 1 (Sample)",
    ]
    assert phone.locator("#id_radius").count() == 0
    axe(phone)


def test_counts_without_javascript_say_they_are_before_your_changes(live_server, phone, axe):
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
        assert phone.get_by_role("group", name="Type of care (counts before your changes)").is_visible()
        phone.get_by_role("checkbox", name=re.compile(r"^Detox")).check()
        assert apply.inner_text() == "Show results"  # no count the ticked box made stale
    axe(phone)


def test_with_javascript_the_tab_title_follows_each_search(live_server, page, axe):
    make_directory()
    page.goto(live_server.url + "/find/?location=10001")
    assert page.title() == "3 programs near 10001 (New York, NY) | FindCare"
    page.get_by_label("ZIP code, city or county").fill("98101")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url(re.compile(r"location=98101"))
    page.wait_for_function("document.title === '1 program near 98101 (Seattle, WA) | FindCare'")
    page.locator(".filters-panel__summary").click()
    page.get_by_role("checkbox", name=re.compile(r"^Outpatient")).check()
    page.wait_for_function("document.title === '0 programs near 98101 (Seattle, WA) | FindCare'")
    axe(page)
    page.go_back()
    page.wait_for_function("document.title === '1 program near 98101 (Seattle, WA) | FindCare'")
    page.go_back()
    page.wait_for_function("document.title === '3 programs near 10001 (New York, NY) | FindCare'")
