"""The open JSON API: same results as the HTML search, schema, bad input."""

import re
from http import HTTPStatus

import pytest

from tests.directory.factories import ProgramFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/programs"


def html_slugs(client, query):
    response = client.get("/find/", query)
    html = response.content.decode()
    result = response.context["result"]
    if result.asks_for_place:
        # No place and no name: the page asks for a place and lists nothing,
        # the API lists what the same search finds (docs/search.md).
        assert 'class="card program-card"' not in html
        return [program.slug for program in result.page]
    return re.findall(
        r'<h3 class="program-card__name"><a href="/programs/([^/]+)/(?:\?search=[^"]*)?">', html
    )


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


@pytest.mark.parametrize(
    ("location", "first"),
    [("atlanta", "Atlanta, GA"), ("Atlnta", "Atlanta, GA"), ("springfeild, IL", "Springfield, IL")],
)
def test_api_ambiguous_or_misspelled_place_is_400_with_suggestions(client, location, first):
    ProgramFactory(zip_code="30303", city="Atlanta", state="GA")
    response = client.get(API, {"location": location})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    body = response.json()
    assert body["suggestions"][0] == first
    assert body["errors"]["location"]
    # each suggestion is a location the API understands
    for choice in body["suggestions"][:3]:
        assert client.get(API, {"location": choice}).status_code == HTTPStatus.OK, choice
    # the same choices the search page offers as links
    page = client.get("/find/", {"location": location})
    assert body["suggestions"] == page.context["result"].form.place_suggestions


def test_api_ambiguous_place_lists_every_state(client):
    body = client.get(API, {"location": "atlanta"}).json()
    assert len(body["suggestions"]) > 1
    assert {choice.split(", ")[0] for choice in body["suggestions"]} == {"Atlanta"}


def test_api_place_without_suggestions_has_an_empty_list(client):
    body = client.get(API, {"location": "00000"}).json()
    assert body["suggestions"] == []


def test_openapi_documents_place_suggestions(client):
    schema = client.get("/api/v1/openapi.json").json()
    ref = schema["paths"]["/api/v1/programs"]["get"]["responses"]["400"]["content"]["application/json"]
    name = ref["schema"]["$ref"].rsplit("/", 1)[-1]
    suggestions = schema["components"]["schemas"][name]["properties"]["suggestions"]
    assert suggestions["type"] == "array" and suggestions["items"]["type"] == "string"
    assert "City, ST" in suggestions["description"]
