"""Benchmark the directory search through the real view.

    DEBUG=0 manage.py bench_search --listings 20000 [--rounds 20] [--api] [--textbook]

Builds (or reuses) a directory of N sample programs, then runs a fixed mix
of realistic searches through Django's test client (the full middleware
and template stack), printing per query type: p50/p95/max, SQL queries per
page, page size, SQL time (p50), the p50 of each request's time minus its
SQL time, and the most garbage-collection time inside one request
(config/timing.py). With --textbook it also times, for the same requests, a
textbook django-filter build (see textbook_search) and prints the ratio.
Refuses to run with DEBUG on (template debugging and query logging distort
every figure). Figures are for this machine; see docs/benchmarks.md."""

import gc
import statistics
import time
from urllib.parse import urlencode

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.core.paginator import Paginator
from django.db import connection
from django.http import QueryDict
from django.template import engines
from django.test import Client

from config import timing
from directory import vocabularies
from directory.models import Program
from directory.search import freshness
from directory.search.filterset import ProgramFilter
from tools.demo import directory as demo

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


PAGE_SIZE = 20
# What a result card shows (directory/includes/program_card.html).
CARD_TERMS = ["levels_of_care", "medications", "payment_options"]
TEXTBOOK_EXCLUDES = (
    "The textbook build skips template rendering, the middleware and the test client, so its time is "
    "a lower bound and the ratio (textbook p50 / page p50) is conservative. Its counts are one COUNT per "
    "option of the filtered results (as a textbook does), not the page's own-group-excluded counts."
)


def request_params(build, rounds: int) -> list[dict]:
    """The requests of one query type: the same ZIPs in the same order for
    every benchmark (page, textbook, gunicorn)."""
    return [build(ZIPS[n % len(ZIPS)]) for n in range(rounds)]


def query_string(params: dict) -> str:
    return urlencode(params, doseq=True)


def textbook_search(params: QueryDict) -> tuple[int, list, dict]:
    """The search written the plain django-filter way, as a baseline: the
    FilterSet's queryset, Paginator's page with the rows the result cards
    need (organization joined, card terms prefetched) and one COUNT per
    facet option: every term of every searchable vocabulary and every flag,
    on the filtered queryset. Returns (total, the page's rows, counts)."""
    filterset = ProgramFilter(params, queryset=Program.objects.listed())
    results = filterset.qs
    paginator = Paginator(results.select_related("organization").prefetch_related(*CARD_TERMS), PAGE_SIZE)
    page = paginator.get_page(params.get("page"))
    rows = list(page.object_list)
    counts = {}
    for vocabulary in vocabularies.VOCABULARIES:
        for term in vocabulary.model.objects.all():
            counts[vocabulary.param, term.slug] = results.filter(**{vocabulary.relation: term}).count()
    for flag in vocabularies.FLAGS:
        counts[flag.param] = results.filter(flag.condition).count()
    return paginator.count, rows, counts


def require_debug_off() -> None:
    """DEBUG turns on template debugging and (in views) query logging: the
    figures would be those of a development server."""
    debug_templates = any(getattr(getattr(e, "engine", None), "debug", False) for e in engines.all())
    if settings.DEBUG or debug_templates:
        raise CommandError(
            "Benchmarks need DEBUG off (template debugging and query logging distort them): "
            "run with DEBUG=0, e.g. `DEBUG=0 .venv/bin/python manage.py bench_search`."
        )


