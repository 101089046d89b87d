"""The past-due review reminder (remind_reviews_due, content.tasks): editors
and medical reviewers each learn their part, and every link in it is on the
one base URL (config.site_url), also in development with SITE_URL unset."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from wagtail.models import Site

from config.site_url import FollowServedAddressMiddleware
from content import selectors

from .factories import ArticlePageFactory, UserFactory

EDITOR_PART = "As an editor, you can start the review"
REVIEWER_PART = "As a medical reviewer, check the page"


@pytest.fixture
def past_due(db):
    return ArticlePageFactory(
        title="Overdue article",
        slug="overdue-article",
        last_reviewed=timezone.localdate() - datetime.timedelta(days=400),
        next_review_due=timezone.localdate() - datetime.timedelta(days=35),
    )


def bodies_by_address():
    return {message.to[0]: message.body for message in mail.outbox}


def test_editors_and_reviewers_each_read_their_own_part(past_due):
    UserFactory(username="ed", groups=["Editors"])
    UserFactory(username="doc", groups=["Medical reviewers"])
    UserFactory(username="both", groups=["Editors", "Medical reviewers"])
    UserFactory(username="site-only", groups=["Site editors"])
    UserFactory(username="gone", groups=["Editors"], is_active=False)
    UserFactory(username="no-mail", email="", groups=["Medical reviewers"])
    call_command("remind_reviews_due", stdout=io.StringIO())
    bodies = bodies_by_address()
    assert sorted(bodies) == ["both@example.org", "doc@example.org", "ed@example.org"]
    assert EDITOR_PART in bodies["ed@example.org"] and REVIEWER_PART not in bodies["ed@example.org"]
    assert REVIEWER_PART in bodies["doc@example.org"] and EDITOR_PART not in bodies["doc@example.org"]
    assert EDITOR_PART in bodies["both@example.org"] and REVIEWER_PART in bodies["both@example.org"]
    for body in bodies.values():
        assert "an editor starts the review; a medical reviewer approves it" in body
        assert "ask an editor to submit it" not in body
        assert "Overdue article" in body and f"/admin/pages/{past_due.pk}/edit/" in body
    assert "Editors and Medical reviewers groups" in bodies["both@example.org"]


def test_one_message_per_mailbox_however_the_address_is_spelled(past_due):
    UserFactory(username="pat1", email="Pat@example.org", groups=["Editors"])
    UserFactory(username="pat2", email="pat@example.org", groups=["Medical reviewers"])
    assert selectors.review_reminder_recipients() == [
        ("Pat@example.org", frozenset({"Editors", "Medical reviewers"}))
    ]


def test_nobody_to_tell_sends_nothing(past_due):
    call_command("remind_reviews_due", stdout=io.StringIO())
    assert mail.outbox == []


@pytest.fixture
def served_elsewhere(monkeypatch, past_due):
    """Development with SITE_URL unset (its default port 8000), the site
    served on another port by another process (which recorded it in the
    default Site), the reminder command run from a shell."""
    monkeypatch.setattr(FollowServedAddressMiddleware, "followed", None)
    Site.objects.filter(is_default_site=True).update(hostname="127.0.0.1", port=8166)
    UserFactory(username="ed", groups=["Editors"])
    with override_settings(
        SITE_URL_MODE="request",
        SITE_URL="http://127.0.0.1:8000",
        WAGTAILADMIN_BASE_URL="http://127.0.0.1:8000",
        SITE_URL_FROM_ENV=False,
    ):
        yield


def test_in_development_the_command_links_to_the_served_address_only(served_elsewhere, past_due):
    call_command("remind_reviews_due", stdout=io.StringIO())
    body = mail.outbox[0].body
    assert f"Edit: http://127.0.0.1:8166/admin/pages/{past_due.pk}/edit/" in body
    assert "Live page: http://127.0.0.1:8166/learn/overdue-article/" in body
    assert "The full list: http://127.0.0.1:8166/admin/reports/reviews-due/" in body
    assert ":8000" not in body


def test_a_site_url_given_in_the_environment_wins_in_development(served_elsewhere, past_due):
    """`make run PORT=8131` sets SITE_URL: a command links there, not to the
    port the site was served at before."""
    with override_settings(SITE_URL="http://127.0.0.1:8131", SITE_URL_FROM_ENV=True):
        call_command("remind_reviews_due", stdout=io.StringIO())
    body = mail.outbox[0].body
    assert f"Edit: http://127.0.0.1:8131/admin/pages/{past_due.pk}/edit/" in body
    assert "Live page: http://127.0.0.1:8131/learn/overdue-article/" in body
    assert ":8166" not in body


def test_before_the_site_was_ever_served_links_use_site_url(monkeypatch, past_due):
    monkeypatch.setattr(FollowServedAddressMiddleware, "followed", None)
    Site.objects.filter(is_default_site=True).update(hostname="localhost", port=80)
    UserFactory(username="ed", groups=["Editors"])
    with override_settings(SITE_URL_MODE="request", SITE_URL="http://127.0.0.1:8000"):
        call_command("remind_reviews_due", stdout=io.StringIO())
    body = mail.outbox[0].body
    assert "Edit: http://127.0.0.1:8000/admin/" in body
    assert "Live page: http://127.0.0.1:8000/learn/overdue-article/" in body
    assert "localhost" not in body


def test_in_production_every_link_is_on_site_url(past_due):
    UserFactory(username="ed", groups=["Editors"])
    Site.objects.filter(is_default_site=True).update(hostname="localhost", port=80)
    with override_settings(
        SITE_URL_MODE="setting",
        SITE_URL="https://findcare.example.org",
        WAGTAILADMIN_BASE_URL="https://findcare.example.org",
    ):
        call_command("remind_reviews_due", stdout=io.StringIO())
    body = mail.outbox[0].body
    assert "Live page: https://findcare.example.org/learn/overdue-article/" in body
    assert "localhost" not in body
