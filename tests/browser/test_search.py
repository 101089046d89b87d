"""A family's path through the directory in a real browser: search by ZIP
with two filters, open a result, call it; with and without JavaScript."""

import re

import pytest

from tests.directory.factories import ProgramFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def make_directory():
    """Called in the test body, after pytest-django has restored the
    migrations' data (vocabularies) for this transactional test."""
    from directory.search import freshness

    freshness.reset()
    ProgramFactory(
        name="Harbor Detox (Sample)",
        zip_code="10001",
        levels_of_care=["detox"],
        medications=["buprenorphine"],
        phone="(212) 555-0101",
        is_sample=True,
    )
    ProgramFactory(name="Cedar Outpatient (Sample)", zip_code="10001", levels_of_care=["outpatient"])
    ProgramFactory(name="Philadelphia Detox (Sample)", zip_code="19103", levels_of_care=["detox"])


def run_search(page, base_url):
    page.goto(base_url + "/find/")
    page.get_by_label("ZIP code, city or county").fill("10001")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url(re.compile(r"location=10001"))
    open_filters(page)
    page.get_by_role("checkbox", name=re.compile(r"^Detox")).check()
    page.get_by_role("checkbox", name=re.compile(r"^Buprenorphine")).check()


def open_filters(page):
    panel = page.locator("#filters-panel")
    if panel.get_attribute("open") is None:
        page.locator(".filters-panel__summary").click()


def test_search_by_zip_with_two_filters_and_open_result(live_server, page, axe):
    make_directory()
    run_search(page, live_server.url)
    # With JavaScript the results refresh in place as boxes are checked.
    page.wait_for_url(re.compile(r"medication=buprenorphine"))
    page.locator("#search-form:not([aria-busy])").wait_for()
    assert page.locator("#search-results h2").inner_text().startswith("1 program")
    results = page.locator("#search-results")
    assert "Harbor Detox (Sample)" in results.inner_text()
    assert "Cedar Outpatient" not in results.inner_text()
    assert "care=detox" in page.url and "medication=buprenorphine" in page.url
    axe(page)
    page.get_by_role("link", name="Harbor Detox (Sample)").click()
    page.wait_for_url(re.compile(r"/programs/"))
    assert page.get_by_role("heading", level=1).inner_text() == "Harbor Detox (Sample)"
    assert page.get_by_role("link", name="Main phone: (212) 555-0101").count() == 0  # label outside the link
    assert page.locator('a[href="tel:+12125550101"]').count() >= 1
    assert "Sample listing." in page.inner_text("main")
    axe(page)


def test_search_works_without_javascript(live_server, browser):
    make_directory()
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        run_search(page, live_server.url)
        page.get_by_role("button", name="Show results").click()  # no stale count without JS (issue 27)
        page.wait_for_url(re.compile(r"medication=buprenorphine"))
        assert page.locator("#search-results h2").inner_text().startswith("1 program")
        assert "Harbor Detox (Sample)" in page.inner_text("#search-results")
    finally:
        context.close()
