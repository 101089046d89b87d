"""Site-wide views that belong to no app."""

from http import HTTPStatus

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks import task_backends
from django_tasks_db.models import DBTaskResult

from .site_url import absolute_url

TASK_BACKLOG_WARNING = 500  # ready tasks waiting: the worker is down or behind


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return "unavailable"
    return "ok"


def check_cache() -> str:
    """ "ok", "unavailable" (the site serves without it) or "local" (no
    shared cache configured)."""
    ping = getattr(cache, "ping", None)
    if ping is None:
        return "local"
    return "ok" if ping() else "unavailable"


def check_tasks() -> dict:
    """Tasks waiting for the worker, when they are kept in the database."""
    backend = task_backends["default"]
    if not backend.__class__.__module__.startswith("django_tasks_db"):
        return {"status": "ok", "backend": backend.__class__.__name__}
    try:
        ready = DBTaskResult.objects.ready().count()
    except DatabaseError:
        return {"status": "unavailable"}
    return {"status": "ok" if ready < TASK_BACKLOG_WARNING else "backlog", "ready": ready}


@never_cache
@require_GET
def healthz(request):
    """For load balancers and monitors: each dependency's state. 503 only
    when the site cannot serve (the database is down); a cache outage or a
    task backlog is reported as "degraded" with a 200."""
    database = check_database()
    report = {"database": database, "cache": check_cache()}
    if database == "ok":
        report["tasks"] = check_tasks()
    if database != "ok":
        return JsonResponse({"status": "error", **report}, status=HTTPStatus.SERVICE_UNAVAILABLE)
    degraded = report["cache"] == "unavailable" or report["tasks"]["status"] != "ok"
    return JsonResponse({"status": "degraded" if degraded else "ok", **report})


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        "Disallow: /portal/",
        "Disallow: /search/",
        f"Sitemap: {absolute_url('/sitemap.xml', request)}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
