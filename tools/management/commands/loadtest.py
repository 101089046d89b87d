"""manage.py loadtest: a bounded load test against gunicorn on 127.0.0.1.

Starts gunicorn (production settings, gunicorn.conf.py, port 8177) on the
current DATABASE_URL, runs `wrk` (Debian package `wrk`) with a mixed list of
requests built from the database (searches, program pages, API, small CSV
downloads, home, articles, /healthz) for --duration seconds, and prints
requests per second, p50/p95/p99 latency and errors by class. Options
simulate failures: --redis-down (REDIS_URL pointing at a closed port) and
--kill-worker (SIGKILL one worker halfway through). Only 127.0.0.1."""

import contextlib
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from directory.models import Program
from tools.gunicorn import production_env, running_gunicorn, worker_pids

PORT = 8177
SCRIPT = Path(__file__).resolve().parents[2] / "loadtest" / "mix.lua"
RESULT = re.compile(r"RESULT (.*)")


def request_mix(*, seed=14, size=400) -> list[str]:
    rng = random.Random(seed)
    programs = list(Program.objects.published().values_list("slug", "zip_code")[:5000])
    if not programs:
        raise CommandError("No published programs: load some first (manage.py load_demo --listings N).")
    picks = [rng.choice(programs) for _ in range(size)]
    cares = ["detox", "outpatient", "residential", "intensive-outpatient"]
    paths = []
    for n, (slug, zip_code) in enumerate(picks):
        kind = n % 20
        if kind < 7:
            extra = f"&care={rng.choice(cares)}" if kind % 2 else ""
            paths.append(f"/find/?location={zip_code}&radius={rng.choice([10, 25, 50])}{extra}")
        elif kind < 12:
            paths.append(f"/programs/{slug}/")
        elif kind < 15:
            paths.append(f"/api/v1/programs?location={zip_code}&radius=25")
        elif kind < 17:
            paths.append(f"/api/v1/programs/{slug}")
        elif kind == 17:
            paths.append(f"/find/programs.csv?location={zip_code}&radius=5")
        elif kind == 18:
            paths.append(rng.choice(["/", "/learn/", "/find/"]))
        else:
            paths.append("/healthz")
    return paths


class Command(BaseCommand):
    help = "Run a bounded mixed load test (wrk) against gunicorn on 127.0.0.1:8177."

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--duration", type=int, default=30, help="Seconds (at most 300).")
        parser.add_argument("--connections", type=int, default=8)
        parser.add_argument("--redis-down", action="store_true", help="REDIS_URL points at a closed port.")
        parser.add_argument("--kill-worker", action="store_true", help="SIGKILL one worker halfway.")
        parser.add_argument("--label", default="")

    def handle(self, *args, workers, duration, connections, redis_down, kill_worker, label, **options):
        if not shutil.which("wrk"):
            raise CommandError("wrk is not installed (apt-get install wrk).")
        duration = max(5, min(duration, 300))
        listings = Program.objects.published().count()
        work = Path(tempfile.mkdtemp(prefix="findcare-loadtest-"))
        paths_file = work / "paths.txt"
        paths_file.write_text("\n".join(request_mix()) + "\n")
        env = production_env(**({"REDIS_URL": "redis://127.0.0.1:1/0"} if redis_down else {}))
        try:
            with running_gunicorn(port=PORT, workers=workers, env=env, stderr=self.stderr) as gunicorn:
                self.warm_up(paths_file.read_text().split())
                killer = None
                if kill_worker:
                    killer = subprocess.Popen(  # noqa: S603
                        [sys.executable, "-c", f"import time; time.sleep({duration / 2})"]
                    )
                wrk = subprocess.Popen(  # noqa: S603
                    [shutil.which("wrk"), "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "30s",
                     "-s", str(SCRIPT), f"http://127.0.0.1:{PORT}"],
                    env={**os.environ, "LOADTEST_PATHS": str(paths_file)}, stdout=subprocess.PIPE, text=True,
                )  # fmt: skip
                if killer:
                    killer.wait()
                    victims = worker_pids(gunicorn.pid)
                    if victims:
                        os.kill(victims[0], signal.SIGKILL)
                        self.stderr.write(f"Killed worker {victims[0]}")
                output, _ = wrk.communicate(timeout=duration + 60)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        match = RESULT.search(output)
        if not match:
            raise CommandError(f"wrk gave no result:\n{output}")
        r = dict(pair.split("=") for pair in match.group(1).split())
        seconds = int(r["duration_us"]) / 1e6
        scenario = label or (
            "Redis unreachable" if redis_down else "worker killed" if kill_worker else "normal"
        )
        self.stdout.write(
            f"| {listings:,} | {workers} | {scenario} | {int(r['requests']) / seconds:.1f} | "
            f"{int(r['p50']) / 1000:.0f} | {int(r['p95']) / 1000:.0f} | {int(r['p99']) / 1000:.0f} | "
            f"{r['requests']} | {r['s5xx']} | {r['socket_errors']} | {r['s429']} | {r['s4xx']} |"
        )

    def warm_up(self, paths):
        """One search per worker builds its facet index before timing starts."""
        for path in paths[:6]:
            with contextlib.suppress(OSError):
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}{path}", timeout=60).read()  # noqa: S310
