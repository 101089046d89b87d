"""Import fidelity on real-shaped SAMHSA files (issue 10): a thinner file
never erases what a fuller one gave, locator labels of every release map,
distinct programs stay distinct, 64-character frids are kept whole, and the
OTP directory (CSV, Windows-1252, its HTML "Excel" download, .xlsx) and the
N-SSATS directory import; a file that cannot be read gets a one-line reason.

The fixtures are written by us in the shape of SAMHSA's files (quirks
included: BOM, cp1252 bytes, ZIP+4, placeholder phones, label wordings of the
2019 and current locators)."""

import hashlib
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from directory.importing import import_file
from directory.importing.codes import RELATION_MODELS
from directory.importing.formats import NSSATS, SAMHSA_CSV, SAMHSA_JSON, SAMHSA_OTP
from directory.models import FieldProvenance, Program
from tests.directory.factories import ProgramFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
LOCATOR = FIXTURES / "locator_2019.json"
NAMES_CSV = FIXTURES / "locator_names.csv"
OTP_CSV = FIXTURES / "otp_directory.csv"
OTP_CP1252 = FIXTURES / "otp_directory_cp1252.csv"
OTP_HTML = FIXTURES / "otp_directory_excel.xls"
NSSATS_CSV = FIXTURES / "nssats_directory.csv"


def frid(n):
    return hashlib.sha256(f"findcare-fixture-{n}".encode()).hexdigest()


def run(path, tmp_path, *args):
    out = io.StringIO()
    call_command("import_facilities", str(path), "--report", str(tmp_path / "report.csv"), *args, stdout=out)
    return out.getvalue()


def slugs(program, field):
    return set(getattr(program, field).values_list("slug", flat=True))


def snapshot():
    """Every program's fields and vocabulary links."""
    fields = [
        f.name for f in Program._meta.concrete_fields if f.name not in {"updated_at", "latest_revision"}
    ]
    return {
        p.pk: (
            {name: getattr(p, name) for name in fields},
            {name: slugs(p, name) for name in RELATION_MODELS},
        )
        for p in Program.objects.all()
    }


def program(n):
    return Program.objects.get(external_id=frid(n))


# --- the round trip of the "done when" ------------------------------------


def test_json_then_names_only_csv_then_json_loses_nothing_and_changes_nothing(tmp_path):
    first = import_file(LOCATOR)
    assert (first.counts["created"], first.counts["merged"]) == (5, 1)
    after_json = snapshot()
    assert program(1).phone and program(1).intake_phone and program(1).website

    names = import_file(NAMES_CSV)
    assert names.format == SAMHSA_CSV
    assert (names.counts["created"], names.counts["updated"], names.counts["unchanged"]) == (0, 0, 5)
    assert snapshot() == after_json  # nothing lost: phones, website, all vocabularies

    again = import_file(LOCATOR)
    assert (again.counts["created"], again.counts["updated"], again.counts["unchanged"]) == (0, 0, 5)
    assert snapshot() == after_json


def test_otps_are_recorded_as_otps():
    import_file(LOCATOR)
    otp = program(1)
    assert otp.otp_certified
    assert "opioid-treatment-program" in slugs(otp, "levels_of_care")
    assert {"methadone", "buprenorphine", "naltrexone", "accepts-outside-prescriptions"} <= slugs(
        otp, "medications"
    )
    assert not program(2).otp_certified


def test_telehealth_tricare_sliding_fee_and_the_rest_survive_in_both_wordings():
    import_file(LOCATOR)
    old, new = program(1), program(4)  # 2019 labels, current labels
    for p in (old, new):
        assert p.offers_telehealth
        assert {"tricare", "sliding-fee"} <= slugs(p, "payment_options")
    assert {"state-financed", "government-funding", "medicaid", "cash"} <= slugs(old, "payment_options")
    assert "government-funding" in slugs(new, "payment_options")  # SAMHSA block grants
    assert "sign-language" in slugs(old, "languages")  # services for the deaf
    assert "carf" in slugs(old, "accreditations")
    assert "joint-commission" in slugs(new, "accreditations")
    assert {"inpatient", "detox", "partial-hospitalization"} <= slugs(new, "levels_of_care")
    assert "partial-hospitalization" in slugs(program(2), "levels_of_care")
    assert program(5).offers_telehealth  # "Computerized treatment/telemedicine"


