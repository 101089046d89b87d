"""manage.py bench_import runs end to end on a small file and leaves
nothing behind."""

import io

import pytest
from django.core.management import call_command

from directory.models import Program

pytestmark = pytest.mark.django_db


def test_bench_import_small():
    out = io.StringIO()
    call_command("bench_import", rows=150, stdout=out)
    text = out.getvalue()
    assert "first import" in text and "created 150" in text
    assert "re-import" in text and "unchanged 150" in text
    assert "Rolled back." in text
    assert not Program.objects.exists()
