"""The demo guide loaded by load_demo, and the links to it from the home
and search pages."""

import io
from http import HTTPStatus

import pytest
from django.utils import timezone

from content import demo as content_demo
from guide import demo
from guide.models import GuidePage

pytestmark = pytest.mark.django_db

PROMO = "Take the 2-minute guide"


def test_demo_guide_loads_once_live_with_related_articles(learn_page):
    content_demo.load()
    out = io.StringIO()
    demo.load(stdout=out)
    page = GuidePage.objects.live().get()
    assert page.url == "/learn/which-care/"
    assert "Created the demo care guide at /learn/which-care/." in out.getvalue()
    assert [block.value.slug for block in page.related_articles] == [
        "levels-of-care",
        "medications-compared",
        "choosing-a-program",
    ]
    page.full_clean()  # the demo guide passes the editor's checks
    assert page.medical_reviewer.name == "Maya Ellison"  # shown on every screen
    assert page.last_reviewed == timezone.localdate()
    again = io.StringIO()
    demo.load(stdout=again)
    assert GuidePage.objects.count() == 1
    assert again.getvalue().strip() == "A care guide already exists: demo guide skipped."


def test_load_demo_command_includes_the_guide(learn_page):
    from directory.management.commands.load_demo import Command

    assert demo.load in Command().loaders()


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


def test_result_lists_the_chosen_related_articles(client, learn_page):
    content_demo.load()
    demo.load()
    from .conftest import Walker
    from .test_views import CALM

    walker = Walker(client, GuidePage.objects.get())
    response = walker.complete(CALM)
    assert [a.slug for a in response.context["related_articles"]] == [
        "levels-of-care",
        "medications-compared",
        "choosing-a-program",
    ]


def test_guide_link_survives_a_cache_outage(client, guide_page, monkeypatch):
    class DownCache:
        def get(self, *args, **kwargs):
            raise ConnectionError("cache is down")

        set = get

    monkeypatch.setattr("guide.selectors.cache", DownCache())
    response = client.get("/")
    assert response.status_code == HTTPStatus.OK
    assert f'<a href="{guide_page.url}">{PROMO}</a>' in response.content.decode()