def test_samhsa_details_become_vocabularies():
    import_file(LOCATOR)
    hospital = program(4)
    assert slugs(hospital, "detox_substances") == {"alcohol", "benzodiazepines", "opioids"}
    assert slugs(hospital, "treatment_approaches") == {"dbt"}
    assert slugs(hospital, "genders_accepted") == {"men"}
    assert slugs(hospital, "facility_operations") == {"veterans-affairs"}
    assert slugs(hospital, "support_services") == {"alcohol-testing", "drug-testing"}
    assert slugs(program(5), "facility_operations") == {"tribal-government"}
    assert slugs(program(3), "genders_accepted") == {"women"}
    assert {"peer-support", "self-help-groups", "housing-services"} == slugs(program(3), "support_services")
    assert {"cbt", "motivational-interviewing", "twelve-step"} <= slugs(program(2), "treatment_approaches")


def test_summary_names_unknown_labels_with_counts(tmp_path):
    out = run(LOCATOR, tmp_path)
    assert "created 5, updated 0, unchanged 0, merged 1, skipped 0 (samhsa-json)" in out
    assert "unknown labels or codes: 2 distinct, 2 occurrences" in out
    assert "'ES: Equine-assisted therapy' x1" in out and "'AS: Equine-assisted therapy' x1" in out
    report = (tmp_path / "report.csv").read_text()
    assert "AS: Equine-assisted therapy (1 occurrences)" in report


def test_every_label_of_the_fixture_but_the_planted_ones_is_known():
    report = import_file(LOCATOR)
    assert set(report.unknown) == {"ES: Equine-assisted therapy", "AS: Equine-assisted therapy"}


# --- distinct programs, merges, ids ---------------------------------------------


def test_programs_at_one_address_with_different_second_names_stay_apart():
    import_file(LOCATOR)
    general, women = program(2), program(3)
    assert general.pk != women.pk
    assert (general.alternate_name, women.alternate_name) == (
        "Adult Outpatient Services",
        "Women's Recovery Program",
    )
    assert "residential" in slugs(women, "levels_of_care") and "residential" not in slugs(
        general, "levels_of_care"
    )
    assert Program.objects.filter(name="Lakeview Behavioral Health").count() == 2


def test_different_ids_are_different_programs_even_with_the_same_name_and_address(tmp_path):
    data = json.loads(LOCATOR.read_text())
    twin = dict(data["rows"][1], frid=frid(99))
    data["rows"].append(twin)
    path = tmp_path / "twins.json"
    path.write_text(json.dumps(data))
    report = import_file(path)
    assert report.counts["created"] == 6
    assert (
        Program.objects.filter(
            name="Lakeview Behavioral Health", alternate_name="Adult Outpatient Services"
        ).count()
        == 2
    )


def test_the_same_id_twice_is_merged_and_every_merge_is_reported(tmp_path):
    out = run(LOCATOR, tmp_path)
    # The summary says how many; each merge is in the report (issue 21: 141,000
    # duplicate rows once printed 133,544 lines).
    assert "1 row(s) merged into an earlier row of the file: see the report" in out
    assert "duplicate of row 1" not in out
    report = (tmp_path / "report.csv").read_text()
    assert "6,merged," in report and "duplicate of row 1 (same source id): merged into it" in report
    assert "portuguese" in slugs(program(1), "languages")  # the duplicate's services add up


def test_frid_is_stored_whole():
    import_file(LOCATOR)
    assert len(frid(1)) == 64
    assert Program.objects.filter(external_id=frid(1)).count() == 1


def test_names_only_file_with_two_programs_at_one_address_and_no_second_name_is_skipped(tmp_path):
    import_file(LOCATOR)
    path = tmp_path / "thin.csv"
    path.write_text("name1,street1,city,state,zip\nLakeview Behavioral Health,77 Harbor Road,Erie,PA,16501\n")
    report = import_file(path)
    assert report.counts["skipped"] == 1 and report.counts["created"] == 0
    assert "matches 2 programs" in report.outcomes[0].notes[0]


# --- provenance and empty cells -----------------------------------------------------


def test_provenance_records_source_file_and_time_of_each_value():
    import_file(LOCATOR)
    origin = FieldProvenance.objects.get(program=program(1)).fields
    assert origin["phone"]["source"] == "samhsa-locator"
    assert origin["phone"]["file"] == "locator_2019.json"
    assert origin["phone"]["at"]
    assert "payment_options" in origin
    import_file(OTP_CSV)
    origin = FieldProvenance.objects.get(program=program(1)).fields
    assert origin["phone"]["file"] == "locator_2019.json"  # the OTP file's empty phone changed nothing


