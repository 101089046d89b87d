"""Issue 21, OTPs, facility type and no dead ends, on layered real-shaped
input: SAMHSA's OTP directory of two years (the newer with a certification
date column and Provisional rows), locator JSON rows without medication
categories (`type_facility` and `typeFacility`, a mental-health-only row,
an address-only row) and the annual directory (codes, `Intake:` cells),
loaded in both orders.

- every certified OTP has methadone and the OTP level (inferred, and the
  provenance and the page say so), and a 25-mile methadone search finds
  every listed OTP in its radius;
- Provisional is never shown as Certified; an OTP a newer complete OTP
  directory leaves out is flagged and shown as unconfirmed;
- mental-health-only facilities are not published as addiction treatment;
- a listing nobody can contact is in no list (search, API, CSV, nearby) and
  its page says how to find help; staff see it as incomplete."""

import csv
import datetime
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.http import QueryDict

from directory import geo
from directory.importing import import_file
from directory.models import FieldProvenance, Program
from directory.search import nearby_programs, program_base_queryset, program_search, search_data
from directory.search.filterset import ProgramFilter
from tests.directory.factories import ProgramFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures" / "samhsa"
OTP_2025 = FIXTURES / "otp_directory_2025.csv"
OTP_2026 = FIXTURES / "otp_directory_2026.csv"
LOCATOR = FIXTURES / "otp_locator.json"
ANNUAL = FIXTURES / "otp_annual_directory.csv"
DATES = {OTP_2025: datetime.date(2025, 6, 1), OTP_2026: datetime.date(2026, 6, 1)}
OLDEST_FIRST = [OTP_2025, LOCATOR, ANNUAL, OTP_2026]
NEWEST_FIRST = [OTP_2026, ANNUAL, LOCATOR, OTP_2025]

HARBORVIEW = "Harborview Treatment Services (Sample)"
NORTHPOINT = "Northpoint Recovery Systems, LLC (Sample)"
EASTSIDE = "Eastside Methadone Clinic (Sample)"
GLEN_BURNIE = "Glen Burnie Comprehensive Care (Sample)"
ANNAPOLIS = "Annapolis Opioid Treatment Center (Sample)"
FREDERICK = "Frederick Comprehensive Treatment (Sample)"
LIGHTHOUSE = "Lighthouse Recovery (Sample)"


def load(files, **options):
    return [import_file(path, as_of=DATES.get(path), **options) for path in files]


def named(name) -> Program:
    return Program.objects.get(name=name)


def slugs(program, relation):
    return set(getattr(program, relation).values_list("slug", flat=True))


def query(text) -> QueryDict:
    return QueryDict(text)


def otp_state():
    """What the OTP rules decide, per listing (the rest may differ by order
    until data dates decide between sources)."""
    return {
        p.name: (
            p.status,
            p.otp_certified,
            p.otp_status,
            p.otp_certified_on,
            p.otp_listed_on,
            p.otp_missing_since,
            "methadone" in slugs(p, "medications"),
            "opioid-treatment-program" in slugs(p, "levels_of_care"),
            p.is_contactable,
        )
        for p in Program.objects.all()
    }


@pytest.fixture(params=["oldest first", "newest first"])
def layered(request):
    return load(OLDEST_FIRST if request.param == "oldest first" else NEWEST_FIRST)


def test_layering_in_either_order_gives_the_same_otp_facts():
    load(OLDEST_FIRST)
    first = otp_state()
    Program.objects.all().delete()
    load(NEWEST_FIRST)
    assert otp_state() == first


def test_every_certified_otp_has_methadone_and_the_otp_level(layered):
    otps = Program.objects.filter(otp_certified=True)
    assert {p.name for p in otps} == {HARBORVIEW, NORTHPOINT, EASTSIDE, GLEN_BURNIE, ANNAPOLIS, FREDERICK}
    for program in otps:
        assert "methadone" in slugs(program, "medications"), program.name
        assert "opioid-treatment-program" in slugs(program, "levels_of_care"), program.name
    # The annual directory's own medication codes add up with the inferred methadone.
    assert slugs(named(GLEN_BURNIE), "medications") == {"methadone"}


def test_a_methadone_search_finds_every_otp_in_its_radius(layered):
    centre = geo.zip_centroid("21201")
    result = program_search(
        data=search_data(query("location=21201&radius=25&medication=methadone")), page_size=1000
    )
    found = {program.name for program in result.page}
    in_radius = {
        p.name
        for p in Program.objects.listed().filter(otp_certified=True)
        if geo.haversine_miles(*centre, p.latitude, p.longitude) <= 25
    }
    assert in_radius == {HARBORVIEW, NORTHPOINT, EASTSIDE, GLEN_BURNIE, ANNAPOLIS}
    assert in_radius <= found
    assert FREDERICK not in found  # 39 miles away


