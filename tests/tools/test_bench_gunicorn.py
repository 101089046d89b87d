"""manage.py bench_gunicorn's pieces (no gunicorn is started here): reading
Server-Timing headers and /proc memory figures, the per-type summary, the
request loop and its time bound, and the shared gunicorn helpers."""

import io
import os
import re
import socket

import pytest
from django.core.management import CommandError
from django.test import override_settings

from tests.site.test_timing import WITH_MIDDLEWARE
from tools import gunicorn
from tools.demo import directory as demo
from tools.management.commands import bench_gunicorn
from tools.management.commands.bench_gunicorn import (
    Sample,
    parse_server_timing,
    process_memory,
    summarise,
)
from tools.management.commands.bench_search import QUERY_MIX


def test_parse_server_timing():
    header = 'app;dur=41.5, sql;dur=8.25;desc="3 queries", gc;dur=0.0, cache;desc="hit, warm", odd;dur=x'
    assert parse_server_timing(header) == {
        "app": {"dur": 41.5, "desc": ""},
        "sql": {"dur": 8.25, "desc": "3 queries"},
        "gc": {"dur": 0.0, "desc": ""},
        "cache": {"dur": None, "desc": "hit, warm"},
        "odd": {"dur": None, "desc": ""},
    }
    assert parse_server_timing("") == {}


def test_sample_from_header():
    sample = Sample.from_header(50.0, 'app;dur=41.5, sql;dur=8.5;desc="3 queries", gc;dur=2.0')
    assert (sample.wall_ms, sample.app_ms, sample.sql_ms, sample.queries, sample.gc_ms) == (
        50,
        41.5,
        8.5,
        3,
        2,
    )
    assert sample.python_ms == 33.0
    with pytest.raises(CommandError, match="SERVER_TIMING=1"):
        Sample.from_header(50.0, None)


def test_summarise():
    samples = [Sample(wall_ms=w, app_ms=w - 1, sql_ms=s, queries=3, gc_ms=g) for w, s, g in [
        (10, 2, 0), (20, 4, 150), (30, 6, 99.9), (40, 8, 100), (100, 10, 0),
    ]]  # fmt: skip
    summary = summarise(samples)
    assert summary["p50"] == 30
    assert summary["p95"] == 100
    assert summary["app_p50"] == 29
    assert summary["sql_p50"] == 6
    assert summary["python_p50"] == 23  # per request: 7, 15, 23, 31, 89
    assert summary["max_gc"] == 150
    assert summary["slow_gc"] == 2
    assert summary["queries"] == 3


def test_process_memory_from_proc_files(tmp_path):
    (tmp_path / "42").mkdir()
    (tmp_path / "42" / "status").write_text("Name:\tgunicorn\nVmRSS:\t  204800 kB\nThreads:\t2\n")
    (tmp_path / "42" / "smaps_rollup").write_text(
        "55d0-7ffd ---p 00000000 00:00 0  [rollup]\nRss:  204800 kB\nPss:  153600 kB\n"
        "Shared_Clean:  40960 kB\nPrivate_Clean:  10240 kB\nPrivate_Dirty:  92160 kB\n"
    )
    assert process_memory(42, proc=tmp_path) == {"rss": 200, "pss": 150, "uss": 100}
    assert process_memory(43, proc=tmp_path) == {"rss": None, "pss": None, "uss": None}


def test_process_memory_of_this_process():
    memory = process_memory(os.getpid())
    assert memory["rss"] > 10
    if memory["pss"] is not None:  # smaps_rollup needs Linux 4.14+
        assert 0 < memory["uss"] <= memory["pss"] <= memory["rss"] + 1


@pytest.mark.django_db
@override_settings(SERVER_TIMING=True, MIDDLEWARE=WITH_MIDDLEWARE)
def test_command_loop_and_report_through_the_real_middleware(client, monkeypatch):
    """The request loop and the table, with each request served by the test
    client instead of HTTP: the real Server-Timing header is parsed."""
    demo.load(stdout=io.StringIO(), listings=30)

    def fetch(port, path):
        response = client.get(path)
        assert response.status_code == 200
        return Sample.from_header(1.0, response["Server-Timing"])

    monkeypatch.setattr(bench_gunicorn, "fetch", fetch)
    command = bench_gunicorn.Command(stdout=io.StringIO())
    results, complete = command.run(port=0, rounds=2, max_seconds=60)
    assert complete and list(results) == list(QUERY_MIX)
    assert all(len(samples) == 2 and samples[0].queries > 0 for samples in results.values())
    command.report(30, 1, 2, results, complete)
    text = command.stdout.getvalue()
    assert "app-SQL" in text and "GC>=100" in text
    assert re.search(
        r"Largest p50 of app minus SQL: [\d.]+ ms \(.+\); requests with >= 100 ms of GC: \d+", text
    )
    for name in QUERY_MIX:
        assert re.search(rf"^{re.escape(name)}(\s+[\d.]+){{8}}$", text, re.M), name


def test_command_loop_stops_at_max_seconds(monkeypatch):
    monkeypatch.setattr(
        bench_gunicorn, "fetch", lambda port, path: pytest.fail("no request after the deadline")
    )
    command = bench_gunicorn.Command(stdout=io.StringIO())
    results, complete = command.run(port=0, rounds=5, max_seconds=-1)
    assert (results, complete) == ({}, False)
    command.report(30, 1, 5, results, complete)
    assert "Stopped at --max-seconds" in command.stdout.getvalue()


def test_report_memory_lists_master_and_workers():
    command = bench_gunicorn.Command(stdout=io.StringIO())
    megabytes = {"rss": 120.4, "pss": 90.0, "uss": None}
    command.report_memory(1, {1: megabytes, 2: megabytes}, {1: megabytes})
    text = command.stdout.getvalue()
    assert "master 1: 120 / 90 / ? -> 120 / 90 / ?" in text
    assert "worker 2: 120 / 90 / ? -> (gone)" in text


def test_gunicorn_runs_on_localhost_with_production_settings():
    env = gunicorn.production_env(SERVER_TIMING="1")
    assert env["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
    assert env["SERVER_TIMING"] == "1"
    assert env["ALLOWED_HOSTS"] == "127.0.0.1"
    assert env["DEBUG"] == "0"
    command = gunicorn.gunicorn_command(port=8178, workers=1, extra_args=["--max-requests", "0"])
    assert command[command.index("--bind") + 1] == "127.0.0.1:8178"
    assert command[command.index("-c") + 1] == "gunicorn.conf.py"
    assert command[-2:] == ["--max-requests", "0"]


def test_refuses_a_port_already_in_use():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        assert gunicorn.port_in_use(port)
        server = gunicorn.running_gunicorn(port=port, workers=1, env={}, stderr=io.StringIO())
        with pytest.raises(CommandError, match="already in use"):
            server.__enter__()
    assert not gunicorn.port_in_use(port)
