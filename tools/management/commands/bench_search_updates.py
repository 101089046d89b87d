"""Benchmark search while listings change.

    manage.py bench_search_updates --listings 20000 --updates-per-second 1 --seconds 30

Builds (or reuses) N sample programs, then runs the bench_search query mix
through the real view for S seconds without updates, and S seconds while a
separate process changes U programs' availability per second through
directory.availability.program_set_availability (as the portal does). The search process
learns of each change from the change log, as another app server would.
Prints p50/p95/p99/max for both phases, their ratio, and how many full
index builds happened during the update phase (goal: none; a request
never waits for a rebuild). Figures are for this machine; see docs/benchmarks.md."""

import multiprocessing
import os
import random
import statistics
import time
from urllib.parse import urlencode

from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.test import Client

from directory.availability import program_set_availability
from directory.models import Program
from directory.search import freshness
from directory.search import index as search_index
from tools.management.commands.bench_search import QUERY_MIX, ZIPS, percentile, require_debug_off
from tools.management.commands.bench_search import Command as SearchBench

CHOICES = [Program.Accepting.YES, Program.Accepting.NO, Program.Accepting.WAITLIST]


def run_updates(per_second: float, seconds: float, done) -> None:
    """The writer (its own process): availability changes at a steady rate."""
    connections.close_all()
    ids = list(Program.objects.published().values_list("pk", flat=True))
    rng = random.Random(11)
    interval = 1 / per_second
    deadline = time.monotonic() + seconds
    next_at = time.monotonic()
    count = 0
    while time.monotonic() < deadline:
        program = Program.objects.get(pk=rng.choice(ids))
        program_set_availability(program=program, accepting=rng.choice(CHOICES), open_beds=rng.randint(0, 9))
        count += 1
        next_at += interval
        time.sleep(max(0.0, next_at - time.monotonic()))
    done.value = count
    connections.close_all()


class Command(BaseCommand):
    help = (
        "Time the directory search with and without program updates happening. "
        "Refuses to run with DEBUG on (set DEBUG=0)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--listings", type=int, default=20_000)
        parser.add_argument("--updates-per-second", type=float, default=1.0)
        parser.add_argument("--seconds", type=float, default=30.0)

    def handle(self, *args, listings, updates_per_second, seconds, **options):
        require_debug_off()
        SearchBench(stdout=self.stdout).ensure_directory(listings)
        client = Client(SERVER_NAME="localhost")
        freshness.reset()
        for warm_up in ["/find/?location=10001", "/find/?location=Chicago%2C+IL", "/find/?q=harbor"]:
            client.get(warm_up)
        self.report_memory()
        vendor = connections["default"].vendor
        self.stdout.write(
            f"\nSearch under updates: {listings:,} programs on {vendor}, {seconds:.0f} s per phase, "
            f"{updates_per_second:g} update(s)/s in a separate process\n"
        )
        builds = []
        real_build = search_index.build

        def counted_build():
            builds.append(time.monotonic())
            return real_build()

        search_index.build = counted_build
        try:
            quiet = self.load(client, seconds)
            connections.close_all()
            context = multiprocessing.get_context("fork")
            done = context.Value("i", 0)
            writer = context.Process(target=run_updates, args=(updates_per_second, seconds, done))
            writer.start()
            busy = self.load(client, seconds)
            writer.join()
            freshness.wait()
        finally:
            search_index.build = real_build
        self.stdout.write(f"{'phase':<22}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}")
        for name, timings in [("no updates", quiet), (f"{done.value} updates", busy)]:
            rate = len(timings) / seconds
            row = f"{name:<22}{rate:>8.1f}{statistics.median(timings):>9.1f}"
            row += f"{percentile(timings, 95):>9.1f}{percentile(timings, 99):>9.1f}{max(timings):>9.1f}"
            self.stdout.write(row)
        ratio = percentile(busy, 95) / percentile(quiet, 95)
        self.stdout.write(f"p95 ratio (updates / none): {ratio:.2f}")
        self.stdout.write(f"Full index builds during the update phase: {len(builds)}")
        index = freshness.get()
        self.stdout.write(
            f"Change-log cursor of this process: {index.cursor}; pending ids: {len(index.pending)}"
        )

    def report_memory(self):
        """Warm-worker RSS and what a full garbage collection costs, before
        and after gc.freeze() (what gunicorn.conf.py does after warm-up)."""
        import gc

        with open("/proc/self/statm") as statm:
            rss = int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
        timings = []
        for freeze in (False, True):
            if freeze:
                gc.freeze()
            start = time.perf_counter()
            gc.collect()
            timings.append((time.perf_counter() - start) * 1000)
        gc.unfreeze()
        self.stdout.write(
            f"Warm process RSS {rss:.0f} MB; {len(gc.get_objects()):,} tracked objects; full gc.collect() "
            f"{timings[0]:.0f} ms, after gc.freeze() {timings[1]:.0f} ms"
        )

    def load(self, client, seconds):
        timings = []
        kinds = list(QUERY_MIX.values())
        deadline = time.monotonic() + seconds
        n = 0
        while time.monotonic() < deadline:
            params = urlencode(kinds[n % len(kinds)](ZIPS[n % len(ZIPS)]), doseq=True)
            start = time.perf_counter()
            response = client.get(f"/find/?{params}")
            timings.append((time.perf_counter() - start) * 1000)
            if response.status_code != 200:
                raise CommandError(f"/find/?{params} answered {response.status_code}")
            n += 1
        return timings
