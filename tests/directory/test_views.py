"""Search page, program page and problem reports through the real views."""

import datetime
import json
import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from directory.models import ProblemReport, Program
from tests.directory.factories import ProgramFactory

pytestmark = pytest.mark.django_db
SEARCH = "/find/"


def test_search_page_without_a_place_asks_for_one_and_lists_nothing(client):
    """Issue 27: /find/ with no place listed every program in the country
    by name under "Within 25 miles" and "Distance"."""
    ProgramFactory(name="Beta")
    ProgramFactory(name="Alpha")
    response = client.get(SEARCH)
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "Enter a ZIP code or city to see programs near you" in html
    assert "Alpha" not in html and "Beta" not in html and 'class="card program-card"' not in html
    assert "Within 25 miles" not in html and 'id="id_radius"' not in html


def test_search_page_by_name_without_a_place_lists_programs_by_name(client):
    ProgramFactory(name="Beta House")
    ProgramFactory(name="Alpha House")
    ProgramFactory(name="Gamma")
    html = client.get(SEARCH, {"q": "house"}).content.decode()
    assert html.index("Alpha House") < html.index("Beta House") and "Gamma" not in html
    assert "2 programs matching “house”" in html and "Sorted by name" in html
    assert "Within 25 miles" not in html and "Distance (once you enter a place)" in html


def test_search_by_zip_shows_distance_phone_and_counts(client):
    ProgramFactory(name="Near Detox", zip_code="10001", levels_of_care=["detox"], phone="(212) 555-0100")
    ProgramFactory(name="Near Outpatient", zip_code="10001", levels_of_care=["outpatient"])
    response = client.get(SEARCH, {"location": "10001", "care": "detox"})
    html = response.content.decode()
    assert "1 program within 25 miles of 10001 (New York, NY)" in html
    assert 'href="tel:+12125550100"' in html
    assert "0.0 mi" in html
    # Counts: choosing outpatient instead would give 1; detox is selected with 1.
    assert re.search(r'value="outpatient"[^>]*> Outpatient <span class="facet__count">\(1', html)
    assert re.search(r'value="detox"[^>]*checked', html)


def test_unknown_place_is_an_error_not_a_500(client):
    response = client.get(SEARCH, {"location": "Atlantis, ZZ"})
    assert response.status_code == HTTPStatus.OK
    assert "We couldn&#x27;t find “Atlantis, ZZ”" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"page": "999999"},
        {"page": "-1"},
        {"page": "abc"},
        {"radius": "1e309"},
        {"location": "x" * 5000},
        {"q": "%'; DROP TABLE"},
        {"care": ["detox"] * 100},
        {"sort": "../../etc"},
        {"location": "10001", "radius": "NaN"},
    ],
)
def test_odd_input_never_fails(client, query):
    ProgramFactory()
    response = client.get(SEARCH, query)
    assert response.status_code == HTTPStatus.OK


