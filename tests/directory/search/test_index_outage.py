"""Search while the cache is unreachable: the facet index learns of changes
from the database change log (freshness.py), never from the cache, so a Redis
outage reaches neither the results nor their freshness."""

from http import HTTPStatus

import pytest

from tests.directory.factories import ProgramFactory

pytestmark = pytest.mark.django_db
UNREACHABLE = {
    "default": {"BACKEND": "config.cache.ResilientRedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
}


def test_search_answers_and_stays_current_with_redis_unreachable(client, settings):
    settings.CACHES = UNREACHABLE
    ProgramFactory(name="Harbor Detox (Sample)", zip_code="10001")
    response = client.get("/find/", {"location": "10001"})
    assert response.status_code == HTTPStatus.OK
    assert "Harbor Detox (Sample)" in response.content.decode()
    ProgramFactory(name="Cedar Outpatient (Sample)", zip_code="10001")
    html = client.get("/find/", {"location": "10001"}).content.decode()
    assert "Cedar Outpatient (Sample)" in html and "2 programs within 25 miles" in html
