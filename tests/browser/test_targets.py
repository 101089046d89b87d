"""Targets on a 390 px phone (WCAG 2.2 2.5.8): the primary actions
(calling a program on result cards and the program page, sending an
inquiry, the search buttons of the home page, /find/ and site search) are
at least 44 px tall; "Report a problem" and "Claim it" at least 24 px (they
were 20 px)."""

import pytest

from tests.directory.factories import ProgramFactory
from tests.portal.factories import MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def heights(page, selector):
    return [box["height"] for box in (el.bounding_box() for el in page.locator(selector).all()) if box]


def test_phone_links_and_small_links_are_big_enough_to_tap(live_server, page):
    from directory.search import freshness

    freshness.reset()
    program = ProgramFactory(name="Harbor Detox (Sample)", zip_code="10001", phone="(212) 555-0101")
    page.goto(live_server.url + "/find/?location=10001")
    card_phones = heights(page, ".program-card__phone a")
    assert card_phones and min(card_phones) >= 44, card_phones
    page.goto(live_server.url + program.get_absolute_url())
    page_phones = heights(page, '.program__contact a[href^="tel:"]')
    assert page_phones and min(page_phones) >= 44, page_phones
    small = heights(page, ".report-link") + heights(page, ".claim-link a")
    assert small and min(small) >= 24, small


def test_primary_actions_are_44_px_tall_on_a_phone(live_server, page):
    """Issue 27: call, send and search are what a family came to do."""
    from directory.search import freshness

    freshness.reset()
    joined = ProgramFactory(
        name="Harbor Recovery (Sample)", zip_code="10001", phone="(212) 555-0101",
        inquiry_email="intake@example.org", organization=MembershipFactory().organization,
    )  # fmt: skip
    actions = {
        "/": ['button:has-text("Search programs")'],
        "/find/?location=10001": ['.search-fields button[type="submit"]', "#apply-filters"],
        "/search/?q=detox": ['main button[type="submit"]'],
        joined.get_absolute_url(): ['a[href^="tel:"]', 'button:has-text("Send inquiry")'],
    }
    for path, selectors in actions.items():
        page.goto(live_server.url + path)
        for selector in selectors:
            found = heights(page, f"main {selector}" if not selector.startswith(("main", "#")) else selector)
            assert found and min(found) >= 44, (path, selector, found)