class Command(BaseCommand):
    help = (
        "Time the directory search at a given directory size: p50/p95, SQL queries and SQL time per page, "
        "time minus SQL, GC time inside a request; --textbook compares a textbook django-filter build. "
        "Refuses to run with DEBUG on (set DEBUG=0)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--listings", type=int, default=20_000)
        parser.add_argument("--rounds", type=int, default=20, help="Requests per query type.")
        parser.add_argument("--api", action="store_true", help="Also time the JSON API.")
        parser.add_argument(
            "--textbook",
            action="store_true",
            help="Also time a textbook django-filter build (FilterSet.qs + Paginator + one COUNT per option) "
            "on the same requests and print textbook p50 / page p50.",
        )
        parser.add_argument(
            "--textbook-rounds",
            type=int,
            default=None,
            help="Textbook requests per query type (the first of the same requests; default: --rounds).",
        )

    def handle(self, *args, listings, rounds, api, textbook, textbook_rounds, **options):
        require_debug_off()
        rounds = max(1, rounds)
        self.ensure_directory(listings)
        client = Client(SERVER_NAME="localhost")
        start = time.perf_counter()
        freshness.reset()
        freshness.current_index()
        built = time.perf_counter() - start
        self.stdout.write(f"Facet index build (once per process and change): {built:.2f} s")
        for warm_up in ["/find/?location=10001", "/find/?location=Chicago%2C+IL"]:
            client.get(warm_up)  # ZIP and city tables, facet index, templates
        # As gunicorn.conf.py does after its warm-up: what is alive now is
        # never rescanned by the garbage collector.
        gc.collect()
        gc.freeze()
        timing.install_gc_hook()
        try:
            self.run_all(client, listings, rounds, api, textbook, textbook_rounds)
        finally:
            gc.unfreeze()

    def run_all(self, client, listings, rounds, api, textbook, textbook_rounds):
        vendor = connection.vendor
        self.stdout.write(
            f"\nSearch benchmark: {listings:,} programs on {vendor}, {rounds} requests per type "
            "(after warm-up and gc.freeze(); times in ms)\n"
        )
        self.stdout.write(
            f"{'query type':<26}{'p50':>8}{'p95':>8}{'max':>8}{'SQL/page':>9}{'KB':>5}"
            f"{'SQL p50':>9}{'p50-SQL':>9}{'max GC':>8}"
        )
        paths = [("/find/", "")] + ([("/api/v1/programs", "API ")] if api else [])
        page_p50 = {}
        for path, prefix in paths:
            for name, build in QUERY_MIX.items():
                samples, queries, size = self.run_type(client, path, request_params(build, rounds))
                walls = [s.wall_ms for s in samples]
                p50 = statistics.median(walls)
                if not prefix:
                    page_p50[name] = p50
                row = f"{prefix + name:<26}{p50:>8.1f}{percentile(walls, 95):>8.1f}{max(walls):>8.1f}"
                row += f"{queries:>9}{size / 1024:>5.0f}"
                row += f"{statistics.median(s.sql_ms for s in samples):>9.1f}"
                row += f"{statistics.median(s.python_ms for s in samples):>9.1f}"
                row += f"{max(s.gc_ms for s in samples):>8.1f}"
                self.stdout.write(row)
        if textbook:
            self.compare_textbook(page_p50, max(1, textbook_rounds or rounds))

    def run_type(self, client, path, requests):
        samples, queries, size = [], 0, 0
        for params in requests:
            url = f"{path}?{query_string(params)}"
            with timing.measure() as sample:
                response = client.get(url)
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}")
            samples.append(sample)
            queries = max(queries, sample.queries)
            size = len(response.content)
        return samples, queries, size

    def compare_textbook(self, page_p50, rounds):
        textbook_search(QueryDict(query_string(QUERY_MIX["zip, 25 mi"](ZIPS[0]))))  # warm-up
        self.stdout.write(
            f"\nTextbook django-filter build, same requests ({rounds} per type):\n"
            f"{'query type':<26}{'page p50':>10}{'textbook p50':>14}{'SQL p50':>9}{'queries':>9}{'ratio':>8}"
        )
        for name, build in QUERY_MIX.items():
            samples = []
            for params in request_params(build, rounds):
                with timing.measure() as sample:
                    textbook_search(QueryDict(query_string(params)))
                samples.append(sample)
            p50 = statistics.median(s.wall_ms for s in samples)
            sql = statistics.median(s.sql_ms for s in samples)
            queries = max(s.queries for s in samples)
            ratio = p50 / page_p50[name]
            self.stdout.write(
                f"{name:<26}{page_p50[name]:>10.1f}{p50:>14.1f}{sql:>9.1f}{queries:>9}{ratio:>7.1f}x"
            )
        self.stdout.write(TEXTBOOK_EXCLUDES)

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