def test_an_empty_cell_from_another_source_does_not_erase(tmp_path):
    import_file(LOCATOR)
    report = import_file(OTP_CSV)  # Riverbend's row has an empty Phone cell
    riverbend = program(1)
    assert riverbend.phone == "(508) 555-0110"
    # Only the certification's status ("Full Certification") is new (issue 21).
    assert report.outcomes[0].status == "updated"
    assert report.outcomes[0].notes[0] == "changed: otp_status"


def test_an_empty_cell_from_the_same_source_erases(tmp_path):
    import_file(LOCATOR)
    data = json.loads(LOCATOR.read_text())
    data["rows"][0]["intake1"] = ""
    path = tmp_path / "newer.json"
    path.write_text(json.dumps(data))
    import_file(path)
    assert program(1).intake_phone == ""
    assert FieldProvenance.objects.get(program=program(1)).fields["intake_phone"]["file"] == "newer.json"


def test_staff_value_without_provenance_is_kept_against_another_source():
    staff = ProgramFactory(
        name="Riverbend Opioid Treatment Clinic",
        street1="410 Canal Street",
        city="Worcester",
        state="MA",
        zip_code="01608",
        phone="(508) 555-0199",
        source=Program.Source.STAFF,
    )
    import_file(OTP_CSV)
    staff.refresh_from_db()
    assert staff.phone == "(508) 555-0199"
    assert staff.otp_certified
    assert "opioid-treatment-program" in slugs(staff, "levels_of_care")


def test_provenance_is_shown_to_staff(admin_client):
    import_file(LOCATOR)
    p = program(1)
    for url in (
        f"/admin/snippets/directory/program/edit/{p.pk}/",
        f"/admin/snippets/directory/program/inspect/{p.pk}/",
    ):
        html = admin_client.get(url).content.decode()
        assert "Where the values come from" in html
        assert "locator_2019.json" in html and "samhsa-locator" in html


# --- OTP directory, N-SSATS, encodings, Excel ----------------------------------------


def otp_checks(report, *, clinica=True):
    assert report.format == SAMHSA_OTP
    assert report.counts["skipped"] == 0
    northside = Program.objects.get(name="Northside Comprehensive Treatment")
    assert northside.alternate_name == "Northside OTP"
    assert (northside.zip_code, northside.phone) == ("53212", "(414) 555-0170")
    assert northside.otp_certified and "opioid-treatment-program" in slugs(northside, "levels_of_care")
    assert northside.latitude is not None  # from the ZIP centre: the directory has no coordinates
    if clinica:
        clinica = Program.objects.get(name="Clínica Esperanza")
        assert (clinica.state, clinica.zip_code, clinica.city) == ("PR", "00901", "San Juan")


def test_otp_directory_csv():
    otp_checks(import_file(OTP_CSV))


def test_otp_directory_cp1252_with_other_column_spellings():
    otp_checks(import_file(OTP_CP1252))


def test_otp_directory_excel_download_that_is_html():
    otp_checks(import_file(OTP_HTML))


