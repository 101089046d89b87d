import pytest
from django.urls import reverse

from tests.content.factories import ArticlePageFactory, UserFactory
from tests.content.test_workflow import article_form_data

pytestmark = pytest.mark.django_db


def script_src(response):
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        if name == "script-src":
            return values
    raise AssertionError("no script-src")


def test_admin_allows_inline_scripts_for_wagtail_widgets(client):
    client.force_login(UserFactory(is_superuser=True))
    response = client.get("/admin/")
    assert script_src(response) == ["'self'", "'unsafe-inline'"]
    assert "gravatar.com" not in response.content.decode()


def test_public_pages_keep_the_strict_policy(client, learn_page):
    assert script_src(client.get("/learn/")) == ["'self'"]
    assert script_src(client.get("/search/?q=detox")) == ["'self'"]


def test_admin_login_page_is_covered_too(client):
    assert "'unsafe-inline'" in script_src(client.get("/admin/login/"))


def directive(response, name):
    for part in response["Content-Security-Policy"].split(";"):
        key, *values = part.split()
        if key == name:
            return values
    raise AssertionError(f"no {name}")


def test_admin_preview_may_be_framed_by_the_site_itself(client, learn_page):
    """The editor's preview panel is an iframe of the preview view: with the
    site-wide frame-ancestors 'none' it stayed blank (issue 30)."""
    article = ArticlePageFactory(title="Naloxone at home")
    client.force_login(UserFactory(is_superuser=True))
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[article.pk])
    data = article_form_data(title="Naloxone at home", slug=article.slug)
    assert client.post(url, data).json() == {"is_valid": True, "is_available": True}
    response = client.get(url + "?in_preview_panel=true")
    assert response.status_code == 200
    assert "What naloxone does" in response.content.decode()
    assert directive(response, "frame-ancestors") == ["'self'"]
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_other_pages_may_not_be_framed(client, learn_page):
    article = ArticlePageFactory(title="Naloxone at home")
    for response in [client.get("/learn/"), client.get(article.url), client.get("/search/?q=detox")]:
        assert directive(response, "frame-ancestors") == ["'none'"]
        assert response["X-Frame-Options"] == "DENY"
    client.force_login(UserFactory(is_superuser=True))
    for url in ["/admin/", f"/admin/pages/{article.pk}/edit/"]:
        response = client.get(url)
        assert directive(response, "frame-ancestors") == ["'none'"]
        assert response["X-Frame-Options"] == "DENY"
