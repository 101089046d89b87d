"""manage.py bench_gunicorn: the bench_search query mix against a real
gunicorn on 127.0.0.1, one request at a time.

    DATABASE_URL=... manage.py bench_gunicorn [--workers 1] [--rounds 20] [--port 8178]

Starts gunicorn with production settings and gunicorn.conf.py (each worker
warms up and gc.freeze()s before taking requests) on the current
DATABASE_URL, with SERVER_TIMING=1 so every response carries its app, SQL
and garbage-collection time (config/timing.py) and worker recycling off
(--max-requests 0) so the worker measured after the run is the one measured
before. Sends each query type's requests sequentially over HTTP and prints
per type: client-side p50/p95, the server's app time p50, SQL p50, the p50
of (app - SQL) per request, the most GC time in one request and how many
requests spent >= 100 ms in GC; then the RSS, PSS and USS of every worker
and the master after start-up (warm-up done) and after the run. Bounded:
at most --max-seconds of requests. Only 127.0.0.1."""

import http.client
import re
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from directory.models import Program
from tools.gunicorn import HOST, production_env, running_gunicorn, worker_pids
from tools.management.commands.bench_search import (
    QUERY_MIX,
    percentile,
    query_string,
    request_params,
)

PORT = 8178  # loadtest uses 8177: both can run at once
GC_SLOW_MS = 100  # the goal: no request over 100 ms from garbage collection
REQUEST_TIMEOUT = 60
WARM_UP = ["/find/?location=10001", "/find/?location=Chicago%2C+IL"]

_METRIC = re.compile(r'(?:[^,"]|"[^"]*")+')
_PARAM = re.compile(r'(?:[^;"]|"[^"]*")+')


def parse_server_timing(value: str) -> dict[str, dict]:
    """A Server-Timing header as {name: {"dur": ms or None, "desc": text}}:
    `app;dur=12.3, sql;dur=4.1;desc="3 queries"` ->
    {"app": {"dur": 12.3, "desc": ""}, "sql": {"dur": 4.1, "desc": "3 queries"}}."""
    metrics = {}
    for metric in _METRIC.findall(value or ""):
        parts = [part.strip() for part in _PARAM.findall(metric)]
        if not parts or not parts[0]:
            continue
        entry = {"dur": None, "desc": ""}
        for param in parts[1:]:
            key, _, raw = param.partition("=")
            raw = raw.strip().strip('"')
            if key.strip() == "dur":
                try:
                    entry["dur"] = float(raw)
                except ValueError:
                    entry["dur"] = None
            elif key.strip() == "desc":
                entry["desc"] = raw
        metrics[parts[0]] = entry
    return metrics


@dataclass
class Sample:
    """One request: client-side wall time and the server's own figures (ms)."""

    wall_ms: float
    app_ms: float
    sql_ms: float
    queries: int
    gc_ms: float

    @property
    def python_ms(self) -> float:
        return self.app_ms - self.sql_ms

    @classmethod
    def from_header(cls, wall_ms: float, header: str | None) -> "Sample":
        metrics = parse_server_timing(header or "")
        if "app" not in metrics or metrics["app"]["dur"] is None:
            raise CommandError(
                "The response has no Server-Timing header: is config.timing.ServerTimingMiddleware "
                "installed (SERVER_TIMING=1)?"
            )
        sql = metrics.get("sql", {"dur": 0.0, "desc": ""})
        match = re.match(r"(\d+)", sql["desc"])
        return cls(
            wall_ms=wall_ms,
            app_ms=metrics["app"]["dur"],
            sql_ms=sql["dur"] or 0.0,
            queries=int(match.group(1)) if match else 0,
            gc_ms=(metrics.get("gc") or {}).get("dur") or 0.0,
        )


def summarise(samples: list[Sample]) -> dict[str, float]:
    walls = [s.wall_ms for s in samples]
    return {
        "requests": len(samples),
        "p50": statistics.median(walls),
        "p95": percentile(walls, 95),
        "app_p50": statistics.median(s.app_ms for s in samples),
        "sql_p50": statistics.median(s.sql_ms for s in samples),
        "python_p50": statistics.median(s.python_ms for s in samples),
        "queries": max(s.queries for s in samples),
        "max_gc": max(s.gc_ms for s in samples),
        "slow_gc": sum(1 for s in samples if s.gc_ms >= GC_SLOW_MS),
    }


def process_memory(pid: int, proc: Path = Path("/proc")) -> dict[str, float | None]:
    """RSS (/proc/<pid>/status VmRSS), PSS and USS (Private_Clean +
    Private_Dirty in /proc/<pid>/smaps_rollup), in MB; None when unreadable."""
    kilobytes = {}
    for name in ("status", "smaps_rollup"):
        try:
            text = (proc / str(pid) / name).read_text()
        except OSError:
            continue
        for line in text.splitlines():
            key, _, rest = line.partition(":")
            fields = rest.split()
            if len(fields) == 2 and fields[1] == "kB":
                kilobytes[f"{name}:{key}"] = int(fields[0])

    def megabytes(*keys):
        if not all(key in kilobytes for key in keys):
            return None
        return sum(kilobytes[key] for key in keys) / 1024

    return {
        "rss": megabytes("status:VmRSS"),
        "pss": megabytes("smaps_rollup:Pss"),
        "uss": megabytes("smaps_rollup:Private_Clean", "smaps_rollup:Private_Dirty"),
    }


