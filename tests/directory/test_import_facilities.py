"""manage.py import_facilities and export_facilities: each format, every
known data problem, idempotent re-import, dry runs, the report file and a
lossless round trip through the project's own format."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from directory import geo
from directory.importing import import_file
from directory.importing.formats import FINDCARE_CSV, FINDCARE_JSON, SAMHSA_CSV, SAMHSA_JSON, detect_format
from directory.models import Organization, Program
from tests.directory.factories import ProgramFactory
from tools.demo import directory as demo

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
LOCATOR_JSON = FIXTURES / "samhsa_locator.json"
DIRECTORY_CSV = FIXTURES / "samhsa_directory.csv"


def run(path, *args):
    out = io.StringIO()
    call_command("import_facilities", str(path), *args, stdout=out)
    return out.getvalue()


def by_row(report):
    return {outcome.row: outcome for outcome in report.outcomes}


def slugs(program, field):
    return set(getattr(program, field).values_list("slug", flat=True))


@pytest.fixture
def locator():
    return import_file(LOCATOR_JSON)


# --- format detection --------------------------------------------------------


def test_detect_format(tmp_path):
    assert detect_format(LOCATOR_JSON) == SAMHSA_JSON
    assert detect_format(DIRECTORY_CSV) == SAMHSA_CSV
    ours = tmp_path / "ours.csv"
    ours.write_text("slug,name,levels_of_care\n")
    assert detect_format(ours) == FINDCARE_CSV
    ours_json = tmp_path / "ours.json"
    ours_json.write_text('{"format": "findcare", "version": 1, "programs": []}')
    assert detect_format(ours_json) == FINDCARE_JSON


def test_unreadable_file_is_a_command_error(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(CommandError, match="Cannot read bad.json"):
        run(bad)
    with pytest.raises(CommandError, match="No such file"):
        run(tmp_path / "missing.csv")


# --- SAMHSA locator JSON ------------------------------------------------------


def test_locator_json_counts(locator):
    assert locator.format == SAMHSA_JSON
    counts = locator.counts
    assert (counts["created"], counts["merged"], counts["skipped"]) == (28, 2, 3)
    assert Program.objects.count() == 28
    assert not Program.objects.exclude(source=Program.Source.SAMHSA).exists()
    assert not Program.objects.exclude(status=Program.Status.PUBLISHED).exists()


def test_locator_labels_are_mapped_back_to_codes_and_terms(locator):
    detox = Program.objects.get(external_id="FR1000")
    assert slugs(detox, "levels_of_care") == {"detox", "residential"}
    assert slugs(detox, "medications") == {"buprenorphine"}
    assert slugs(detox, "payment_options") == {"medicaid", "cash", "private-insurance"}
    outpatient = Program.objects.get(external_id="FR1001")
    assert slugs(outpatient, "levels_of_care") == {"outpatient", "intensive-outpatient"}
    assert slugs(outpatient, "payment_options") == {"medicaid", "medicare", "sliding-fee"}
    assert outpatient.offers_telehealth
    otp = Program.objects.get(external_id="FR1002")
    assert slugs(otp, "levels_of_care") == {"opioid-treatment-program"}
    assert slugs(otp, "medications") == {"methadone", "buprenorphine"}
    assert slugs(otp, "accreditations") == {"carf"}
    assert otp.otp_certified
    sober = Program.objects.get(external_id="FR1003")
    assert slugs(sober, "levels_of_care") == {"sober-living"}
    assert slugs(sober, "medications") == {"accepts-outside-prescriptions"}
    php = Program.objects.get(external_id="FR1004")
    assert slugs(php, "populations") == {"veterans", "women", "trauma", "adults", "young-adults"}
    assert slugs(php, "medications") == {"naltrexone"}
    assert slugs(php, "accreditations") == {"joint-commission"}


def test_locator_placeholder_phones_are_dropped(locator):
    rows = by_row(locator)
    assert Program.objects.get(external_id="FR1001").phone == ""
    assert "phone: placeholder or invalid number '(999) 999-9999' dropped" in rows[2].notes
    assert Program.objects.get(external_id="FR1012").hotline_phone == ""
    assert Program.objects.get(external_id="FR1000").phone == "(212) 555-1000"
    assert Program.objects.get(external_id="FR1015").phone == "(303) 555-1234"  # leading 1- removed
    assert Program.objects.get(external_id="FR1008").intake_phone == "(312) 555-2000 x12"


def test_locator_zip_plus_four_is_normalized(locator):
    assert Program.objects.get(external_id="FR1002").zip_code == "19103"
    assert "ZIP '19103-1234' normalized to 19103" in by_row(locator)[3].notes


def test_locator_swapped_coordinates_are_fixed(locator):
    program = Program.objects.get(external_id="FR1003")
    assert program.latitude > 0 > program.longitude
    assert program.coordinate_flag == Program.CoordinateFlag.SWAPPED
    assert geo.haversine_miles(program.latitude, program.longitude, *geo.zip_centroid("30303")) < 1


def test_locator_missing_coordinates_come_from_the_zip(locator):
    program = Program.objects.get(external_id="FR1004")
    assert (program.latitude, program.longitude) == geo.zip_centroid("98101")
    assert program.coordinate_flag == Program.CoordinateFlag.FROM_ZIP


def test_locator_far_coordinates_are_replaced_and_flagged(locator):
    program = Program.objects.get(external_id="FR1005")
    assert (program.latitude, program.longitude) == geo.zip_centroid("80202")
    assert program.coordinate_flag == Program.CoordinateFlag.FAR
    assert any("miles from ZIP 80202" in note for note in by_row(locator)[6].notes)


def test_locator_websites(locator):
    assert Program.objects.get(external_id="FR1006").website == ""
    assert Program.objects.get(external_id="FR1011").website == "http://www.center11.example.org"


def test_locator_unknown_labels_are_reported_and_known_ones_kept(locator):
    assert by_row(locator)[8].notes == ["unknown service label(s) or code(s) ignored: AS: Equine therapy"]


def test_locator_bad_rows_are_skipped_with_reasons(locator):
    rows = by_row(locator)
    assert (rows[10].status, rows[10].notes) == ("skipped", ["unknown state 'ZZ'"])
    assert (rows[11].status, rows[11].notes) == ("skipped", ["missing name"])
    assert (rows[14].status, rows[14].notes) == ("skipped", ["invalid ZIP code 'not a zip'"])


def test_locator_older_field_names_are_understood(locator):
    program = Program.objects.get(external_id="FR1014")
    assert program.name == "Willow Recovery Center 14"
    assert program.intake_phone == "(206) 555-0199"


def test_locator_duplicates_are_merged(locator):
    rows = by_row(locator)
    assert rows[31].status == "merged" and rows[31].notes == [
        "duplicate of row 1 (same source id): merged into it"
    ]
    assert "spanish" in slugs(Program.objects.get(external_id="FR1000"), "languages")
    assert rows[32].status == "merged" and rows[32].notes[0].startswith("duplicate of row 17 (")
    assert Program.objects.filter(name__iexact="Cedar Recovery Center 16").count() == 1


def test_locator_reimport_changes_nothing(locator, django_assert_max_num_queries):
    before = {p.pk: (p.updated_at, p.slug) for p in Program.objects.all()}
    # 25 + the field provenance + the restrictions vocabulary (its terms and links) + match review
    # decisions + the OTP certification check (the newest OTP directory per state, the OTP services)
    # and the count of listings nobody can contact (issue 21)
    with django_assert_max_num_queries(32):
        again = import_file(LOCATOR_JSON)
    assert (again.counts["created"], again.counts["updated"], again.counts["unchanged"]) == (0, 0, 28)
    assert {p.pk: (p.updated_at, p.slug) for p in Program.objects.all()} == before


def test_locator_reimport_updates_what_changed(locator, tmp_path):
    data = json.loads(LOCATOR_JSON.read_text())
    data["rows"][0]["phone"] = "212-555-0000"
    data["rows"][0]["services"] = [{"f1": "Service Setting", "f2": "SET", "f3": "Outpatient"}]
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(data))
    again = import_file(changed)
    assert (again.counts["updated"], again.counts["unchanged"]) == (1, 27)
    program = Program.objects.get(external_id="FR1000")
    assert program.phone == "(212) 555-0000"
    assert slugs(program, "levels_of_care") == {"outpatient"}


def test_staff_edits_outside_the_file_are_kept(locator):
    Program.objects.filter(external_id="FR1000").update(description="Checked by staff.", status="closed")
    import_file(LOCATOR_JSON)
    program = Program.objects.get(external_id="FR1000")
    assert (program.description, program.status) == ("Checked by staff.", "closed")


def test_a_program_without_id_is_matched_by_name_and_address(locator):
    existing = ProgramFactory(
        name="Harbor Recovery Center 0",
        alternate_name="DBA name 0",
        street1="100 Main St.",
        zip_code="10001",
        city="New York",
        state="NY",
    )
    Program.objects.filter(external_id="FR1000").delete()
    import_file(LOCATOR_JSON)
    existing.refresh_from_db()
    assert existing.external_id == "FR1000"
    assert Program.objects.filter(name__iexact="harbor recovery center 0").count() == 1


def test_dry_run_writes_nothing(tmp_path):
    out = run(LOCATOR_JSON, "--dry-run", "--report", str(tmp_path / "r.csv"))
    assert "Dry run, nothing written. Would have: created 28" in out
    assert not Program.objects.exists()
    assert not Organization.objects.exists()


def test_report_file_has_one_line_per_row(tmp_path):
    report = tmp_path / "report.csv"
    out = run(LOCATOR_JSON, "--report", str(report))
    assert "created 28, updated 0, unchanged 0, merged 2, skipped 3 (samhsa-json)" in out
    assert f"Report: {report}" in out
    lines = [line for line in csv.DictReader(report.open()) if line["row"]]
    assert len(lines) == 33
    assert lines[1] == {
        "row": "2",
        "status": "created",
        "slug": "cedar-recovery-center-1-chicago-il",
        "name": "Cedar Recovery Center 1",
        "external_id": "FR1001",
        "notes": "phone: placeholder or invalid number '(999) 999-9999' dropped",
    }


def test_no_progress_bar_when_not_a_terminal(tmp_path):
    out = run(LOCATOR_JSON, "--report", str(tmp_path / "r.csv"))
    assert "\r" not in out and "%" not in out


# --- SAMHSA directory CSV -----------------------------------------------------


def test_directory_csv(tmp_path):
    report = import_file(DIRECTORY_CSV)
    rows = by_row(report)
    assert report.format == SAMHSA_CSV
    assert (report.counts["created"], report.counts["merged"], report.counts["skipped"]) == (29, 1, 1)
    assert report.file_notes == [
        "column(s) not used: zz9",
        # A column no row fills says nothing (issue 21): it erases nothing.
        "column(s) empty in every row, taken as absent (they change nothing): "
        "name2, county, intake1, hotline1",
    ]
    otp = Program.objects.get(name="Horizon Treatment 2")
    assert slugs(otp, "levels_of_care") == {"opioid-treatment-program"}
    assert slugs(otp, "medications") == {"methadone", "buprenorphine"}
    assert slugs(otp, "accreditations") == {"joint-commission"}
    assert otp.otp_certified
    assert otp.zip_code == "80202"
    telehealth = Program.objects.get(name="Evergreen Treatment 4")
    assert telehealth.offers_telehealth
    assert slugs(telehealth, "languages") == {"russian"}
    assert telehealth.coordinate_flag == Program.CoordinateFlag.FROM_ZIP
    assert Program.objects.get(name="Lakeside Treatment 1").phone == ""
    assert Program.objects.get(name="Maple Treatment 3").coordinate_flag == Program.CoordinateFlag.SWAPPED
    assert Program.objects.get(name="Bridgeway Treatment 5").zip_code == "02108"
    assert Program.objects.get(name="Evergreen Treatment 9").phone == ""
    assert Program.objects.get(name="Bridgeway Treatment 10").state == "TX"
    assert rows[9].notes == ["missing state"]
    assert rows[31].status == "merged"
    assert "private-insurance" in slugs(Program.objects.get(name="Lakeside Treatment 11"), "payment_options")
    again = import_file(DIRECTORY_CSV)
    assert (again.counts["created"], again.counts["updated"], again.counts["unchanged"]) == (0, 0, 29)


# --- the project's own format and the round trip -----------------------------


def export(fmt, path):
    call_command("export_facilities", "--format", fmt, "-o", str(path), stderr=io.StringIO())
    return path.read_text()


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_round_trip_is_lossless(fmt, tmp_path, django_user_model):
    demo.load(stdout=io.StringIO(), listings=60)
    import_file(LOCATOR_JSON)
    staff = django_user_model.objects.create(username="verifier")
    Program.objects.filter(pk__in=Program.objects.values("pk")[:5]).update(verified_by=staff)
    first = export(fmt, tmp_path / f"first.{fmt}")

    Program.objects.all().delete()
    Organization.objects.all().delete()
    restored = import_file(tmp_path / f"first.{fmt}")
    assert restored.counts["created"] == 88
    assert restored.counts["skipped"] == restored.counts["merged"] == 0
    assert export(fmt, tmp_path / f"second.{fmt}") == first

    again = import_file(tmp_path / f"first.{fmt}")
    assert again.counts["unchanged"] == 88


def test_export_json_shape(tmp_path):
    ProgramFactory(levels_of_care=["detox", "residential"], inquiry_email="intake@example.org")
    data = json.loads(export("json", tmp_path / "out.json"))
    assert (data["format"], data["version"]) == ("findcare", 1)
    (program,) = data["programs"]
    assert program["levels_of_care"] == ["detox", "residential"]
    assert program["inquiry_email"] == "intake@example.org"
    assert program["is_sample"] is False


def test_findcare_rows_with_problems(tmp_path):
    path = tmp_path / "ours.csv"
    path.write_text(
        "slug,name,city,state,zip_code,phone,levels_of_care,accepting_clients,open_beds,website\n"
        "a-place,A Place,Chicago,IL,60601-1111,(999) 999-9999,detox; rocket-science,maybe,lots,not a url\n"
        ",,Chicago,IL,60601,,,,,\n"
    )
    report = import_file(path)
    rows = by_row(report)
    assert rows[2].status == "skipped" and rows[2].notes == ["missing name"]
    program = Program.objects.get(slug="a-place")
    assert (program.zip_code, program.phone, program.website) == ("60601", "", "")
    assert program.accepting_clients == Program.Accepting.UNKNOWN
    assert program.open_beds is None
    assert slugs(program, "levels_of_care") == {"detox"}
    assert "levels_of_care: unknown term(s) ignored: rocket-science" in rows[1].notes
    assert program.coordinate_flag == Program.CoordinateFlag.FROM_ZIP


def test_public_export_columns_leave_out_private_fields():
    from directory.exports import BACKUP_COLUMNS, EXPORT_COLUMNS, export_queryset, write_csv

    ProgramFactory(inquiry_email="private@example.org")
    out = io.StringIO()
    assert write_csv(export_queryset(), out) == 1
    assert "private@example.org" not in out.getvalue()
    assert "inquiry_email" not in EXPORT_COLUMNS and "inquiry_email" in BACKUP_COLUMNS


def test_a_change_of_services_alone_moves_updated_at(locator, tmp_path):
    before = Program.objects.get(external_id="FR1001").updated_at
    data = json.loads(LOCATOR_JSON.read_text())
    data["rows"][1]["services"].append({"f1": "Language Services", "f2": "SL", "f3": "Russian"})
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(data))
    assert import_file(changed).counts["updated"] == 1
    program = Program.objects.get(external_id="FR1001")
    assert "russian" in slugs(program, "languages")
    assert program.updated_at > before


def test_imported_programs_are_found_by_site_search(client):
    import_file(LOCATOR_JSON)
    program = Program.objects.get(name="Cedar Recovery Center 1")
    from wagtail.search.backends import get_search_backend

    assert program in list(get_search_backend().search("Cedar", Program))
    # Bulk inserts send no signals: without indexing, /search/ would miss them.
    assert "Cedar Recovery Center 1" in client.get("/search/", {"q": "Cedar"}).content.decode()
