"""The search on a 390 px phone: the first result above the fold for a ZIP +
three-filter search with and without JavaScript; with it, counts, chips and
results change together, each change is a history entry, and Back steps
through them; ambiguous places offer choices."""

import re

import pytest

from tests.directory.factories import ProgramFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
QUERY = "/find/?location=10001&care=detox&medication=buprenorphine&payment=medicaid"


def make_directory():
    from directory.search import freshness

    freshness.reset()
    for n in range(3):
        ProgramFactory(name=f"Harbor Detox {n} (Sample)", zip_code="10001", levels_of_care=["detox"],
                       medications=["buprenorphine"], payment_options=["medicaid"])  # fmt: skip
    ProgramFactory(name="Cedar Outpatient (Sample)", zip_code="10001", levels_of_care=["outpatient"],
                   medications=["buprenorphine"], payment_options=["medicaid"])  # fmt: skip
    ProgramFactory(name="River Detox (Sample)", zip_code="10001", levels_of_care=["detox"])


def first_result_top(page):
    return page.locator(".program-card").first.bounding_box()["y"]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_first_result_is_above_the_fold_on_a_phone(live_server, browser, javascript):
    make_directory()
    context = browser.new_context(java_script_enabled=javascript, viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(live_server.url + QUERY)
        assert page.locator("#results-heading").inner_text().startswith("3 programs")
        assert first_result_top(page) < PHONE["height"] - 60, "the first result must be on the first screen"
    finally:
        context.close()


def test_without_javascript_filters_open_apply_and_chips_remove(live_server, browser):
    make_directory()
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/find/?location=10001")
        page.locator(".filters-panel__summary").click()
        page.get_by_role("checkbox", name=re.compile(r"^Detox")).check()
        page.get_by_role("checkbox", name=re.compile(r"^Medicaid")).check()
        # No count that the ticked boxes made stale, no location button that does nothing (issue 27).
        assert not page.locator("#use-my-location").is_visible()
        page.get_by_role("button", name="Show results").click()
        page.wait_for_url(re.compile(r"payment=medicaid"))
        assert page.locator("#results-heading").inner_text().startswith("3 programs")
        assert page.locator("#apply-filters").text_content() == "Show results"
        page.get_by_role("link", name=re.compile(r"^Medicaid")).click()
        page.wait_for_url(lambda url: "payment=medicaid" not in url)
        assert page.locator("#results-heading").inner_text().startswith("4 programs")
    finally:
        context.close()


def chip_labels(page):
    return [text.split("×")[0].strip() for text in page.locator(".chip").all_inner_texts()]


def wait_idle(page):
    page.locator("#search-form:not([aria-busy])").wait_for()


def test_with_javascript_counts_chips_and_results_agree_and_back_steps(live_server, page, axe):
    make_directory()
    page.goto(live_server.url + "/find/?location=10001")
    page.locator(".filters-panel__summary").click()
    page.get_by_role("checkbox", name=re.compile(r"^Detox")).check()
    page.wait_for_url(re.compile(r"care=detox"))
    wait_idle(page)
    page.get_by_role("checkbox", name=re.compile(r"^Medicaid")).check()
    page.wait_for_url(re.compile(r"payment=medicaid"))
    wait_idle(page)
    # The panel stayed open, focus stayed on the box, and everything agrees.
    assert page.locator("#filters-panel").get_attribute("open") is not None
    assert page.evaluate("document.activeElement.id") == "f-payment-medicaid"
    assert page.locator("#results-heading").inner_text().startswith("3 programs")
    assert page.locator("#apply-filters").inner_text() == "Show 3 programs"
    assert page.locator(".program-card").count() == 3
    assert chip_labels(page) == ["Detox (withdrawal management)", "Medicaid"] or len(chip_labels(page)) == 2
    outpatient = page.locator("label:has(#f-care-outpatient) .facet__count").inner_text()
    assert outpatient.startswith("(1")  # with Medicaid chosen, outpatient would add one program
    assert page.locator("#search-status").inner_text().startswith("3 programs")
    axe(page)
    # Back steps through the filter changes.
    page.go_back()
    page.wait_for_url(lambda url: "payment=medicaid" not in url and "care=detox" in url)
    wait_idle(page)
    assert page.locator("#results-heading").inner_text().startswith("4 programs")
    assert not page.get_by_role("checkbox", name=re.compile(r"^Medicaid")).is_checked()
    page.go_back()
    page.wait_for_url(lambda url: "care=detox" not in url)
    wait_idle(page)
    assert page.locator("#results-heading").inner_text().startswith("5 programs")
    assert page.locator(".chip").count() == 0


def test_a_city_without_a_state_offers_choices(live_server, page, axe):
    ProgramFactory(name="Peachtree Recovery (Sample)", zip_code="30303")
    page.goto(live_server.url + "/find/")
    page.get_by_label("ZIP code, city or county").fill("atlanta")
    page.get_by_role("button", name="Search", exact=True).click()
    choices = page.get_by_role("navigation", name="Places that match")
    choices.get_by_role("link", name="Atlanta, GA").wait_for()
    axe(page)
    choices.get_by_role("link", name="Atlanta, GA").click()
    page.wait_for_url(re.compile(r"location=Atlanta%2C\+GA"))
    assert "Peachtree Recovery (Sample)" in page.inner_text("#search-results")
