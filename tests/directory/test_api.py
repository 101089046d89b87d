"""The open JSON API: same results as the HTML search, schema, bad input."""

import re
from http import HTTPStatus

import pytest

from tests.directory.factories import ProgramFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/programs"


def html_slugs(client, query):
    html = client.get("/find/", query).content.decode()
    return re.findall(r'<h3 class="program-card__name"><a href="/programs/([^/]+)/">', html)


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"location": "10001", "radius": "100"},
        {"location": "10001", "care": ["detox", "residential"], "medication": "buprenorphine"},
        {"q": "harbor"},
        {"sort": "verified", "accepting": "1"},
        {"page": "2"},
    ],
)
def test_api_results_equal_html_search(client, query):
    zips = ["10001", "10301", "19103", "07302"]
    for n in range(45):
        ProgramFactory(
            name=f"{'Harbor ' if n % 3 == 0 else ''}Program {n:02d}",
            zip_code=zips[n % 4],
            levels_of_care=[["detox"], ["residential"], ["outpatient"]][n % 3],
            medications=["buprenorphine"] if n % 2 else [],
            accepting_clients="yes" if n % 5 == 0 else "unknown",
        )
    data = client.get(API, query).json()
    assert [p["slug"] for p in data["results"]] == html_slugs(client, query)
    assert data["count"] >= len(data["results"])


def test_api_program_fields_and_no_private_email(client):
    program = ProgramFactory(
        name="Harbor",
        inquiry_email="private@example.org",
        levels_of_care=["detox"],
        medications=["methadone"],
    )
    data = client.get(API, {"location": program.zip_code}).json()
    item = data["results"][0]
    assert item["slug"] == program.slug
    assert item["levels_of_care"] == ["detox"]
    assert item["medications"] == ["methadone"]
    assert item["distance_miles"] == 0.0
    assert item["url"] == f"http://testserver/programs/{program.slug}/"
    assert "private@example.org" not in client.get(API).content.decode()
    assert "private@example.org" not in client.get(f"{API}/{program.slug}").content.decode()


def test_api_unknown_location_is_400_with_message(client):
    response = client.get(API, {"location": "00000"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["errors"]["location"] == [
        "We couldn't find “00000”. Enter a 5-digit ZIP code, a city and state such as Denver, CO, "
        "or a county such as Fulton County, GA."
    ]


def test_api_unknown_values_are_notices_not_errors(client):
    ProgramFactory(levels_of_care=["detox"])
    response = client.get(API, {"care": ["detox", "nonsense"], "page": "0"})
    assert response.status_code == HTTPStatus.OK
    assert response.json()["notices"] == [
        "Some search options were not recognized and were ignored: Type of care: “nonsense”."
    ]


def test_api_bad_page_type_is_4xx(client):
    response = client.get(API, {"page": "abc"})
    assert 400 <= response.status_code < 500


def test_api_unknown_program_is_404(client):
    assert client.get(f"{API}/no-such-program").status_code == HTTPStatus.NOT_FOUND


def test_openapi_schema_lists_the_filters(client):
    schema = client.get("/api/v1/openapi.json").json()
    params = {p["name"] for p in schema["paths"]["/api/v1/programs"]["get"]["parameters"]}
    assert {"location", "radius", "care", "medication", "payment", "language", "page", "sort"} <= params
    assert "ProgramOut" in schema["components"]["schemas"]


def test_api_docs_are_self_hosted(client):
    html = client.get("/api/v1/docs").content.decode()
    assert "swagger-ui-bundle.js" in html
    assert "cdn." not in html


def test_vocabularies_endpoint(client):
    data = client.get("/api/v1/vocabularies").json()
    assert "detox" in [term["slug"] for term in data["care"]]
