"""The guide's medical review: recorded by the medical approval with the
same fields and code as articles, shown on its question and result screens
the way articles show it."""

import datetime
from http import HTTPStatus

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from content.models import ArticlePage, MedicallyReviewedPage, MedicalReviewer, one_year_after
from guide.models import GuidePage
from tests.content.factories import ArticlePageFactory, MedicalReviewerFactory

from .test_views import CALM
from .test_workflow import approve

pytestmark = pytest.mark.django_db

REVIEW_TERMS = {"Medically reviewed by", "Last reviewed", "Next review due"}


def review_items(html, selector):
    soup = BeautifulSoup(html, "html.parser")
    return {
        dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(" ", strip=True)
        for dt in soup.select(f"{selector} dt")
        if dt.get_text(strip=True) in REVIEW_TERMS
    }


@pytest.fixture
def reviewed_guide(guide_page):
    reviewer = MedicalReviewerFactory(name="Maya Ellison", credentials="MD")
    guide_page.with_review(reviewer=reviewer, on=datetime.date(2026, 10, 1))
    guide_page.save_revision().publish()
    guide_page.refresh_from_db()
    return guide_page


def test_guide_and_articles_share_one_definition_of_the_review():
    assert issubclass(GuidePage, MedicallyReviewedPage) and issubclass(ArticlePage, MedicallyReviewedPage)
    for name in ("medical_reviewer", "last_reviewed", "next_review_due"):
        assert GuidePage._meta.get_field(name).model is GuidePage  # a column of its own table...
        assert (
            GuidePage._meta.get_field(name).deconstruct()[1:]
            == ArticlePage._meta.get_field(name).deconstruct()[1:]
        )


def test_medical_approval_records_the_review_on_the_guide(
    client, editor, second_editor, reviewer, guide_page
):
    assert guide_page.last_reviewed is None
    draft = guide_page.get_latest_revision_as_object()
    draft.intro = draft.intro + " Updated."
    draft.save_revision(user=editor)
    guide_page.get_workflow().start(guide_page, editor)
    approve(client, second_editor, guide_page)
    approve(client, reviewer, guide_page)

    page = GuidePage.objects.get(pk=guide_page.pk)
    today = timezone.localdate()
    assert page.live and page.current_workflow_task is None
    assert page.medical_reviewer == MedicalReviewer.objects.get(user=reviewer)
    assert page.medical_reviewer.name == "Maya Ellison"
    assert (page.last_reviewed, page.next_review_due) == (today, one_year_after(today))
    assert page.live_revision.content["last_reviewed"] == today.isoformat()
    assert page.intro.endswith(" Updated.")


def test_question_and_result_screens_show_the_review(walker, reviewed_guide):
    expected = {
        "Medically reviewed by": "Maya Ellison, MD",
        "Last reviewed": "October 1, 2026",
        "Next review due": "October 1, 2027",
    }
    question = walker.start()
    assert question.context["screen"] == "question"
    assert review_items(question.content.decode(), ".guide-review") == expected
    result = walker.complete(CALM)
    assert result.context["screen"] == "result"
    assert review_items(result.content.decode(), ".guide-review") == expected
    intro = walker.client.get(reviewed_guide.url)
    assert review_items(intro.content.decode(), ".guide-review") == expected


def test_guide_shows_the_review_as_an_article_does(client, walker, reviewed_guide):
    ArticlePageFactory(
        slug="reviewed-article",
        medical_reviewer=reviewed_guide.medical_reviewer,
        last_reviewed=reviewed_guide.last_reviewed,
    )
    article = review_items(client.get("/learn/reviewed-article/").content.decode(), ".article-meta")
    guide = review_items(walker.start().content.decode(), ".guide-review")
    assert article == guide
    assert set(guide) == REVIEW_TERMS


def test_unreviewed_guide_shows_no_review_line(walker):
    assert review_items(walker.start().content.decode(), ".guide-review") == {}
    assert b"guide-review" not in walker.response.content


def test_review_fields_are_read_only_in_the_guide_editor(client, editor, reviewed_guide):
    client.force_login(editor)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[reviewed_guide.pk]))
    assert response.status_code == HTTPStatus.OK
    form_html = response.content.decode()
    for name in ("medical_reviewer", "last_reviewed", "next_review_due"):
        assert f'name="{name}"' not in form_html
    assert "Maya Ellison, MD" in form_html  # shown, not editable
