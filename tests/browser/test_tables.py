"""Wide tables show that they scroll on a phone (issue 27: the medications
comparison was cut off at 390 px with no sign that it scrolls).

The table sits in a focusable region that scrolls sideways. With or without
JavaScript a shadow darkens the right edge while there is more to the right
(read from the screenshot's pixels: it goes once scrolled to the end); with
JavaScript the words "Scroll sideways to see the whole table" are shown and
describe the region. A table that fits says nothing."""

import io

import pytest
from django.core.cache import cache

from tools.demo import content as demo_content

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TABLE = "Medications for opioid use disorder at a glance"


def brightest_near_right_edge(region) -> int:
    """The brightest pixel of a 1 px column 4 px inside the region's right
    edge: white where nothing is painted over the cells' padding, capped
    below white under a shadow (text only darkens pixels)."""
    from PIL import Image

    image = Image.open(io.BytesIO(region.screenshot())).convert("L")
    x = image.width - 4
    return max(image.getpixel((x, y)) for y in range(2, image.height - 2))  # not the antialiased edges


@pytest.mark.parametrize("javascript", [True, False])
def test_the_medications_table_shows_that_it_scrolls(live_server, browser, axe, javascript):
    cache.clear()
    demo_content.load()
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(live_server.url + "/learn/medications-compared/")
        region = page.get_by_role("region", name=TABLE)
        region.scroll_into_view_if_needed()
        sizes = region.evaluate("el => [el.scrollWidth, el.clientWidth, el.tabIndex]")
        assert sizes[0] > sizes[1], sizes  # it is wider than the phone: it scrolls
        assert sizes[2] == 0  # and a keyboard can reach it to scroll it
        hint = page.get_by_text("Scroll sideways to see the whole table.")
        if javascript:
            assert hint.is_visible()
            assert region.get_attribute("aria-describedby") == hint.get_attribute("id")
            axe(page)
        else:
            assert hint.count() == 0
        shaded = brightest_near_right_edge(region)
        assert shaded < 235, shaded  # the shadow at the edge with more to show
        region.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
        page.wait_for_function(
            "el => el.scrollLeft + el.clientWidth >= el.scrollWidth - 1", arg=region.element_handle()
        )
        assert brightest_near_right_edge(region) > 245  # at the end the shadow is gone
    finally:
        context.close()


def test_a_table_that_fits_says_nothing(live_server, browser):
    cache.clear()
    demo_content.load()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(live_server.url + "/learn/medications-compared/")
        region = page.get_by_role("region", name=TABLE)
        assert region.evaluate("el => el.scrollWidth <= el.clientWidth")
        hint = page.locator(".table-wrap__hint")
        assert hint.count() == 1 and not hint.is_visible()
        assert region.get_attribute("aria-describedby") is None
    finally:
        context.close()
