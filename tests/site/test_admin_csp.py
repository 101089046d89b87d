import pytest

from tests.content.factories import UserFactory

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
