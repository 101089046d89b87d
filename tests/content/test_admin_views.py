"""The staff report of medically reviewed pages whose review is overdue or due within 30 days."""

import datetime
from http import HTTPStatus

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from content.selectors import reviews_due

from .factories import ArticlePageFactory, MedicalReviewerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles(learn_page):
    today = timezone.localdate()
    reviewer = MedicalReviewerFactory(name="Maya Ellison", credentials="MD")

    def make(title, due, **kwargs):
        return ArticlePageFactory(title=title, next_review_due=due, medical_reviewer=reviewer, **kwargs)

    return {
        "overdue": make("Overdue article", today - datetime.timedelta(days=3)),
        "soon": make("Due soon article", today + datetime.timedelta(days=30)),
        "later": make("Fine for now", today + datetime.timedelta(days=31)),
        "never": make("Never reviewed", None),
        "draft": make("Draft overdue", today - datetime.timedelta(days=3), live=False),
    }


def test_selector_lists_overdue_and_due_within_30_days_most_urgent_first(articles):
    titles = [a.title for a in reviews_due()]
    assert set(titles) == {"Overdue article", "Due soon article", "Never reviewed"}
    assert titles.index("Overdue article") < titles.index("Due soon article")


def test_report_in_admin_shows_status_and_dates(client, articles):
    client.force_login(UserFactory(groups=["Editors"]))
    response = client.get(reverse("content_review_due"))
    assert response.status_code == HTTPStatus.OK
    html = BeautifulSoup(response.content, "html.parser")
    rows = {
        row.select_one("td a").get_text(strip=True): [
            td.get_text(" ", strip=True) for td in row.select("td")[1:]
        ]
        for row in html.select("tbody tr")
    }
    assert set(rows) == {"Overdue article", "Due soon article", "Never reviewed"}
    assert rows["Overdue article"][:2] == ["Article", "overdue"]
    assert rows["Due soon article"][1] == "due soon"
    assert rows["Never reviewed"][1:3] == ["overdue", "never"]
    assert rows["Overdue article"][4] == "Maya Ellison, MD"
    link = html.select_one("tbody tr td a")["href"]
    assert link.startswith("/admin/pages/") and link.endswith("/edit/")


def test_report_is_in_the_reports_menu(client, articles):
    client.force_login(UserFactory(is_superuser=True))
    html = client.get("/admin/").content.decode()
    assert "Medical reviews due" in html
    assert reverse("content_review_due") in html


def test_report_needs_admin_access(client, articles):
    client.force_login(UserFactory(is_staff=False))
    response = client.get(reverse("content_review_due"))
    assert response.status_code == HTTPStatus.FOUND
    assert "/admin/login/" in response["Location"]