def test_otp_directory_xlsx_without_format(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Program Name", "DBA", "Street", "City", "State", "Zipcode", "Phone", "Certification"])
    northside = ["Northside Comprehensive Treatment", "Northside OTP", "2300 N. Grand Ave", "Milwaukee"]
    sheet.append([*northside, "WI", 53212, "414-555-0170", "Full Certification"])
    sheet.append(["Harborside OTP", "", "9 Pier Rd", "Boston", "MA", 2110, "617-555-0175", "Full"])
    path = tmp_path / "otp.xlsx"
    workbook.save(path)
    otp_checks(import_file(path), clinica=False)
    assert Program.objects.get(name="Harborside OTP").zip_code == "02110"  # Excel dropped the leading zero


def test_nssats_phone_cells_with_several_labelled_numbers(tmp_path):
    """The annual directory's phone cells (issue 21): a plural "Intakes:"
    label, several numbers, extensions, a hotline and a fax number. Before,
    "Intakes:" was not read as a label: the cell became one number with the
    rest as its extension ("(850) 769-1632 x4458507691633")."""
    path = tmp_path / "nssats.csv"
    path.write_text(
        "name1,name2,street1,city,state,zip,phone,services\n"
        "Gulf Coast Recovery,,1 Bay Road,Panama City,FL,32401,"
        '"Intakes: (850) 769-1632 x445; (850) 769-1633",SA OP\n'
        "Bayside Center,,2 Bay Road,Panama City,FL,32401,"
        '"(850) 769-1600 Intakes: 850.769.1601 ext. 12; (850) 769-1602 Hotline: 1-800-662-4357",SA OP\n'
        'Harbor House,,3 Bay Road,Panama City,FL,32401,"Phone: (850) 769-1640 Fax: (850) 769-1641",SA OP\n'
        "Placeholder Place,,4 Bay Road,Panama City,FL,32401,(999) 999-9999,SA OP\n"
    )
    report = import_file(path)
    assert report.format == NSSATS

    def phones(name):
        found = Program.objects.get(name=name)
        return (found.phone, found.intake_phone, found.hotline_phone)

    assert phones("Gulf Coast Recovery") == ("", "(850) 769-1632 x445", "")
    assert phones("Bayside Center") == ("(850) 769-1600", "(850) 769-1601 x12", "(800) 662-4357")
    assert phones("Harbor House") == ("(850) 769-1640", "", "")  # never the fax
    assert phones("Placeholder Place") == ("", "", "")
    notes = [note for outcome in report.outcomes for note in outcome.notes]
    assert "phone: placeholder or invalid number '(999) 999-9999' dropped" in notes


def test_otp_directory_adds_certification_to_the_locator_program():
    import_file(LOCATOR)
    import_file(OTP_CSV)
    assert Program.objects.filter(name="Riverbend Opioid Treatment Clinic").count() == 1


def test_nssats_directory():
    report = import_file(NSSATS_CSV)
    assert report.format == NSSATS
    assert report.counts["created"] == 2  # same address, different second names
    main = Program.objects.get(name="Prairie Wind Treatment Center", alternate_name="")
    assert (main.phone, main.intake_phone) == ("(785) 555-0180", "(785) 555-0181")
    assert {"detox", "outpatient", "intensive-outpatient"} <= slugs(main, "levels_of_care")
    assert {"medicaid", "cash", "sliding-fee", "tricare"} <= slugs(main, "payment_options")
    assert slugs(main, "detox_substances") == {"alcohol", "opioids"}
    assert main.offers_telehealth
    assert "carf" in slugs(main, "accreditations")
    assert report.unknown == {"XYZ": 1}


# --- refused files: one line, no traceback -------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.csv", b"", "the file is empty"),
        ("blank.json", b"  \n\n", "the file is empty"),
        ("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "not a text, CSV, JSON, Excel"),
        ("broken.xlsx", b"PK\x03\x04 this is not really a workbook", "not a readable .xlsx"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "old Excel .xls"),
        ("people.csv", b"Full Name,Email\nA,b@example.org\n", "Columns found: 'Full Name', 'Email'"),
        ("bad.json", b"{not json", "not valid JSON"),
        ("page.html", b"<html><body><p>No table here</p></body></html>", "without a table"),
    ],
)
def test_refused_files_get_a_one_line_reason(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError) as caught:
        run(path, tmp_path)
    message = str(caught.value)
    assert reason in message and name in message
    assert "\n" not in message and "Traceback" not in message


def test_a_table_given_the_wrong_format_is_refused_in_one_line(tmp_path):
    with pytest.raises(CommandError, match=r"as samhsa-json: it is a table"):
        run(OTP_CSV, tmp_path, "--format", "samhsa-json")


def test_format_can_be_forced(tmp_path):
    out = run(NSSATS_CSV, tmp_path, "--format", "nssats")
    assert "(nssats)" in out


def test_locator_json_detected():
    assert import_file(LOCATOR).format == SAMHSA_JSON


# --- program pages -----------------------------------------------------------------


def test_program_page_shows_samhsa_details_grouped_for_families(client):
    import_file(LOCATOR)
    html = client.get(program(4).get_absolute_url()).content.decode()
    assert "Detox offered for" in html and "Benzodiazepines" in html
    assert "How they treat" in html and "Dialectical behavior therapy (DBT)" in html
    assert "<h3>Accepts</h3>" in html
    assert "Recovery support and testing" in html and "Testing and screening" in html
    assert "Run by: U.S. Department of Veterans Affairs" in html
    assert html.index("Recovery support") < html.index("Testing and screening")


