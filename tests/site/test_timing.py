"""config/timing.py: garbage-collection time, SQL time per request and the
Server-Timing header (on only when SERVER_TIMING is)."""

import gc
import re
import runpy

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from config import timing
from directory.models import Program
from tools.management.commands.bench_gunicorn import Sample, parse_server_timing

WITH_MIDDLEWARE = ["config.timing.ServerTimingMiddleware", *settings.MIDDLEWARE]


def test_gc_hook_adds_up_every_collection():
    timing.install_gc_hook()
    timing.install_gc_hook()  # idempotent
    assert gc.callbacks.count(timing._gc_callback) == 1
    collections, seconds = timing.gc_collections(), timing.gc_seconds()
    gc.collect()
    gc.collect()
    assert timing.gc_collections() >= collections + 2
    assert timing.gc_seconds() > seconds
    assert 0 < timing.gc_longest_seconds() <= timing.gc_seconds()


def test_measure_reports_gc_time_inside_the_block_only():
    with timing.measure() as busy:
        gc.collect()
    assert 0 < busy.gc_ms <= busy.wall_ms
    before = busy.gc_ms
    gc.collect()
    assert busy.gc_ms == before


@pytest.mark.django_db
def test_measure_counts_queries_and_their_time():
    with CaptureQueriesContext(connection) as captured, timing.measure() as measured:
        list(Program.objects.all())
        Program.objects.count()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchall()
    assert measured.queries == len(captured.captured_queries) == 3
    assert 0 < measured.sql_ms <= measured.wall_ms
    assert measured.python_ms == pytest.approx(measured.wall_ms - measured.sql_ms)
    # Outside the block nothing is counted any more.
    Program.objects.count()
    assert measured.queries == 3


def test_fetching_rows_counts_as_sql_time(monkeypatch):
    """SQLite runs most of a query while its rows are fetched: the fetch
    calls are timed with the execute call (a fake clock, no real timing)."""
    now = [0.0]
    monkeypatch.setattr(timing.time, "perf_counter", lambda: now[0])

    class Cursor:  # like Django's CursorWrapper: fetch methods via __getattr__
        def __getattr__(self, name):
            def fetch(*args):
                now[0] += 0.005  # 5 ms
                return []

            return fetch

    measured = timing.Timing()
    timer = timing._SQLTimer(measured)
    cursor = Cursor()

    def execute(sql, params, many, context):
        now[0] += 0.002  # 2 ms

    timer(execute, "SELECT 1", (), False, {"cursor": cursor})
    cursor.fetchmany(100)
    cursor.fetchall()
    timer(execute, "SELECT 2", (), False, {"cursor": cursor})  # the same cursor is not wrapped twice
    cursor.fetchone()
    assert measured.queries == 2
    assert measured.sql_ms == pytest.approx(2 + 5 + 5 + 2 + 5)


def test_server_timing_value_format():
    value = timing.Timing(wall_ms=12.34, sql_ms=4.06, queries=1, gc_ms=0).server_timing()
    assert value == 'app;dur=12.3, sql;dur=4.1;desc="1 query", gc;dur=0.0'
    assert timing.Timing(queries=3).server_timing().count('desc="3 queries"') == 1


@pytest.mark.django_db
@override_settings(SERVER_TIMING=True, MIDDLEWARE=WITH_MIDDLEWARE)
def test_header_present_and_sane_when_on(client):
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/find/?location=10001&care=detox")
    assert response.status_code == 200
    header = response["Server-Timing"]
    assert re.fullmatch(r'app;dur=[\d.]+, sql;dur=[\d.]+;desc="\d+ quer(y|ies)", gc;dur=[\d.]+', header), (
        header
    )
    metrics = parse_server_timing(header)
    assert set(metrics) == {"app", "sql", "gc"}
    assert 0 < metrics["sql"]["dur"] <= metrics["app"]["dur"]
    assert metrics["gc"]["dur"] <= metrics["app"]["dur"]
    # What the header says agrees with what Django saw, and with the
    # gunicorn benchmark's reading of it.
    sample = Sample.from_header(1.0, header)
    assert sample.queries == len(captured.captured_queries) > 0
    assert sample.app_ms == metrics["app"]["dur"]


@pytest.mark.django_db
@override_settings(SERVER_TIMING=False, MIDDLEWARE=WITH_MIDDLEWARE)
def test_header_absent_when_off_even_if_listed(client):
    response = client.get("/find/")
    assert response.status_code == 200
    assert "Server-Timing" not in response


@pytest.mark.django_db
def test_off_by_default_and_not_installed(client):
    assert settings.SERVER_TIMING is False
    assert "config.timing.ServerTimingMiddleware" not in settings.MIDDLEWARE
    assert "Server-Timing" not in client.get("/healthz")


@pytest.mark.parametrize(("value", "installed"), [("1", True), ("", False), ("0", False)])
def test_environment_variable_installs_it_first(monkeypatch, value, installed):
    monkeypatch.setenv("SERVER_TIMING", value)
    base = runpy.run_path(str(settings.SITE_DIR / "config" / "settings" / "base.py"))
    assert base["SERVER_TIMING"] is installed
    assert (base["MIDDLEWARE"][0] == "config.timing.ServerTimingMiddleware") is installed
    assert base["MIDDLEWARE"].count("config.timing.ServerTimingMiddleware") == int(installed)
