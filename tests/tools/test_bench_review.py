"""bench_review runs through the real review and portal views and prints a
row per step (figures themselves go to docs/benchmarks.md, not asserted)."""

import io

import pytest
from django.core.management import call_command

from directory.models import Organization, Program

pytestmark = pytest.mark.django_db


def test_bench_review_prints_each_step_and_cleans_up():
    out = io.StringIO()
    call_command("bench_review", rounds=2, stdout=out)
    printed = out.getvalue()
    for step in (
        "review page (GET)",
        "approve (POST)",
        "portal dashboard (GET)",
        "listing edit (GET)",
        "inbox (GET)",
        "availability tap (POST)",
    ):
        assert f"{step}: median " in printed, step
    assert not Program.objects.filter(slug="bench-review-program").exists()
    assert not Organization.objects.filter(slug="bench-review").exists()
