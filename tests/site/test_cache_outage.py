"""Redis unreachable: the site keeps serving (search, pages, sign-in), the
outage is logged once per interval, /healthz says "degraded" with a 200."""

import logging
from http import HTTPStatus

import pytest
from django.core.cache import caches
from django.test import override_settings

from directory.search import freshness
from tests.directory.factories import ProgramFactory

pytestmark = pytest.mark.django_db

DEAD_REDIS = {
    "default": {
        "BACKEND": "config.cache.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        "KEY_PREFIX": "findcare-test",
    }
}


@pytest.fixture
def dead_cache():
    freshness.reset()
    with override_settings(CACHES=DEAD_REDIS):  # Django resets its cache handlers on this change
        yield caches["default"]
    freshness.reset()


def test_search_pages_and_api_answer_without_redis(client, dead_cache, caplog):
    ProgramFactory(name="Harbor House", zip_code="10001", levels_of_care=["detox"])
    with caplog.at_level(logging.WARNING):
        for _ in range(5):
            assert client.get("/find/", {"location": "10001", "care": "detox"}).status_code == HTTPStatus.OK
        assert b"Harbor House" in client.get("/find/", {"location": "10001"}).content
        assert client.get("/api/v1/programs").json()["count"] == 1
        assert client.get("/").status_code == HTTPStatus.OK
        assert client.get("/learn/").status_code == HTTPStatus.OK
    outage_lines = [r for r in caplog.records if r.name == "config.cache"]
    assert len(outage_lines) == 1  # once per interval, not per request


def test_saving_a_program_without_redis_updates_search(client, dead_cache):
    ProgramFactory(name="First Program", zip_code="10001")
    assert b"First Program" in client.get("/find/", {"location": "10001"}).content
    ProgramFactory(name="Second Program", zip_code="10001")  # signal -> invalidate() must not fail
    assert b"Second Program" in client.get("/find/", {"location": "10001"}).content


def test_sign_in_works_without_redis(client, dead_cache, django_user_model):
    django_user_model.objects.create_superuser("staffer", password="pw-0123456789")
    response = client.post("/admin/login/", {"username": "staffer", "password": "pw-0123456789"})
    assert response.status_code == HTTPStatus.FOUND
    assert client.get("/admin/").status_code == HTTPStatus.OK


def test_healthz_reports_cache_outage_as_degraded(client, dead_cache):
    response = client.get("/healthz")
    assert response.status_code == HTTPStatus.OK
    body = response.json()
    assert (body["status"], body["database"], body["cache"]) == ("degraded", "ok", "unavailable")


def test_csv_download_works_without_redis(client, dead_cache):
    ProgramFactory(zip_code="10001")
    response = client.get("/find/programs.csv")
    assert response.status_code == HTTPStatus.OK
    assert b"# end of file: 1 rows" in b"".join(response.streaming_content)