def test_methadone_is_recorded_as_inferred_from_certification(layered):
    fields = FieldProvenance.objects.get(program=named(NORTHPOINT)).fields
    assert "inferred from SAMHSA OTP certification" in fields["medications"]["inferred"]


def test_provisional_is_kept_and_never_shown_as_certified(layered, client):
    northpoint = named(NORTHPOINT)
    assert northpoint.otp_status == Program.OtpStatus.PROVISIONAL
    assert northpoint.otp_certified_on == datetime.date(2026, 2, 1)
    assert northpoint.phone == "(410) 555-0102"  # from the locator: the OTP directory has none
    page = client.get(northpoint.get_absolute_url()).content.decode()
    assert "Provisionally certified by SAMHSA as an opioid treatment program (February 1, 2026)" in page
    assert "Certified by SAMHSA" not in page
    assert "Methadone: offered by every SAMHSA-certified opioid treatment program." in page
    api = client.get(f"/api/v1/programs/{northpoint.slug}").json()
    assert (api["otp_status"], api["otp_certified_on"], api["otp_unconfirmed"]) == (
        "provisional",
        "2026-02-01",
        False,
    )

    harborview = named(HARBORVIEW)
    assert harborview.otp_status == Program.OtpStatus.CERTIFIED
    page = client.get(harborview.get_absolute_url()).content.decode()
    assert "Certified by SAMHSA as an opioid treatment program since March 15, 2019" in page
    assert "in the OTP directory of June 2026" in page


def test_an_otp_missing_from_the_newer_directory_is_flagged_and_unconfirmed(layered, client, admin_client):
    eastside = named(EASTSIDE)
    assert eastside.otp_certified  # never silently dropped...
    assert eastside.otp_listed_on == datetime.date(2025, 6, 1)
    assert eastside.otp_missing_since == datetime.date(2026, 6, 1)  # ...nor silently kept
    assert eastside.otp_unconfirmed
    assert not Program.objects.filter(otp_missing_since__isnull=False).exclude(pk=eastside.pk).exists()
    page = client.get(eastside.get_absolute_url()).content.decode()
    assert (
        "Listed as SAMHSA-certified in the OTP directory of June 2025; not in the latest directory "
        "(June 2026)." in page
    )
    assert "Certified by SAMHSA" not in page
    assert client.get(f"/api/v1/programs/{eastside.slug}").json()["otp_unconfirmed"] is True
    listing = admin_client.get("/admin/snippets/directory/program/", {"otp_missing": "true"})
    assert listing.status_code == 200
    shown = listing.content.decode()
    assert EASTSIDE in shown and HARBORVIEW not in shown


def test_a_directory_listing_it_again_clears_the_flag(tmp_path):
    load([OTP_2025, OTP_2026])
    assert named(EASTSIDE).otp_missing_since == datetime.date(2026, 6, 1)
    newer = tmp_path / "otp_2027.csv"
    newer.write_text(OTP_2025.read_text(encoding="utf-8"), encoding="utf-8")
    report = import_file(newer, as_of=datetime.date(2027, 6, 1))
    eastside = named(EASTSIDE)
    assert (eastside.otp_listed_on, eastside.otp_missing_since) == (datetime.date(2027, 6, 1), None)
    # Glen Burnie is now the one the newest directory leaves out.
    assert named(GLEN_BURNIE).otp_missing_since == datetime.date(2027, 6, 1)
    assert report.otp.confirmed == [eastside.slug]
    assert any("flagged 'Not in the latest OTP directory'" in line for line in report.notices())


def test_a_partial_otp_file_flags_nothing(tmp_path):
    load([OTP_2025])
    partial = tmp_path / "otp_partial.csv"
    partial.write_text("\n".join(OTP_2026.read_text(encoding="utf-8").splitlines()[:2]) + "\n")
    import_file(partial, as_of=datetime.date(2026, 6, 1), otp_partial=True)
    assert not Program.objects.filter(otp_missing_since__isnull=False).exists()


def test_an_otp_directory_of_one_state_leaves_other_states_alone(tmp_path):
    ProgramFactory(
        name="Ohio OTP (Sample)", state="OH", zip_code="43215", city="Columbus", otp_certified=True
    )
    load([OTP_2025])
    assert named("Ohio OTP (Sample)").otp_missing_since is None


