import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command

from content.models import ArticlePage, MedicalReviewer
from directory.models import Program
from tools.demo import content as demo
from tools.management.commands import load_demo

pytestmark = pytest.mark.django_db


def test_demo_loads_eight_reviewed_articles_once(learn_page):
    out = io.StringIO()
    demo.load(stdout=out)
    articles = ArticlePage.objects.live().specific()
    assert articles.count() == 8
    assert "Created 8 demo articles under /learn/." in out.getvalue()
    for article in articles:
        assert article.medical_reviewer.name == "Maya Ellison", article.title
        assert article.authors.exists(), article.title
        assert article.references.exists(), article.title
        assert article.topics.exists(), article.title
        assert article.last_reviewed and article.next_review_due, article.title
        assert any(block.block_type == "find_treatment" for block in article.body), article.title
    tables = [a.title for a in articles if any(b.block_type == "table" for b in a.body)]
    assert "Methadone, buprenorphine and naltrexone compared" in tables

    again = io.StringIO()
    demo.load(stdout=again)
    assert ArticlePage.objects.count() == 8
    assert again.getvalue().strip() == "Articles already exist: demo articles skipped."


def test_demo_reviewer_account_signs_as_the_demo_reviewer(learn_page):
    demo.load()
    assert MedicalReviewer.objects.get(name="Maya Ellison").user.username == "reviewer"


def test_load_demo_command_creates_editor_and_reviewer_accounts(learn_page, monkeypatch):
    monkeypatch.setattr(load_demo.Command, "loaders", lambda self: [demo.load])
    call_command("load_demo", stdout=io.StringIO())
    users = get_user_model().objects
    assert users.get(username="editor").groups.get() == Group.objects.get(name="Editors")
    assert users.get(username="reviewer").groups.get() == Group.objects.get(name="Medical reviewers")


def test_load_demo_says_which_address_its_emails_link_to(settings, monkeypatch):
    """The demo inquiries' emails linked to port 8000 whatever port served
    the site, without a word: the command names SITE_URL (issue 28)."""
    settings.SITE_URL = "http://127.0.0.1:8131"
    monkeypatch.setattr(load_demo.Command, "loaders", lambda self: [])
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert out.getvalue().startswith("Links in emails use SITE_URL=http://127.0.0.1:8131 ")


def test_demo_article_pages_render(client, learn_page):
    demo.load()
    for article in ArticlePage.objects.all():
        assert client.get(article.url).status_code == 200, article.url
    assert client.get("/learn/").status_code == 200


def test_demo_indexes_bulk_created_programs_for_site_search(client, learn_page):
    Program.objects.bulk_create(
        [Program(name="Bulk Harbor Clinic", slug="bulk-harbor", city="Chicago", state="IL", zip_code="60601",
                 phone="(312) 555-0100",
                 status=Program.Status.PUBLISHED)]
    )  # fmt: skip
    assert "Bulk Harbor Clinic" not in client.get("/search/?q=harbor").content.decode()
    out = io.StringIO()
    demo.load(stdout=out)
    assert "Indexed 1 programs for site search." in out.getvalue()
    assert "Bulk Harbor Clinic" in client.get("/search/?q=harbor").content.decode()


def test_demo_review_dates_are_relative_to_the_day_it_is_loaded(learn_page, monkeypatch):
    import datetime

    from django.utils import timezone

    from content import selectors

    loaded_on = datetime.date(2031, 3, 10)
    monkeypatch.setattr(timezone, "localdate", lambda *args: loaded_on)
    demo.load()
    reviewed = sorted((loaded_on - a.last_reviewed).days for a in ArticlePage.objects.all())
    assert reviewed == sorted(spec["reviewed_days_ago"] for spec in demo.ARTICLES)
    # One demo article is past due and one due soon, whatever the day.
    past_due = list(selectors.reviews_past_due(today=loaded_on))
    assert len(past_due) == 1
    assert len(selectors.reviews_due(today=loaded_on)) == 2


def test_demo_has_two_editors_so_four_eyes_can_be_shown():
    editors = [username for username, _, _, groups in load_demo.DEMO_ACCOUNTS if "Editors" in groups]
    assert len(editors) >= 2
