"""The demo guide loaded by load_demo."""

import io

import pytest
from django.utils import timezone

from guide.models import GuidePage
from tools.demo import content as content_demo
from tools.demo import guide as demo

pytestmark = pytest.mark.django_db


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
    from tools.management.commands.load_demo import Command

    assert demo.load in Command().loaders()


def test_result_lists_the_chosen_related_articles(client, learn_page):
    content_demo.load()
    demo.load()
    from tests.guide.conftest import Walker
    from tests.guide.test_views import CALM

    walker = Walker(client, GuidePage.objects.get())
    response = walker.complete(CALM)
    assert [a.slug for a in response.context["related_articles"]] == [
        "levels-of-care",
        "medications-compared",
        "choosing-a-program",
    ]