def fetch(port: int, path: str) -> Sample:
    connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    try:
        start = time.perf_counter()
        connection.request("GET", path, headers={"Host": HOST})
        response = connection.getresponse()
        response.read()
        wall_ms = (time.perf_counter() - start) * 1000
    finally:
        connection.close()
    if response.status != 200:
        raise CommandError(f"{path} answered {response.status}")
    return Sample.from_header(wall_ms, response.getheader("Server-Timing"))


def format_memory(memory: dict) -> str:
    return " / ".join("?" if memory[key] is None else f"{memory[key]:.0f}" for key in ("rss", "pss", "uss"))


class Command(BaseCommand):
    help = (
        "Time the bench_search query mix over HTTP against gunicorn (production settings, SERVER_TIMING=1) "
        "on 127.0.0.1: latency, SQL and GC time per request, worker and master memory."
    )

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=1)
        parser.add_argument("--rounds", type=int, default=20, help="Requests per query type (1-500).")
        parser.add_argument("--port", type=int, default=PORT, help=f"Port on 127.0.0.1 (default {PORT}).")
        parser.add_argument(
            "--max-seconds", type=float, default=600, help="Stop sending requests after this (at most 3600)."
        )

    def handle(self, *args, workers, rounds, port, max_seconds, **options):
        rounds = max(1, min(rounds, 500))
        workers = max(1, min(workers, 8))
        max_seconds = max(1.0, min(max_seconds, 3600.0))
        listings = Program.objects.published().count()
        if not listings:
            raise CommandError("No published programs: load some first (manage.py load_demo --listings N).")
        env = production_env(SERVER_TIMING="1")
        extra = ["--max-requests", "0"]  # no recycling: measure the same worker before and after
        server = running_gunicorn(port=port, workers=workers, env=env, stderr=self.stderr, extra_args=extra)
        with server as master:
            pids = self.wait_for_workers(master.pid, workers)
            started = {pid: process_memory(pid) for pid in [master.pid, *pids]}
            for path in WARM_UP:
                fetch(port, path)
            results, complete = self.run(port, rounds, max_seconds)
            after = {pid: process_memory(pid) for pid in [master.pid, *worker_pids(master.pid)]}
        self.report(listings, workers, rounds, results, complete)
        self.report_memory(master.pid, started, after)

    def wait_for_workers(self, master: int, workers: int) -> list[int]:
        deadline = time.monotonic() + 30
        while len(pids := worker_pids(master)) < workers and time.monotonic() < deadline:
            time.sleep(0.2)
        return pids

    def run(self, port, rounds, max_seconds):
        deadline = time.monotonic() + max_seconds
        results = {}
        for name, build in QUERY_MIX.items():
            results[name] = []
            for params in request_params(build, rounds):
                if time.monotonic() > deadline:
                    return {k: v for k, v in results.items() if v}, False
                results[name].append(fetch(port, f"/find/?{query_string(params)}"))
        return results, True

    def report(self, listings, workers, rounds, results, complete):
        self.stdout.write(
            f"\ngunicorn benchmark: {listings:,} published programs, {workers} worker(s), "
            f"{rounds} sequential requests per type (ms; app = the server's own time, Server-Timing)\n"
        )
        if not complete:
            self.stdout.write("Stopped at --max-seconds: some query types have fewer requests or none.")
        self.stdout.write(
            f"{'query type':<26}{'p50':>8}{'p95':>8}{'app p50':>9}{'SQL p50':>9}{'app-SQL':>9}"
            f"{'SQL/page':>9}{'max GC':>8}{f'GC>={GC_SLOW_MS}':>8}"
        )
        for name, samples in results.items():
            s = summarise(samples)
            self.stdout.write(
                f"{name:<26}{s['p50']:>8.1f}{s['p95']:>8.1f}{s['app_p50']:>9.1f}{s['sql_p50']:>9.1f}"
                f"{s['python_p50']:>9.1f}{s['queries']:>9}{s['max_gc']:>8.1f}{s['slow_gc']:>8}"
            )
        if results:
            worst = max(results, key=lambda name: summarise(results[name])["python_p50"])
            slow = sum(summarise(samples)["slow_gc"] for samples in results.values())
            self.stdout.write(
                f"Largest p50 of app minus SQL: {summarise(results[worst])['python_p50']:.1f} ms ({worst}); "
                f"requests with >= {GC_SLOW_MS} ms of GC: {slow}"
            )

    def report_memory(self, master, started, after):
        self.stdout.write("\nMemory, MB (RSS / PSS / USS): after start-up (warm-up done) -> after the run")
        for pid in dict.fromkeys([*started, *after]):
            role = "master" if pid == master else "worker"
            before = format_memory(started[pid]) if pid in started else "(not running)"
            later = format_memory(after[pid]) if pid in after else "(gone)"
            self.stdout.write(f"  {role} {pid}: {before} -> {later}")
