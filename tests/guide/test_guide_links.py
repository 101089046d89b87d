"""The links to the live guide from the home and search pages."""

from http import HTTPStatus

import pytest

pytestmark = pytest.mark.django_db

PROMO = "Take the 2-minute guide"


@pytest.mark.parametrize("url", ["/", "/find/"])
def test_home_and_search_link_to_the_live_guide(client, guide_page, url):
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert f'<a href="{guide_page.url}">{PROMO}</a>' in html
    assert "Not sure which care?" in html


def test_no_link_when_no_guide_is_live(client, guide_page):
    guide_page.unpublish()
    assert PROMO not in client.get("/").content.decode()
    guide_page.save_revision().publish()
    assert PROMO in client.get("/").content.decode()


def test_guide_link_survives_a_cache_outage(client, guide_page, monkeypatch):
    class DownCache:
        def get(self, *args, **kwargs):
            raise ConnectionError("cache is down")

        set = get

    monkeypatch.setattr("guide.promo.cache", DownCache())
    response = client.get("/")
    assert response.status_code == HTTPStatus.OK
    assert f'<a href="{guide_page.url}">{PROMO}</a>' in response.content.decode()
