"""Every error is ours: rendered pages with the crisis lines and security
headers, JSON under /api/, 400 for NUL bytes and unknown charsets, HEAD
wherever GET works."""

from http import HTTPStatus

import pytest
from django.test import Client, override_settings
from django.urls import path

from config import urls as site_urls

pytestmark = pytest.mark.django_db

CRISIS = b"988"


def assert_ours(response, status):
    assert response.status_code == status
    assert CRISIS in response.content
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" in response
    assert "Permissions-Policy" in response


def boom(request):
    raise RuntimeError("broken view")


urlpatterns = [path("boom/", boom), path("api/v1/boom/", boom), *site_urls.urlpatterns]
handler500 = site_urls.handler500


@pytest.fixture
def raising_client():
    return Client(raise_request_exception=False)


def test_404_page(client):
    assert_ours(client.get("/no-such-page/"), HTTPStatus.NOT_FOUND)


@override_settings(ROOT_URLCONF=__name__)
def test_500_page_and_api_500_is_json(raising_client):
    assert_ours(raising_client.get("/boom/"), HTTPStatus.INTERNAL_SERVER_ERROR)
    response = raising_client.get("/api/v1/boom/")
    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"] == "Something went wrong"


def test_500_page_falls_back_when_the_template_fails(rf, monkeypatch):
    from config import errors

    def broken(name):
        raise RuntimeError("template engine down")

    monkeypatch.setattr(errors.loader, "get_template", broken)
    response = errors.server_error(rf.get("/"))
    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert CRISIS in response.content


def test_405_page_keeps_allow_header(client):
    response = client.delete("/find/")
    assert_ours(response, HTTPStatus.METHOD_NOT_ALLOWED)
    assert response["Allow"] == "GET"


def test_csrf_failure_is_our_403():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/programs/anything/report/", {"kind": "phone"})
    assert_ours(response, HTTPStatus.FORBIDDEN)
    assert b"Nothing was sent" in response.content


def test_unknown_charset_is_400(raising_client):
    response = raising_client.generic(
        "POST", "/find/", b"location=10001", content_type="application/x-www-form-urlencoded; charset=no-such"
    )
    assert_ours(response, HTTPStatus.BAD_REQUEST)


@pytest.mark.parametrize(
    "url", ["/programs/%00/", "/find/?q=a%00b", "/find/?location%00=1", "/learn/%00", "/sitemap.xml?p=%00"]
)
def test_nul_bytes_in_path_or_query_are_400(raising_client, url):
    assert_ours(raising_client.get(url), HTTPStatus.BAD_REQUEST)


def test_nul_bytes_in_form_data_are_400(raising_client):
    response = raising_client.post("/programs/x/report/", {"details": "a\x00b"})
    assert_ours(response, HTTPStatus.BAD_REQUEST)
    response = raising_client.generic(
        "POST", "/programs/x/report/", b"details=a%00b", content_type="application/x-www-form-urlencoded"
    )
    assert_ours(response, HTTPStatus.BAD_REQUEST)


def test_api_errors_are_json(raising_client):
    for url, status in [
        ("/api/v1/programs/%00", HTTPStatus.BAD_REQUEST),
        ("/api/v1/programs/no-such-program", HTTPStatus.NOT_FOUND),
        ("/api/v1/programs?page=abc", HTTPStatus.UNPROCESSABLE_ENTITY),
    ]:
        response = raising_client.get(url)
        assert response.status_code == status, url
        assert response["Content-Type"].startswith("application/json"), url
        assert "detail" in response.json()


@pytest.mark.parametrize(
    "url", ["/", "/find/", "/find/?location=10001", "/api/v1/programs", "/api/v1/vocabularies", "/healthz",
            "/robots.txt", "/sitemap.xml", "/learn/", "/find/programs.csv"],
)  # fmt: skip
def test_head_is_answered_wherever_get_is(client, url):
    get = client.get(url)
    if get.streaming:
        b"".join(get.streaming_content)
        get.close()
    head = client.head(url)
    assert head.status_code == get.status_code == HTTPStatus.OK, url
    assert (b"".join(head.streaming_content) if head.streaming else head.content) == b""
    assert head["Content-Type"] == get["Content-Type"]