def test_nul_byte_in_search_is_a_clear_400(client):
    """NUL bytes are refused site-wide (config.middleware.RequestGuardMiddleware)."""
    response = client.get(SEARCH, {"q": "%00\x00'; DROP TABLE"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert b"NUL byte" in response.content


def test_no_results_offers_wider_radius_and_dropping_filters(client):
    ProgramFactory(name="Far away", zip_code="19103", levels_of_care=["detox"])
    response = client.get(SEARCH, {"location": "10001", "radius": "25", "care": "detox"})
    html = response.content.decode()
    assert "No programs match this search" in html
    assert "Search within 50 miles instead" in html
    assert "Remove “Detox" in html
    assert "1-800-662-4357" in html


def test_pagination_twenty_per_page(client):
    for n in range(45):
        ProgramFactory(name=f"Program {n:02d}")
    first = client.get(SEARCH, {"q": "program"}).content.decode()
    assert first.count('class="card program-card"') == 20
    assert "Page 1 of 3" in first
    last = client.get(SEARCH, {"q": "program", "page": "99"}).content.decode()
    assert "Page 3 of 3" in last
    assert last.count('class="card program-card"') == 5


def test_fetch_request_gets_only_the_results_fragment(client):
    ProgramFactory(name="Alpha")
    response = client.get(SEARCH, {"q": "alpha"}, headers={"x-requested-with": "fetch"})
    html = response.content.decode()
    assert "Alpha" in html and "<html" not in html


def test_fetch_request_follows_the_page_without_a_place(client):
    """search.js's fragment asks for a place as the page does."""
    ProgramFactory(name="Alpha", levels_of_care=["detox"])
    response = client.get(SEARCH, {"care": "detox"}, headers={"x-requested-with": "fetch"})
    html = response.content.decode()
    assert "Enter a ZIP code or city to see programs near you" in html and "Alpha" not in html
    assert 'data-title="Find treatment"' in html


def test_search_query_count_does_not_grow_with_results(client, django_assert_max_num_queries):
    for _n in range(30):
        ProgramFactory(
            levels_of_care=["detox", "outpatient"], medications=["methadone"], payment_options=["cash"]
        )
    with django_assert_max_num_queries(30) as small:
        client.get(SEARCH, {"location": "10001", "radius": "100", "care": "detox"})
    for _n in range(30):
        ProgramFactory(levels_of_care=["residential"], medications=["naltrexone"], languages=["spanish"])
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(SEARCH, {"location": "10001", "radius": "100", "care": "detox"})


def test_program_page_groups_details_and_json_ld(client):
    program = ProgramFactory(
        name="Harbor House",
        alternate_name="Harbor Recovery",
        levels_of_care=["detox", "residential"],
        medications=["buprenorphine"],
        payment_options=["medicaid"],
        languages=["spanish"],
        phone="(212) 555-0123",
        verified_at=datetime.date(2026, 10, 1),
        accepting_clients=Program.Accepting.WAITLIST,
    )
    response = client.get(program.get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    headings = ["Contact", "Care offered", "Medications for addiction treatment", "Who it serves"]
    headings += ["Payment", "Availability", "Licensing and verification"]
    for heading in headings:
        assert f">{heading}</h2>" in html
    assert 'href="tel:+12125550123"' in html
    assert "Verified October 1, 2026" in html
    assert "Waitlist" in html
    assert "maps.apple.com" in html and "<iframe" not in html
    assert f'<link rel="canonical" href="http://testserver{program.get_absolute_url()}">' in html
    data = json.loads(
        re.search(r'<script type="application/ld\+json" id="program-json-ld">(.*?)</script>', html, re.S)[1]
    )
    assert data["@type"] == "MedicalClinic"
    assert data["telephone"] == "(212) 555-0123"
    assert data["address"]["postalCode"] == program.zip_code
    assert data["geo"]["latitude"] == program.latitude


def test_closed_program_says_so_and_points_to_alternatives(client):
    closed = ProgramFactory(
        name="Old Place", status=Program.Status.CLOSED, zip_code="10001", levels_of_care=["detox"]
    )
    ProgramFactory(name="Open Nearby", zip_code="10001", levels_of_care=["detox"])
    html = client.get(closed.get_absolute_url()).content.decode()
    assert "This program has closed." in html
    assert "Open Nearby" in html


def test_draft_program_is_not_public(client):
    draft = ProgramFactory(status=Program.Status.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND


def test_sample_banner(client):
    sample = ProgramFactory(is_sample=True)
    assert "Sample listing." in client.get(sample.get_absolute_url()).content.decode()


def test_report_a_problem_is_stored_and_redirects(client):
    program = ProgramFactory()
    url = reverse("directory:report_problem", kwargs={"slug": program.slug})
    response = client.post(url, {"kind": "phone", "details": "Number goes to a call center."})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("directory:report_thanks", kwargs={"slug": program.slug})
    report = ProblemReport.objects.get()
    assert (report.program, report.kind, report.status) == (program, "phone", "open")


def test_report_a_problem_requires_a_kind(client):
    program = ProgramFactory()
    url = reverse("directory:report_problem", kwargs={"slug": program.slug})
    response = client.post(url, {"details": "?"})
    assert response.status_code == HTTPStatus.OK
    assert "This field is required." in response.content.decode()
    assert ProblemReport.objects.count() == 0


def test_csv_download_has_export_columns_in_search_order(client):
    import csv
    import io

    from directory.exports import EXPORT_COLUMNS

    ProgramFactory(name="Far", zip_code="19103", levels_of_care=["detox"])
    ProgramFactory(
        name="Near", zip_code="10001", levels_of_care=["detox"], inquiry_email="secret@example.org"
    )
    ProgramFactory(name="Other care", zip_code="10001", levels_of_care=["outpatient"])
    response = client.get("/find/programs.csv", {"location": "10001", "radius": "100", "care": "detox"})
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == EXPORT_COLUMNS
    assert [row[EXPORT_COLUMNS.index("name")] for row in rows[1:-1]] == ["Near", "Far"]
    assert rows[-1] == ["# end of file: 2 rows"]
    assert "secret@example.org" not in body


def test_csv_download_with_unknown_place_is_400(client):
    response = client.get("/find/programs.csv", {"location": "00000"})
    assert response.status_code == HTTPStatus.BAD_REQUEST


def test_home_page_form_lists_levels_and_any_care_searches_everything(client):
    html = client.get("/").content.decode()
    assert '<option value="sober-living">' in html
    ProgramFactory(name="Anything", zip_code="10001")
    response = client.get("/find/", {"location": "10001", "care": ""})
    page = response.content.decode()
    assert "Anything" in page
    assert "not recognized" not in page


def test_staff_see_problem_reports_in_the_admin(client, django_user_model):
    program = ProgramFactory(name="Reported Place")
    ProblemReport.objects.create(program=program, kind="phone", details="Rings a call center")
    admin = django_user_model.objects.create_superuser("staff", "staff@example.org", "pw-123-long")
    client.force_login(admin)
    listing = client.get("/admin/snippets/directory/problemreport/")
    assert listing.status_code == HTTPStatus.OK
    assert "Reported Place" in listing.content.decode()


def test_sort_defaults_to_distance_even_before_a_location_is_given(client):
    ProgramFactory(name="Zed", zip_code="10001")
    ProgramFactory(name="Amy", zip_code="19103")
    html = client.get(SEARCH).content.decode()
    assert '<option value="distance" selected>' in html
    # Adding a location to that form (which submits sort=distance) sorts by distance.
    near_first = client.get(
        SEARCH, {"location": "10001", "radius": "100", "sort": "distance"}
    ).content.decode()
    assert near_first.index("Zed") < near_first.index("Amy")


@pytest.mark.django_db
def test_the_problem_report_offers_no_blank_choice_and_needs_one(client):
    """It started on a blank '---------' radio button."""
    program = ProgramFactory()
    url = reverse("directory:report_problem", kwargs={"slug": program.slug})
    page = client.get(url).content.decode()
    assert "---------" not in page and 'name="kind"' in page
    sent = client.post(url, {"kind": "", "details": ""})
    assert sent.status_code == 200 and "This field is required" in sent.content.decode()


def test_the_program_page_reads_in_a_familys_order(client):
    """On a phone the inquiry form came before care, medications, payment and
    availability ("About this program" started ~3,400 px down): now name,
    availability, phone, care, medications, payment, who it serves, then the
    inquiry form (issue 27)."""
    from tests.portal.factories import center

    _user, _org, (program, _) = center()
    program.inquiry_email = "intake@example.org"
    program.save()
    page = client.get(program.get_absolute_url()).content.decode()
    order = [
        'id="program-name"',
        'id="avail-heading"',
        'id="contact-heading"',
        'id="care-heading"',
        'id="meds-heading"',
        'id="pay-heading"',
        'id="who-heading"',
        'id="inquiry-heading"',
        'id="verify-heading"',
    ]
    positions = [page.index(marker) for marker in order]
    assert positions == sorted(positions)


@pytest.mark.django_db
def test_a_too_long_name_search_names_the_name_field_not_the_location(client):
    """A 101-character name search said "Please correct the location above"
    although the location was fine."""
    page = client.get("/find/", {"location": "10001", "q": "x" * 101}).content.decode()
    assert "Please correct the location" not in page
    assert "Program or organization name: Ensure this value has at most 100 characters" in page