def test_a_code_column_unsets_a_term_only_when_the_file_has_all_its_codes(tmp_path):
    import_file(LOCATOR)  # St. Brendan: detox from "Hospital inpatient detoxification" (HID)
    path = tmp_path / "partial.csv"
    path.write_text(
        "frid,name1,street1,city,state,zip,dt,sf\n"
        f"{frid(4)},St. Brendan Hospital Addiction Unit,1200 Hospital Drive,Omaha,NE,68102,0,1\n"
    )
    import_file(path)
    hospital = program(4)
    assert "detox" in slugs(hospital, "levels_of_care")  # DT=0 says nothing about HID
    assert "cash" in slugs(hospital, "payment_options")  # SF=1 adds
    assert "medicare" in slugs(hospital, "payment_options")  # not in the file: kept


def test_two_ids_matching_one_staff_listing_by_address_are_two_programs(tmp_path):
    ProgramFactory(
        name="Lakeview Behavioral Health", alternate_name="", street1="77 Harbor Rd", city="Erie", state="PA",
        zip_code="16501", source=Program.Source.STAFF,
    )  # fmt: skip
    path = tmp_path / "two.csv"
    path.write_text(
        "frid,name1,name2,street1,city,state,zip\n"
        f"{frid(7)},Lakeview Behavioral Health,,77 Harbor Road,Erie,PA,16501\n"
        f"{frid(8)},Lakeview Behavioral Health,,77 Harbor Road,Erie,PA,16501\n"
    )
    report = import_file(path)
    assert (report.counts["updated"], report.counts["created"], report.counts["merged"]) == (1, 1, 0)
    assert Program.objects.filter(name="Lakeview Behavioral Health").count() == 2


def test_a_value_staff_typed_in_the_admin_is_not_erased_by_an_import(client, django_user_model, tmp_path):
    from tests.directory.test_admin import program_form

    import_file(LOCATOR)
    p = program(1)
    client.force_login(django_user_model.objects.create_superuser("staff", "staff@example.org", "pw"))
    response = client.post(
        f"/admin/snippets/directory/program/edit/{p.pk}/", program_form(p, intake_phone="(508) 555-0177")
    )
    assert response.status_code == 302
    assert FieldProvenance.objects.get(program=p).fields["intake_phone"]["source"] == "staff"
    data = json.loads(LOCATOR.read_text())
    data["rows"][0]["intake1"] = ""
    path = tmp_path / "newer.json"
    path.write_text(json.dumps(data))
    import_file(path)
    assert program(1).intake_phone == "(508) 555-0177"


def test_utf16_tab_separated_export_imports(tmp_path):
    path = tmp_path / "otp.txt"
    text = OTP_CSV.read_text(encoding="utf-8").replace(",", "\t")
    path.write_bytes(text.encode("utf-16"))
    otp_checks(import_file(path))


# --- values staff or the center set, against later imports ---------------------------


def locator_with(tmp_path, **changes):
    """The locator file with Riverbend's rows (the first and its duplicate) changed."""
    data = json.loads(LOCATOR.read_text())
    for row in data["rows"]:
        if row["frid"] == frid(1):
            row.update(changes)
    path = tmp_path / "newer.json"
    path.write_text(json.dumps(data))
    return path


@pytest.mark.parametrize("source", ["staff", "center"])
def test_an_empty_cell_does_not_erase_a_value_staff_or_the_center_set(tmp_path, source):
    from directory.provenance import program_provenance_record

    import_file(LOCATOR)
    Program.objects.filter(pk=program(1).pk).update(phone="(508) 555-0177")
    program_provenance_record(program_id=program(1).pk, fields=["phone"], source=source)
    report = import_file(locator_with(tmp_path, phone=""))
    assert program(1).phone == "(508) 555-0177"
    assert FieldProvenance.objects.get(program=program(1)).fields["phone"]["source"] == source
    assert "kept (another source set them): phone" in report.outcomes[0].notes


@pytest.mark.parametrize("source", ["staff", "center"])
def test_a_newer_file_with_another_value_replaces_a_value_staff_or_the_center_set(tmp_path, source):
    """A file whose data is newer than the day staff or the center set a
    value replaces it with its different value (issue 21: only a NEWER file;
    the same for staff and the center)."""
    import datetime

    from directory.provenance import program_provenance_record

    import_file(LOCATOR)
    Program.objects.filter(pk=program(1).pk).update(phone="(508) 555-0177")
    program_provenance_record(program_id=program(1).pk, fields=["phone"], source=source)
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    import_file(locator_with(tmp_path, phone="508-555-0122"), as_of=tomorrow)
    assert program(1).phone == "(508) 555-0122"
    assert FieldProvenance.objects.get(program=program(1)).fields["phone"]["source"] == "samhsa-locator"


