import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_crisis_strip_and_accessibility(live_server, page, axe):
    response = page.goto(live_server.url + "/")
    assert response.status == 200
    strip = page.get_by_role("complementary", name="Crisis help")
    assert "988" in strip.inner_text()
    assert strip.locator('a[href="tel:+18006624357"]').count() == 1
    assert strip.locator('a[href="tel:911"]').count() == 1
    # The search form is the first thing a visitor can use.
    assert page.get_by_label("ZIP code, city or county").is_visible()
    axe(page)


def test_skip_link_moves_focus_to_main(live_server, page):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
