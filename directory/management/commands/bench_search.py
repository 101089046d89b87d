"""Benchmark the directory search through the real view.

    manage.py bench_search --listings 20000 [--rounds 20]

Builds (or reuses) a directory of N sample programs, then runs a fixed mix
of realistic searches through Django's test client (the full middleware
and template stack), printing p50/p95 per query type and the number of SQL
queries per page. Figures are for this machine; see the README."""

import statistics
import time
from urllib.parse import urlencode

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from directory import demo, facets
from directory.models import Program

ZIPS = ["10001", "60614", "77002", "85004", "19103", "30303", "80202", "98101", "02108", "33130", "37203"]

QUERY_MIX = {
    "zip, 25 mi": lambda zip_code: {"location": zip_code},
    "zip, 100 mi": lambda zip_code: {"location": zip_code, "radius": 100},
    "zip + 3 filters": lambda zip_code: {
        "location": zip_code,
        "care": ["detox", "residential"],
        "medication": "buprenorphine",
        "payment": "medicaid",
    },
    "city + 2 filters": lambda zip_code: {"location": "Chicago, IL", "care": "outpatient", "accepting": "1"},
    "text query": lambda zip_code: {"q": "harbor"},
    "no location + filter": lambda zip_code: {"care": "intensive-outpatient", "language": "spanish"},
    "no location, deep page": lambda zip_code: {"sort": "name", "page": 200},
}


class Command(BaseCommand):
    help = "Time the directory search at a given directory size (p50/p95 and queries per page)."

    def add_arguments(self, parser):
        parser.add_argument("--listings", type=int, default=20_000)
        parser.add_argument("--rounds", type=int, default=20, help="Requests per query type.")
        parser.add_argument("--api", action="store_true", help="Also time the JSON API.")

    def handle(self, *args, listings, rounds, api, **options):
        self.ensure_directory(listings)
        client = Client(SERVER_NAME="localhost")
        start = time.perf_counter()
        facets.reset()
        facets.current_index()
        built = time.perf_counter() - start
        self.stdout.write(f"Facet index build (once per process and change): {built:.2f} s")
        for warm_up in ["/find/?location=10001", "/find/?location=Chicago%2C+IL"]:
            client.get(warm_up)  # ZIP and city tables, facet index, templates
        vendor = connection.vendor
        self.stdout.write(
            f"\nSearch benchmark: {listings:,} programs on {vendor}, {rounds} requests per type\n"
        )
        self.stdout.write(
            f"{'query type':<26}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'SQL/page':>10}{'KB':>7}"
        )
        paths = [("/find/", "")] + ([("/api/v1/programs", "API ")] if api else [])
        for path, prefix in paths:
            for name, build in QUERY_MIX.items():
                timings, queries, total = self.run_type(client, path, build, rounds)
                p50, p95 = statistics.median(timings), percentile(timings, 95)
                row = f"{prefix + name:<26}{p50:>9.1f}{p95:>9.1f}{max(timings):>9.1f}"
                self.stdout.write(f"{row}{queries:>10}{total / 1024:>7.0f}")

    def run_type(self, client, path, build, rounds):
        timings, queries, size = [], 0, 0
        for n in range(rounds):
            params = urlencode(build(ZIPS[n % len(ZIPS)]), doseq=True)
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                response = client.get(f"{path}?{params}")
                timings.append((time.perf_counter() - start) * 1000)
            if response.status_code != 200:
                raise CommandError(f"{path}?{params} answered {response.status_code}")
            queries = max(queries, len(captured.captured_queries))
            size = len(response.content)
        return timings, queries, size

    def ensure_directory(self, listings):
        have = Program.objects.filter(is_sample=True).count()
        if have == listings:
            self.stdout.write(f"Reusing {have:,} sample programs.")
            return
        start = time.perf_counter()
        demo.load(stdout=self.stdout, listings=listings)
        self.stdout.write(f"Built {listings:,} sample programs in {time.perf_counter() - start:.1f} s.")


def percentile(values, pct):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]
