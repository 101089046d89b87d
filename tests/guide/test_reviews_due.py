"""The care guide's medical review falls due like an article's: it is in the
"Medical reviews due" report, the dashboard panel, the reminder email and
the reader's note; and a guide that went live before GuidePage had review
fields gets its last medical approval recorded (guide/0003)."""

import datetime
import importlib

import pytest
from bs4 import BeautifulSoup
from django.apps import apps as django_apps
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import TaskState

from content import selectors
from content.models import ArticlePage, MedicallyReviewedPage, MedicalReviewer, one_year_after
from guide.models import GuidePage
from tests.content.factories import ArticlePageFactory, UserFactory
from tools.demo.guide import build_guide_page

from .test_review import review_items
from .test_views import CALM
from .test_workflow import approve

pytestmark = pytest.mark.django_db

NOTE = "due for its regular medical review"


def set_review(page, *, last_reviewed, next_review_due):
    page.last_reviewed, page.next_review_due = last_reviewed, next_review_due
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def overdue_guide(guide_page):
    today = timezone.localdate()
    return set_review(
        guide_page,
        last_reviewed=today - datetime.timedelta(days=400),
        next_review_due=today - datetime.timedelta(days=35),
    )


@pytest.fixture
def hidden_guides(learn_page):
    """Two more overdue guides readers cannot see: a draft, and one unpublished."""
    overdue = timezone.localdate() - datetime.timedelta(days=10)
    draft = build_guide_page()
    draft.title, draft.slug, draft.live, draft.next_review_due = "Draft guide", "draft-guide", False, overdue
    learn_page.add_child(instance=draft)
    gone = build_guide_page()
    gone.title, gone.slug, gone.next_review_due = "Unpublished guide", "unpublished-guide", overdue
    learn_page.add_child(instance=gone)
    gone.save_revision().publish()
    gone.unpublish()
    return draft, gone


def report_rows(client):
    html = BeautifulSoup(client.get(reverse("content_review_due")).content, "html.parser")
    return {
        row.select_one("td a").get_text(strip=True): [td.get_text(" ", strip=True) for td in row("td")[1:]]
        for row in html.select("tbody tr")
    }


def test_every_medically_reviewed_page_type_is_derived_from_the_abstract_class():
    assert MedicallyReviewedPage.page_models() == [ArticlePage, GuidePage]


def test_past_due_guide_is_in_the_report_beside_articles(client, overdue_guide, hidden_guides):
    three_days_ago = timezone.localdate() - datetime.timedelta(days=3)
    ArticlePageFactory(title="Overdue article", next_review_due=three_days_ago)
    client.force_login(UserFactory(groups=["Editors"]))
    rows = report_rows(client)
    assert set(rows) == {overdue_guide.title, "Overdue article"}
    assert rows[overdue_guide.title][:2] == ["Care guide", "overdue"]
    assert rows["Overdue article"][:2] == ["Article", "overdue"]
    # Most overdue first, whatever the page type.
    assert list(rows) == [overdue_guide.title, "Overdue article"]


def test_report_lists_a_guide_due_within_30_days(client, guide_page):
    today = timezone.localdate()
    set_review(guide_page, last_reviewed=today, next_review_due=today + datetime.timedelta(days=30))
    client.force_login(UserFactory(groups=["Editors"]))
    assert report_rows(client)[guide_page.title][1] == "due soon"
    set_review(guide_page, last_reviewed=today, next_review_due=today + datetime.timedelta(days=31))
    assert report_rows(client) == {}


def report_queries(client):
    with CaptureQueriesContext(connection) as queries:
        report_rows(client)
    return len(queries)


def test_report_queries_do_not_grow_with_the_pages_listed(client, overdue_guide):
    client.force_login(UserFactory(groups=["Editors"]))
    ArticlePageFactory(slug="overdue-0", next_review_due=datetime.date(2020, 1, 1))
    report_queries(client)  # warm: menus, permissions, content types
    before = report_queries(client)
    for n in range(1, 6):
        ArticlePageFactory(slug=f"overdue-{n}", next_review_due=datetime.date(2020, 1, 1))
    assert len(report_rows(client)) == 7
    assert report_queries(client) == before


