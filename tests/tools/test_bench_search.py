"""manage.py bench_search on a tiny directory: the new columns, the textbook
comparison (and that the textbook build finds what the site finds), and the
refusal to benchmark with DEBUG on. Figures are printed, never asserted."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.http import QueryDict
from django.test import override_settings

from tools.demo import directory as demo
from tools.management.commands.bench_search import (
    QUERY_MIX,
    ZIPS,
    query_string,
    request_params,
    textbook_search,
)

pytestmark = pytest.mark.django_db
NUMBER = r"\d+(?:\.\d+)?"


@pytest.fixture
def tiny_directory():
    demo.load(stdout=io.StringIO(), listings=60)


def test_bench_search_prints_sql_gc_and_textbook_columns(tiny_directory):
    out = io.StringIO()
    call_command("bench_search", listings=60, rounds=2, textbook=True, textbook_rounds=1, stdout=out)
    text = out.getvalue()
    assert "Reusing 60 sample programs." in text
    header, *rest = text.split("Textbook django-filter build")
    assert re.search(r"SQL p50\s+p50-SQL\s+max GC", header)
    for name in QUERY_MIX:
        # p50 p95 max SQL/page KB SQL-p50 p50-SQL max-GC
        assert re.search(rf"^{re.escape(name)}\s+(?:{NUMBER}\s+){{7}}{NUMBER}$", header, re.M), name
    (textbook,) = rest
    assert re.search(r"page p50\s+textbook p50\s+SQL p50\s+queries\s+ratio", textbook)
    for name in QUERY_MIX:
        row = re.search(
            rf"^{re.escape(name)}\s+({NUMBER})\s+({NUMBER})\s+{NUMBER}\s+(\d+)\s+({NUMBER})x$", textbook, re.M
        )
        assert row, name
        page, book, queries, ratio = (float(value) for value in row.groups())
        assert ratio == pytest.approx(book / page, rel=0.02, abs=0.06)  # printed values are rounded
        assert queries > 20  # one COUNT per option, at least
    assert "skips template rendering" in textbook


def test_bench_search_refuses_debug(tiny_directory):
    with override_settings(DEBUG=True), pytest.raises(CommandError, match="DEBUG=0"):
        call_command("bench_search", listings=60, rounds=1, stdout=io.StringIO())


def test_textbook_build_finds_what_the_site_finds(tiny_directory, client):
    """The baseline must do the same search: its total agrees with the
    site's (the API answers from the search index) for every query type."""
    totals = []
    for build in QUERY_MIX.values():
        for params in request_params(build, 2):
            total, rows, counts = textbook_search(QueryDict(query_string(params)))
            api = client.get(f"/api/v1/programs?{query_string(params)}").json()
            assert total == api["count"], params
            assert len(rows) <= 20
            assert all(hasattr(row, "_prefetched_objects_cache") for row in rows)
            assert counts["accepting"] <= total
            totals.append(total)
    assert sum(1 for total in totals if total) >= 6  # not an agreement on nothing


def test_every_benchmark_sends_the_same_requests():
    build = QUERY_MIX["zip + 3 filters"]
    requests = request_params(build, 13)
    assert [r["location"] for r in requests] == [ZIPS[n % len(ZIPS)] for n in range(13)]
    assert query_string(requests[0]).count("care=") == 2
