from http import HTTPStatus

import pytest

pytestmark = pytest.mark.django_db


def test_home_page_shows_crisis_lines_and_search(client):
    response = client.get("/")
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert 'href="tel:988"' in html
    assert 'href="tel:+18006624357"' in html
    assert 'href="tel:911"' in html
    assert 'action="/find/"' in html
    assert 'name="location"' in html


def test_home_page_replaces_wagtail_welcome_page(home_page):
    assert home_page.__class__.__name__ == "HomePage"
    assert home_page.url == "/"


@pytest.mark.parametrize("path", ["/about/", "/privacy/", "/editorial-policy/", "/terms/", "/data-sources/"])
def test_footer_pages_exist(client, path):
    response = client.get(path)
    assert response.status_code == HTTPStatus.OK
    assert 'href="tel:988"' in response.content.decode()


def test_every_footer_link_resolves(client):
    import re

    html = client.get("/").content.decode()
    footer = html[html.index("<footer") :]
    for href in re.findall(r'href="(/[^"]*)"', footer):
        assert client.get(href).status_code == HTTPStatus.OK, href


def test_unknown_page_is_404_with_help(client):
    response = client.get("/no-such-page/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "tel:988" in response.content.decode()


def test_robots_txt_points_at_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == HTTPStatus.OK
    body = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body
    assert "Disallow: /admin/" in body


def test_no_third_party_assets_on_home(client):
    import re

    html = client.get("/").content.decode()
    external = re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
    # Only our own canonical URL may be absolute.
    assert [u for u in external if not u.startswith(("http://localhost", "http://testserver"))] == []