def test_mental_health_only_facilities_are_not_published_as_addiction_treatment(layered):
    assert not Program.objects.filter(name__in=["Westside Counseling Center (Sample)"]).exists()
    assert not Program.objects.filter(name="Pier Street Youth Home (Sample)").exists()  # MH codes, annual
    co_occurring = named("Summit Co-occurring Care (Sample)")
    assert co_occurring.status == Program.Status.PUBLISHED and co_occurring.facility_type == "MH"


def test_mental_health_rows_are_reported_and_imported_unpublished_on_request(tmp_path):
    out = io.StringIO()
    call_command("import_facilities", str(LOCATOR), "--report", str(tmp_path / "r.csv"), stdout=out)
    assert "2 row(s) are mental-health-only facilities: not imported as addiction treatment" in out.getvalue()
    rows = list(csv.DictReader((tmp_path / "r.csv").open()))
    westside = next(row for row in rows if row["name"] == "Westside Counseling Center (Sample)")
    assert westside["status"] == "skipped" and "mental health only (MH)" in westside["notes"]

    call_command(
        "import_facilities",
        str(LOCATOR),
        "--include-mental-health",
        "--report",
        str(tmp_path / "r.csv"),
        stdout=out,
    )
    westside = named("Westside Counseling Center (Sample)")
    assert westside.status == Program.Status.DRAFT and westside.facility_type == "MH"
    assert not Program.objects.listed().filter(pk=westside.pk).exists()


def test_a_published_listing_a_newer_file_says_is_mental_health_only_is_unpublished(tmp_path):
    listing = ProgramFactory(
        name="Westside Counseling Center (Sample)",
        street1="600 W. Fayette Street",
        city="Baltimore",
        state="MD",
        zip_code="21201",
        source=Program.Source.SAMHSA,
        status=Program.Status.PUBLISHED,
    )
    report = import_file(LOCATOR)
    listing.refresh_from_db()
    assert listing.status == Program.Status.DRAFT
    outcome = next(o for o in report.outcomes if o.slug == listing.slug)
    assert outcome.status == "updated" and any("mental health only" in note for note in outcome.notes)


def test_a_listing_nobody_can_contact_is_in_no_list_but_its_page_helps(layered, client, admin_client):
    lighthouse = named(LIGHTHOUSE)
    assert lighthouse.status == Program.Status.PUBLISHED and not lighthouse.is_contactable
    data = query("location=21202&radius=5")
    assert lighthouse.pk not in {p.pk for p in program_search(data=search_data(data), page_size=1000).page}
    filterset = ProgramFilter(search_data(data), queryset=program_base_queryset())
    assert not filterset.qs.filter(pk=lighthouse.pk).exists()
    api = client.get("/api/v1/programs", {"location": "21202", "radius": "5"}).json()
    assert LIGHTHOUSE not in {row["name"] for row in api["results"]}
    assert client.get(f"/api/v1/programs/{lighthouse.slug}").status_code == 404
    downloaded = b"".join(client.get("/find/programs.csv", {"location": "21202"})).decode()
    assert LIGHTHOUSE not in downloaded and HARBORVIEW in downloaded
    neighbour = named(HARBORVIEW)
    assert lighthouse.pk not in {p.pk for p in nearby_programs(program=neighbour, limit=50)}

    page = client.get(lighthouse.get_absolute_url())
    assert page.status_code == 200
    text = page.content.decode()
    assert "We have no way to contact this program yet." in text
    assert 'href="#nearby"' in text and "Similar programs nearby" in text

    listing = admin_client.get("/admin/snippets/directory/program/", {"incomplete": "true"}).content.decode()
    assert LIGHTHOUSE in listing and HARBORVIEW not in listing


def test_the_import_summary_counts_listings_nobody_can_contact(tmp_path):
    out = io.StringIO()
    report = str(tmp_path / "r.csv")
    call_command("import_facilities", str(OTP_2025), "--report", report, "--dry-run", stdout=out)
    assert "1 listing(s) have no phone or website" in out.getvalue()  # Northpoint: no Phone cell
    out = io.StringIO()
    call_command("import_facilities", str(LOCATOR), "--report", report, stdout=out)
    assert "1 listing(s) have no phone or website: not shown in search" in out.getvalue()  # Lighthouse


def test_giving_a_phone_brings_a_listing_into_search():
    load([OTP_2025])
    northpoint = named(NORTHPOINT)
    data = search_data(query("location=21218&radius=5"))
    assert northpoint.pk not in {p.pk for p in program_search(data=data).page}
    northpoint.phone = "(410) 555-0102"
    northpoint.save()
    assert northpoint.pk in {p.pk for p in program_search(data=data).page}