@pytest.mark.parametrize("source", ["staff", "center"])
@pytest.mark.parametrize("days", [0, -400])
def test_a_file_not_newer_than_a_staff_or_center_value_does_not_replace_it(tmp_path, source, days):
    """Issue 21: a later import of an older (or same-day) file used to replace
    the value staff or the center set; now only newer data does."""
    import datetime

    from directory.provenance import program_provenance_record

    import_file(LOCATOR, as_of=datetime.date.today() - datetime.timedelta(days=500))
    Program.objects.filter(pk=program(1).pk).update(phone="(508) 555-0177")
    program_provenance_record(program_id=program(1).pk, fields=["phone"], source=source)
    as_of = datetime.date.today() + datetime.timedelta(days=days)
    report = import_file(locator_with(tmp_path, phone="508-555-0122"), as_of=as_of)
    assert program(1).phone == "(508) 555-0177"
    assert FieldProvenance.objects.get(program=program(1)).fields["phone"]["source"] == source
    assert "kept (newer data than this file's): phone" in report.outcomes[0].notes


def test_what_a_center_set_in_the_portal_is_not_erased_by_empty_import_cells(tmp_path, django_user_model):
    """End to end: a center changes its phone (held, approved) and a
    vocabulary the locator row has no terms of (published at once); the next
    locator file has an empty phone cell and still none of those terms."""
    from directory.models import Organization, TreatmentApproach
    from directory.review.workflow import program_submit_changes

    import_file(LOCATOR)
    riverbend = program(1)
    assert not slugs(riverbend, "treatment_approaches")
    riverbend.organization = Organization.objects.create(name="Riverbend Health", slug="riverbend-health")
    riverbend.save()
    center_user = django_user_model.objects.create_user("center", "center@example.org", "pw")
    program_submit_changes(
        program=riverbend,
        data={"phone": "(508) 555-0177", "treatment_approaches": [TreatmentApproach.objects.get(slug="cbt")]},
        user=center_user,
    )
    reviewer = django_user_model.objects.create_superuser("staff", "staff@example.org", "pw")
    state = riverbend.current_workflow_state
    state.current_task_state.task.specific.on_action(state.current_task_state, reviewer, "approve")
    assert program(1).phone == "(508) 555-0177"

    import_file(locator_with(tmp_path, phone=""))
    assert program(1).phone == "(508) 555-0177"
    assert slugs(program(1), "treatment_approaches") == {"cbt"}
    recorded = FieldProvenance.objects.get(program=program(1)).fields
    assert (recorded["phone"]["source"], recorded["treatment_approaches"]["source"]) == ("center", "center")


@pytest.mark.django_db
def test_an_otp_directory_legal_entity_with_a_dba_is_listed_under_its_public_name(tmp_path):
    """Families know the DBA ("Charles Street Treatment Services"), not the
    company ("Charles Street Recovery Systems, LLC"): the DBA is the name,
    the company the second name. A plain name with a DBA stays as it is."""
    from directory.importing import import_file

    path = tmp_path / "otp.csv"
    path.write_text(
        "Program Name,DBA,Street,City,State,Zipcode,Phone,Certification\n"
        '"Charles Street Recovery Systems, LLC",Charles Street Treatment Services,400 N. Charles St.,'
        "Baltimore,MD,21201,(410) 555-0111,Full Certification\n"
        "Eastside Health Partners Inc.,Eastside Methadone Clinic,2210 E. Monument St.,Baltimore,MD,21205,"
        "(410) 555-0121,Provisional Certification\n"
        "Clinica Esperanza,Esperanza Methadone Services,88 Calle Sol,San Juan,PR,00901,(787) 555-0160,"
        "Full Certification\n"
    )
    import_file(path)
    names = sorted(Program.objects.values_list("name", "alternate_name"))
    assert names == [
        ("Charles Street Treatment Services", "Charles Street Recovery Systems, LLC"),
        ("Clinica Esperanza", "Esperanza Methadone Services"),
        ("Eastside Methadone Clinic", "Eastside Health Partners Inc."),
    ]
