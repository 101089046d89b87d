"""Facility identity across sources and data dates (issue 21).

Real-shaped pairs: name1 and name2 run together, the suite inside the
street, the legal entity against the public name, a second name reworded
between releases, and two programs (mental health, substance use) at one
address that must stay apart. Layered imports: the older annual directory
loaded after newer files changes nothing they set, and oldest->newest and
newest->oldest give the same directory. Fixtures (tests/directory/fixtures/
samhsa/identity_*) are written by us: names end in "(Sample)", phones are
555-01xx."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.management import call_command

from directory.importing import import_file
from directory.importing.codes import RELATION_MODELS
from directory.importing.identity import DIFFERENT, SAME, UNSURE, Facility, address_key, compare
from directory.models import FieldProvenance, MatchReview, Medication, Program

FIXTURES = Path(__file__).parent / "fixtures" / "samhsa"
LOCATOR = FIXTURES / "identity_locator_2024.json"
OTP = FIXTURES / "identity_otp_2023.csv"
ANNUAL = FIXTURES / "identity_annual_2022.csv"
DATES = {
    LOCATOR: datetime.date(2024, 5, 1),
    OTP: datetime.date(2023, 6, 1),
    ANNUAL: datetime.date(2022, 3, 1),
}


# --- pairs ----------------------------------------------------------------------------


def test_suite_inside_the_street_and_spelled_out_directions_are_one_address():
    assert address_key("12 S. Main Street Suite 2", "62701-1234") == address_key(
        "12 South Main Street", "62701"
    )
    assert address_key("12 S. Main Street", "62701") != address_key("14 S. Main Street", "62701")
    assert address_key("12 S. Main Street", "62701") != address_key("12 S. Main Street", "62702")
    assert address_key("", "62701") == ""


def test_name1_and_name2_run_together_is_the_same_facility():
    annual = Facility(
        "Harborview Recovery Center (Sample) Adult Outpatient Services",
        "",
        "12 S. Main Street Suite 2",
        "62701",
    )
    locator = Facility(
        "Harborview Recovery Center (Sample)", "Adult Outpatient Services", "12 South Main Street", "62701"
    )
    assert compare(annual, locator).kind == SAME


def test_legal_entity_with_the_public_name_as_dba_is_the_same_facility():
    otp = Facility(
        "Example Recovery Systems, LLC", "Example Methadone Clinic (Sample)", "400 W. Lake St.", "60601"
    )
    locator = Facility("Example Methadone Clinic (Sample)", "", "400 West Lake Street", "60601")
    assert compare(otp, locator).kind == SAME
    legal_only = Facility("Example Recovery Systems, LLC", "", "400 West Lake Street", "60601")
    assert (
        compare(legal_only, Facility("Example Recovery Systems", "", "400 W Lake St", "60601")).kind == SAME
    )


def test_legal_name_without_dba_and_the_same_phone_is_for_staff_to_decide():
    otp = Facility("Bayside Treatment Associates, Inc.", "", "9 Bay St", "16501", ("(814) 555-0141",))
    locator = Facility("Bayside Methadone Program (Sample)", "", "9 Bay Street", "16501", ("814-555-0141",))
    assert compare(otp, locator).kind == UNSURE
    assert (
        compare(otp, Facility("Bayside Methadone Program (Sample)", "", "9 Bay Street", "16501")).kind
        == DIFFERENT
    )


def test_a_second_name_reworded_between_releases_is_the_same_facility():
    old = Facility("Lakeside Counseling (Sample)", "Outpatient Services", "2300 N. Grand Ave", "53212")
    new = Facility(
        "Lakeside Counseling (Sample)", "Adult Outpatient Services", "2300 North Grand Avenue", "53212"
    )
    assert compare(old, new).kind == SAME
    phone = ("(414) 555-0121",)
    old = Facility(
        "Lakeside Counseling (Sample)", "Intensive Outpatient Program", "2300 N. Grand Ave", "53212", phone
    )
    new = Facility(
        "Lakeside Counseling (Sample)", "Intensive Outpatient Services", "2300 N Grand Ave", "53212", phone
    )
    assert compare(old, new).kind == SAME


def test_two_units_at_one_address_with_their_own_second_names_and_phones_stay_apart():
    general = Facility(
        "Lakeview Behavioral Health", "Adult Outpatient Services", "77 Harbor Rd", "16501", ("814-555-0150",)
    )
    women = Facility(
        "Lakeview Behavioral Health", "Women's Recovery Program", "77 Harbor Rd", "16501", ("814-555-0151",)
    )
    assert compare(general, women).kind == DIFFERENT
    main = Facility("Prairie Wind Treatment Center", "", "14 Elm Street", "66603", ("785-555-0180",))
    teens = Facility(
        "Prairie Wind Treatment Center", "Adolescent Program", "14 Elm Street", "66603", ("785-555-0190",)
    )
    assert compare(main, teens).kind == DIFFERENT


def test_mental_health_and_substance_use_programs_at_one_address_stay_apart_even_with_one_phone():
    phone = ("(814) 555-0131",)
    mental = Facility("Northgate Mental Health Center (Sample)", "", "77 Harbor Rd", "16501", phone)
    substance = Facility("Northgate Substance Use Services (Sample)", "", "77 Harbor Road", "16501", phone)
    assert compare(mental, substance).kind == DIFFERENT


def test_another_address_is_never_the_same_facility():
    a = Facility("Harborview Recovery Center (Sample)", "", "12 S Main St", "62701", ("217-555-0101",))
    assert (
        compare(
            a, Facility("Harborview Recovery Center (Sample)", "", "40 Oak St", "62701", ("217-555-0101",))
        ).kind
        == DIFFERENT
    )


# --- layered imports ----------------------------------------------------------------------

db = pytest.mark.django_db


def load(*paths):
    reports = [import_file(path, as_of=DATES[path]) for path in paths]
    return reports


def directory_state():
    """Every listing's values and vocabularies, keyed by its address and kind
    (ids and slugs depend on which file created it)."""
    skip = {
        "id",
        "slug",
        "created_at",
        "updated_at",
        "latest_revision",
        "live_revision",
        "latitude",
        "longitude",
        "coordinate_flag",
    }
    fields = [f.name for f in Program._meta.concrete_fields if f.name not in skip]
    state = {}
    for p in Program.objects.all():
        values = {name: getattr(p, name) for name in fields}
        links = {name: sorted(getattr(p, name).values_list("slug", flat=True)) for name in RELATION_MODELS}
        state[(p.zip_code, p.name)] = (values, links)
    return state


@db
def test_oldest_to_newest_and_newest_to_oldest_give_the_same_directory():
    load(ANNUAL, OTP, LOCATOR)
    forward = directory_state()
    Program.objects.all().delete()
    MatchReview.objects.all().delete()
    load(LOCATOR, OTP, ANNUAL)
    backward = directory_state()
    assert forward == backward
    assert len(forward) == 5  # 4 facilities, and Northgate's two programs apart
    assert not MatchReview.objects.exists()


@db
def test_the_older_annual_directory_after_newer_files_changes_nothing_they_set():
    load(LOCATOR, OTP)
    before = directory_state()
    report = import_file(ANNUAL, as_of=DATES[ANNUAL])
    after = directory_state()
    harborview = Program.objects.get(name="Harborview Recovery Center (Sample)")
    assert harborview.phone == "(217) 555-0101"  # not the annual directory's older (217) 555-0109
    assert harborview.alternate_name == "Adult Outpatient Services"
    assert [o.status for o in report.outcomes] == ["updated", "updated", "created"]
    for key, (values, links) in before.items():
        for name, value in values.items():
            if value not in ("", None, False):
                assert after[key][0][name] == value, (key, name)
        for name, slugs in links.items():
            if slugs:
                assert after[key][1][name] == slugs, (key, name)
    # what only the annual directory says is added: Spanish, CBT
    assert (
        "spanish" in after[("62701", "Harborview Recovery Center (Sample)")][1]["languages"]
        or not before[("62701", "Harborview Recovery Center (Sample)")][1]["languages"]
    )


@db
def test_each_value_records_the_date_of_its_data():
    load(ANNUAL, LOCATOR)
    harborview = Program.objects.get(name="Harborview Recovery Center (Sample)")
    origin = FieldProvenance.objects.get(program=harborview).fields
    assert origin["phone"]["as_of"] == "2024-05-01" and origin["phone"]["source"] == "samhsa-locator"
    assert origin["intake_phone"]["as_of"] == "2024-05-01"  # confirmed by the newer file


@db
def test_certain_matches_are_reported_in_the_summary(tmp_path):
    load(LOCATOR)
    out = io.StringIO()
    call_command(
        "import_facilities",
        str(ANNUAL),
        "--as-of",
        "2022-03-01",
        "--report",
        str(tmp_path / "r.csv"),
        stdout=out,
    )
    text = out.getvalue()
    assert "Data date: 2022-03-01 (given)" in text
    assert "same facility as an existing listing (by address and name or phone): 2" in text
    assert "the same facility as harborview-recovery-center-sample-springfield-il" in text
    assert Program.objects.count() == 5


@db
def test_the_data_date_defaults_to_what_the_file_says(tmp_path):
    path = tmp_path / "otp.html"
    path.write_text(
        "<html><body><p>Data as of May 1, 2025</p><table><tr><th>Program Name</th><th>Street</th>"
        "<th>City</th>"
        "<th>State</th><th>Zipcode</th><th>Phone</th></tr><tr><td>Example Methadone Clinic (Sample)</td>"
        "<td>400 W Lake St</td><td>Chicago</td><td>IL</td><td>60601</td><td>312-555-0111</td></tr></table>"
    )
    report = import_file(path)
    assert report.as_of == datetime.date(2025, 5, 1)
    assert FieldProvenance.objects.get().fields["name"]["as_of"] == "2025-05-01"


# --- the match review queue ---------------------------------------------------------------


def bayside_files(tmp_path):
    locator = tmp_path / "locator.csv"
    locator.write_text(
        "frid,name1,name2,street1,city,state,zip,phone\n"
        "e5b9,Bayside Methadone Program (Sample),,9 Bay Street,Erie,PA,16501,814-555-0141\n"
    )
    otp = tmp_path / "otp.csv"
    otp.write_text(
        "Program Name,DBA,Street,City,State,Zipcode,Phone,Certification\n"
        '"Bayside Treatment Associates, Inc.",,9 Bay St.,Erie,PA,16501,(814) 555-0141,Full Certification\n'
    )
    return locator, otp


@db
def test_an_unsure_match_is_written_as_a_draft_and_queued_once(tmp_path):
    locator, otp = bayside_files(tmp_path)
    import_file(locator, as_of=datetime.date(2024, 1, 1))
    report = import_file(otp, as_of=datetime.date(2023, 1, 1))
    assert len(report.reviews) == 1
    review = MatchReview.objects.get()
    assert review.status == MatchReview.Status.PENDING
    assert review.candidate.name == "Bayside Methadone Program (Sample)"
    assert review.incoming["name"] == "Bayside Treatment Associates, Inc."
    assert review.incoming_program.status == Program.Status.DRAFT
    assert (review.file_name, review.as_of) == ("otp.csv", datetime.date(2023, 1, 1))
    assert Program.objects.published().count() == 1
    import_file(otp, as_of=datetime.date(2023, 1, 1))  # again: not asked again, no new draft
    assert MatchReview.objects.count() == 1 and Program.objects.count() == 2


@db
def test_a_decision_is_remembered_by_the_next_import(tmp_path):
    locator, otp = bayside_files(tmp_path)
    import_file(locator, as_of=datetime.date(2024, 1, 1))
    import_file(otp, as_of=datetime.date(2023, 1, 1))
    review = MatchReview.objects.get()
    Program.objects.filter(pk=review.incoming_program_id).delete()
    review.refresh_from_db()
    review.status = MatchReview.Status.SEPARATE
    review.save()
    report = import_file(otp, as_of=datetime.date(2023, 1, 1))
    assert report.outcomes[0].status == "created" and not report.reviews
    assert Program.objects.count() == 2
    Program.objects.exclude(pk=review.candidate_id).delete()
    review.status = MatchReview.Status.MERGED
    review.save()
    report = import_file(otp, as_of=datetime.date(2023, 1, 1))
    assert report.outcomes[0].status == "updated" and Program.objects.count() == 1
    assert Program.objects.get().otp_certified


@db
def test_staff_see_the_data_date_of_each_value(admin_client):
    load(OTP)
    clinic = Program.objects.get()
    inspect = f"/admin/snippets/directory/program/inspect/{clinic.pk}/"
    html = admin_client.get(inspect).content.decode()
    assert "Data of" in html and "2023-06-01" in html
    assert "Levels of care (term " in html  # the OTP directory speaks only for the OTP level
    load(LOCATOR)
    origin = FieldProvenance.objects.get(program=clinic).fields
    # The newer locator decided every term, but methadone: a certified OTP
    # keeps it, inferred from its certification (importing/otp_directory.py).
    assert [key for key in origin if ":" in key] == [
        f"medications:{Medication.objects.get(slug='methadone').pk}"
    ]
    assert "inferred from SAMHSA OTP certification" in origin[next(k for k in origin if ":" in k)]["inferred"]
    assert origin["levels_of_care"]["as_of"] == "2024-05-01"
    assert "2024-05-01" in admin_client.get(inspect).content.decode()
