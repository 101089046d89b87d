"""manage.py bench_import --size-mb: writes a locator export of about that
size (CSV with one 0/1 column per code, or JSON), imports it once, prints
the peak memory and leaves nothing behind (issue 21)."""

import io

import pytest
from django.core.management import call_command

from directory.models import Program

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("shape", ["csv", "json"])
def test_bench_import_memory_small(shape):
    out = io.StringIO()
    call_command("bench_import", size_mb=0.2, shape=shape, stdout=out)
    text = out.getvalue()
    assert f"rows, {shape})" in text and f"(samhsa-{shape})" in text
    assert "skipped 0" in text
    assert "peak memory (RSS):" in text and "MB after" in text
    assert "Rolled back." in text
    assert not Program.objects.exists()
