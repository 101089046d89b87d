from http import HTTPStatus

import pytest
from django.db import DatabaseError


@pytest.mark.django_db
def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == HTTPStatus.OK
    body = response.json()
    assert (body["status"], body["database"], body["cache"]) == ("ok", "ok", "local")
    assert body["tasks"]["status"] == "ok"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_503_when_database_fails(client):
    from django.db import connection

    def broken(execute, sql, params, many, context):
        raise DatabaseError("database is down")

    with connection.execute_wrapper(broken):
        response = client.get("/healthz")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json()["database"] == "unavailable"


@pytest.mark.django_db
def test_healthz_reports_task_backlog_as_degraded(client, settings, monkeypatch):
    from config import views

    monkeypatch.setattr(views, "TASK_BACKLOG_WARNING", 0)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    response = client.get("/healthz")
    assert response.status_code == HTTPStatus.OK
    assert response.json()["status"] == "degraded"
    assert response.json()["tasks"] == {"status": "backlog", "ready": 0}
