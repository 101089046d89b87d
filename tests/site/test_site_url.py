import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from wagtail.models import Site


@pytest.mark.django_db
def test_sync_site_url_sets_the_public_host(client):
    with override_settings(SITE_URL="https://findcare.example.org"):
        call_command("sync_site_url", stdout=io.StringIO())
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("findcare.example.org", 443)
    assert site.root_url == "https://findcare.example.org"


@pytest.fixture
def follow_request(monkeypatch):
    from config.site_url import FollowServedAddressMiddleware

    monkeypatch.setattr(FollowServedAddressMiddleware, "followed", None)
    with override_settings(
        SITE_URL_MODE="request",
        SITE_URL="http://127.0.0.1:8000",
        WAGTAILADMIN_BASE_URL="http://127.0.0.1:8000",
    ):
        yield


@pytest.mark.django_db
def test_in_development_metadata_follows_the_served_address(client, follow_request):
    from content.models import ArticleIndexPage

    response = client.get("/learn/", HTTP_HOST="127.0.0.1:8166")
    assert response.status_code == 200
    assert '<link rel="canonical" href="http://127.0.0.1:8166/learn/">' in response.content.decode()
    assert 'content="http://127.0.0.1:8166/learn/"' in response.content.decode()
    index = client.get("/sitemap.xml", HTTP_HOST="127.0.0.1:8166").content.decode()
    assert "<loc>http://127.0.0.1:8166/sitemap-pages.xml</loc>" in index
    sitemap = client.get("/sitemap-pages.xml", HTTP_HOST="127.0.0.1:8166").content.decode()
    assert "<loc>http://127.0.0.1:8166/learn/</loc>" in sitemap
    assert ArticleIndexPage.objects.get(slug="learn").full_url == "http://127.0.0.1:8166/learn/"


@pytest.mark.django_db
def test_in_development_workflow_emails_link_to_the_served_address(client, follow_request):
    from django.core import mail
    from django.urls import reverse

    from content.models import ArticleIndexPage
    from tests.content.factories import AuthorFactory, UserFactory
    from tests.content.test_workflow import article_form_data

    editor = UserFactory(username="editor", groups=["Editors"])
    UserFactory(username="copyeditor", groups=["Editors"])
    learn = ArticleIndexPage.objects.get(slug="learn")
    client.force_login(editor)
    client.post(
        reverse("wagtailadmin_pages:add", args=["content", "articlepage", learn.pk]),
        {"authors": [AuthorFactory().pk], **article_form_data(), "action-submit": "Submit"},
        HTTP_HOST="127.0.0.1:8166",
    )
    bodies = "\n".join(message.body for message in mail.outbox)
    assert mail.outbox, "the other editor is told about the submission"
    assert "http://127.0.0.1:8166/admin/" in bodies
    assert "127.0.0.1:8000" not in bodies and "http://localhost" not in bodies


@pytest.mark.django_db
def test_in_production_migrate_points_the_site_at_site_url():
    from django.apps import apps

    from config.site_url import sync_site_on_migrate

    with override_settings(SITE_URL_MODE="setting", SITE_URL="https://findcare.example.org"):
        sync_site_on_migrate(sender=apps.get_app_config("content"))
    assert Site.objects.get(is_default_site=True).root_url == "https://findcare.example.org"
    with override_settings(SITE_URL_MODE="off", SITE_URL="https://other.example.org"):
        sync_site_on_migrate(sender=apps.get_app_config("content"))
    assert Site.objects.get(is_default_site=True).root_url == "https://findcare.example.org"


@pytest.mark.django_db
def test_outside_a_request_in_development_links_follow_the_recorded_address(monkeypatch):
    """A command or worker in development (no request served by this
    process) links to the address the serving process recorded in the
    default Site, and Wagtail's own admin links (WAGTAILADMIN_BASE_URL)
    follow; before anything was served, SITE_URL."""
    from django.conf import settings

    from config.site_url import FollowServedAddressMiddleware, absolute_url, site_base_url

    monkeypatch.setattr(FollowServedAddressMiddleware, "followed", None)
    with override_settings(
        SITE_URL_MODE="request",
        SITE_URL="http://127.0.0.1:8000",
        WAGTAILADMIN_BASE_URL="http://127.0.0.1:8000",
        SITE_URL_FROM_ENV=False,
    ):
        Site.objects.filter(is_default_site=True).update(hostname="localhost", port=80)
        assert site_base_url() == "http://127.0.0.1:8000"
        Site.objects.filter(is_default_site=True).update(hostname="127.0.0.1", port=8166)
        assert absolute_url("/for-centers/") == "http://127.0.0.1:8166/for-centers/"
        assert settings.WAGTAILADMIN_BASE_URL == "http://127.0.0.1:8166"


@pytest.mark.django_db
def test_in_a_request_links_are_on_the_request_address(rf):
    from config.site_url import absolute_url

    with override_settings(SITE_URL_MODE="setting", SITE_URL="https://findcare.example.org"):
        assert absolute_url("/x/") == "https://findcare.example.org/x/"
        assert (
            absolute_url("/x/", rf.get("/", HTTP_HOST="findcare.example.org"))
            == "http://findcare.example.org/x/"
        )