def test_reminder_email_lists_the_past_due_guide_not_hidden_ones(reviewer, overdue_guide, hidden_guides):
    call_command("remind_reviews_due")
    assert [message.to for message in mail.outbox] == [["reviewer@example.org"]]
    message = mail.outbox[0]
    assert message.subject == "1 medical review past due"
    assert f"- {overdue_guide.title} (care guide; review was due " in message.body
    assert f"/admin/pages/{overdue_guide.pk}/edit/" in message.body
    assert "Draft guide" not in message.body and "Unpublished guide" not in message.body


def test_hidden_guides_are_neither_due_nor_reminded(reviewer, hidden_guides):
    assert list(selectors.reviews_due()) == []
    call_command("remind_reviews_due")
    assert mail.outbox == []


def test_past_due_guide_is_on_the_reviewers_dashboard(client, reviewer, overdue_guide):
    client.force_login(reviewer)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Medical reviews past due (1)" in home
    assert f"{overdue_guide.title}</a> (care guide)" in home


def test_readers_of_a_past_due_guide_see_the_calm_note(walker, overdue_guide):
    intro = walker.client.get(overdue_guide.url).content.decode()
    assert f"This care guide is {NOTE}" in intro
    result = walker.complete(CALM)
    assert NOTE in result.content.decode()


def test_a_current_guide_shows_no_note(walker, guide_page):
    set_review(guide_page, last_reviewed=timezone.localdate(), next_review_due=None)
    assert NOTE not in walker.client.get(guide_page.url).content.decode()


# A guide that went live before GuidePage had review fields (guide/0003).


def earlier_review_migration():
    return importlib.import_module("guide.migrations.0003_review_from_earlier_medical_approvals")


def forget_review(page):
    """The guide as it was before guide/0002: approved, but nothing recorded."""
    unreviewed = {"medical_reviewer": None, "last_reviewed": None, "next_review_due": None}
    GuidePage.objects.filter(pk=page.pk).update(**unreviewed)
    page.refresh_from_db()
    for revision in page.revisions.all():
        revision.content.update(unreviewed)
        revision.save(update_fields=["content"])


def test_migration_records_the_last_medical_approval_on_an_earlier_guide(
    client, editor, second_editor, reviewer, guide_page
):
    draft = guide_page.get_latest_revision_as_object()
    draft.intro += " Updated."
    draft.save_revision(user=editor)
    guide_page.get_workflow().start(guide_page, editor)
    approve(client, second_editor, guide_page)
    approve(client, reviewer, guide_page)
    approved_on = datetime.date(2026, 2, 28)
    TaskState.objects.filter(status="approved", finished_by=reviewer).update(
        finished_at=timezone.make_aware(datetime.datetime.combine(approved_on, datetime.time(15)))
    )
    MedicalReviewer.objects.filter(user=reviewer).delete()  # the old approval made no profile
    page = GuidePage.objects.get(pk=guide_page.pk)
    forget_review(page)
    assert review_items(client.get(page.url).content.decode(), ".guide-review") == {}

    earlier_review_migration().forwards(django_apps, None)

    page = GuidePage.objects.get(pk=guide_page.pk)
    assert page.medical_reviewer == MedicalReviewer.objects.get(user=reviewer, name="Maya Ellison")
    assert (page.last_reviewed, page.next_review_due) == (approved_on, one_year_after(approved_on))
    for revision in (page.live_revision, page.latest_revision):
        assert revision.as_object().last_reviewed == approved_on
    client.logout()
    assert review_items(client.get(page.url).content.decode(), ".guide-review") == {
        "Medically reviewed by": "Maya Ellison",
        "Last reviewed": "February 28, 2026",
        "Next review due": "February 28, 2027",
    }


def test_migration_leaves_a_guide_without_a_medical_approval_unreviewed(guide_page):
    earlier_review_migration().forwards(django_apps, None)
    page = GuidePage.objects.get(pk=guide_page.pk)
    assert (page.medical_reviewer, page.last_reviewed, page.next_review_due) == (None, None, None)
    assert [p.pk for p in selectors.reviews_past_due()] == [page.pk]  # listed as never reviewed


def test_report_downloads_with_each_page_type(client, overdue_guide):
    client.force_login(UserFactory(groups=["Editors"]))
    response = client.get(reverse("content_review_due") + "?export=csv")
    assert response.status_code == 200
    assert "medical-reviews-due" in response["Content-Disposition"]
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0] == "Title,Type,Next review due,Last reviewed,Medical reviewer"
    assert lines[1].startswith(f"{overdue_guide.title},Care guide,")
