"""Formula injection (OWASP "CSV injection") in every CSV the project
writes, and the end-of-file line that shows a cut-off download."""

import csv
import io
from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.core.management import call_command

from config import csv_safe
from directory.exports import EXPORT_COLUMNS
from directory.importing import import_file
from directory.models import Program

from .factories import ProgramFactory

pytestmark = pytest.mark.django_db

FORMULAS = [
    '=HYPERLINK("http://evil.example.org","Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1)",
    "\t=1+1",
]


@pytest.mark.parametrize("value", FORMULAS)
def test_formula_cells_get_an_apostrophe(value):
    assert csv_safe.escape_cell(value) == "'" + value
    assert csv_safe.unescape_cell(csv_safe.escape_cell(value)) == value


@pytest.mark.parametrize("value", ["-87.6298", "+12", "1e-5", "Plain name", "", "'quoted already"])
def test_numbers_and_plain_text_are_left_alone(value):
    assert csv_safe.escape_cell(value) == value
    assert csv_safe.unescape_cell(value) == value


def rows_of(text):
    return list(csv.reader(io.StringIO(text)))


def test_search_download_escapes_formulas_and_ends_with_row_count(client):
    ProgramFactory(name='=HYPERLINK("http://evil.example.org","x")', zip_code="10001", description="-1+1")
    cache.clear()  # each test starts without a download slot in use
    response = client.get("/find/programs.csv")
    assert response.status_code == HTTPStatus.OK
    rows = rows_of(b"".join(response.streaming_content).decode())
    name, description = EXPORT_COLUMNS.index("name"), EXPORT_COLUMNS.index("description")
    assert rows[1][name] == '\'=HYPERLINK("http://evil.example.org","x")'
    assert rows[1][description] == "'-1+1"
    assert float(rows[1][EXPORT_COLUMNS.index("longitude")]) < 0  # a plain number, not escaped
    assert rows[-1] == ["# end of file: 1 rows"]


def test_export_facilities_escapes_formulas_and_round_trips(tmp_path):
    ProgramFactory(name="@SUM(A1) Recovery", zip_code="10001", hours="+1 all day")
    path = tmp_path / "backup.csv"
    call_command("export_facilities", "-o", str(path), stderr=io.StringIO())
    rows = rows_of(path.read_text())
    assert rows[1][rows[0].index("name")] == "'@SUM(A1) Recovery"
    assert rows[1][rows[0].index("hours")] == "'+1 all day"
    assert rows[-1] == ["# end of file: 1 rows"]

    Program.objects.all().delete()
    report = import_file(path)
    assert report.counts["created"] == 1 and report.counts["skipped"] == 0
    program = Program.objects.get()
    assert (program.name, program.hours) == ("@SUM(A1) Recovery", "+1 all day")


def test_import_report_escapes_formulas(tmp_path):
    from types import SimpleNamespace

    from directory.importing import ImportReport

    outcome = SimpleNamespace(row=1, status="created", slug="x", name="=cmd|calc", external_id="@1", notes=[])
    out = tmp_path / "report.csv"
    ImportReport("findcare-csv", [outcome]).write(out)
    assert rows_of(out.read_text())[1] == ["1", "created", "x", "'=cmd|calc", "'@1", ""]


def test_one_download_at_a_time_per_client(client):
    ProgramFactory(zip_code="10001")
    first = client.get("/find/programs.csv")
    assert first.status_code == HTTPStatus.OK
    second = client.get("/find/programs.csv")
    assert second.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert b"988" in second.content and second["Retry-After"] == "60"
    b"".join(first.streaming_content)  # the first download finishes: its slot is freed
    assert client.get("/find/programs.csv", REMOTE_ADDR="127.0.0.1").status_code == HTTPStatus.OK


def test_csv_downloads_are_rate_limited_per_ip(client):
    ProgramFactory(zip_code="10001")
    statuses = []
    for _ in range(12):
        response = client.get("/find/programs.csv")
        if response.streaming:
            b"".join(response.streaming_content)
        statuses.append(response.status_code)
    assert statuses[:10] == [HTTPStatus.OK] * 10
    assert statuses[10:] == [HTTPStatus.TOO_MANY_REQUESTS] * 2
    other = client.get("/find/programs.csv", REMOTE_ADDR="10.0.0.9")
    assert other.status_code == HTTPStatus.OK
