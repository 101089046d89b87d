import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from content.models import (
    ArticleIndexPage,
    ArticlePage,
    HomePage,
    StandardPage,
    one_year_after,
    review_status,
)

from .factories import ArticlePageFactory, MedicalReviewerFactory

pytestmark = pytest.mark.django_db


def test_learn_index_exists_after_migrate_at_learn(client, learn_page):
    assert learn_page.url == "/learn/"
    assert learn_page.live
    assert client.get("/learn/").status_code == 200


@pytest.mark.parametrize(
    ("child", "parent", "allowed"),
    [
        (ArticlePage, ArticleIndexPage, True),
        (ArticlePage, HomePage, False),
        (ArticlePage, StandardPage, False),
        (ArticlePage, ArticlePage, False),
        (ArticleIndexPage, HomePage, True),
        (ArticleIndexPage, StandardPage, False),
        (StandardPage, ArticleIndexPage, False),
        (StandardPage, HomePage, True),
    ],
)
def test_page_tree_rules(child, parent, allowed):
    assert (parent in child.allowed_parent_page_models()) is allowed
    assert (child in parent.allowed_subpage_models()) is allowed


def test_article_cannot_be_created_under_home(home_page):
    assert not ArticlePage.can_create_at(home_page)


def test_next_review_defaults_to_one_year_after_last_review():
    article = ArticlePageFactory(last_reviewed=datetime.date(2026, 3, 15))
    assert article.next_review_due == datetime.date(2027, 3, 15)


def test_explicit_next_review_date_is_kept():
    article = ArticlePageFactory(
        last_reviewed=datetime.date(2026, 3, 15), next_review_due=datetime.date(2026, 9, 1)
    )
    assert article.next_review_due == datetime.date(2026, 9, 1)


def test_one_year_after_leap_day():
    assert one_year_after(datetime.date(2028, 2, 29)) == datetime.date(2029, 2, 28)


def test_with_review_sets_reviewer_and_dates():
    reviewer = MedicalReviewerFactory()
    article = ArticlePageFactory.build().with_review(reviewer=reviewer, on=datetime.date(2026, 5, 1))
    assert (article.medical_reviewer, article.last_reviewed, article.next_review_due) == (
        reviewer,
        datetime.date(2026, 5, 1),
        datetime.date(2027, 5, 1),
    )


def test_image_requires_alt_text(learn_page):
    image = Image.objects.create(title="Clinic", file=get_test_image_file())
    article = ArticlePage(title="With image", slug="with-image", summary="S", image=image, body="[]")
    with pytest.raises(ValidationError) as error:
        article.clean()
    assert error.value.message_dict == {"image_alt": ["Describe the image for people who cannot see it."]}


def test_headings_make_the_table_of_contents():
    article = ArticlePageFactory(
        body=[("h", "Signs of withdrawal"), ("p", "<p>Text</p>"), ("faq", [("Q?", "<p>A</p>")])]
    )
    assert article.headings() == [
        ("signs-of-withdrawal", "Signs of withdrawal"),
        ("frequently-asked-questions", "Frequently asked questions"),
    ]


def test_reading_time_rounds_up_at_200_words_a_minute():
    short = ArticlePageFactory(body=[("p", "<p>" + "word " * 10 + "</p>")])
    longer = ArticlePageFactory(body=[("p", "<p>" + "word " * 401 + "</p>")])
    assert short.reading_time() == 1
    assert longer.reading_time() == 3


def test_meta_description_defaults_to_summary():
    article = ArticlePageFactory(summary="Plain summary.")
    assert article.meta_description == "Plain summary."
    article.search_description = "Search engine text."
    assert article.meta_description == "Search engine text."


def test_published_on_prefers_the_editors_date():
    article = ArticlePageFactory(first_published=datetime.date(2024, 5, 2))
    assert article.published_on == datetime.date(2024, 5, 2)
    other = ArticlePageFactory()
    assert other.published_on == timezone.localdate(other.first_published_at)


@pytest.mark.parametrize(
    ("due", "expected"),
    [(None, "overdue"), (datetime.date(2026, 1, 9), "overdue"), (datetime.date(2026, 2, 9), "due soon"),
     (datetime.date(2026, 2, 11), "")],
)  # fmt: skip
def test_review_status(due, expected):
    article = ArticlePage(next_review_due=due)
    assert review_status(article, today=datetime.date(2026, 1, 10)) == expected


def test_str_of_contributors():
    assert str(MedicalReviewerFactory(name="Maya Ellison", credentials="MD")) == "Maya Ellison, MD"
    assert str(MedicalReviewerFactory(name="No Letters", credentials="")) == "No Letters"
