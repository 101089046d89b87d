"""/find/ tells the truth about an empty search (issue 27): without a place
and a name it asks for a place and lists nothing (it listed every program
in the country by name under "Within 25 miles" and "Distance"); the API and
the CSV still list every match. Without JavaScript the filter counts say
they are those of the search as loaded. The title names the place and the
count."""

import re
from http import HTTPStatus

import pytest

from directory.search import freshness
from tests.directory.factories import ProgramFactory

pytestmark = pytest.mark.django_db
SEARCH = "/find/"
PROMPT = "Enter a ZIP code or city to see programs near you"


@pytest.fixture(autouse=True)
def programs():
    freshness.reset()
    ProgramFactory(name="Alpha Detox (Sample)", zip_code="10001", levels_of_care=["detox"])
    ProgramFactory(name="Beta Detox (Sample)", zip_code="98101", levels_of_care=["detox"])
    ProgramFactory(name="Gamma House (Sample)", zip_code="10001", levels_of_care=["outpatient"])
    yield
    freshness.reset()


def title(html):
    return re.search(r"<title>(.*?)</title>", html, re.S)[1].strip()


def test_filters_without_a_place_ask_for_one_and_count_in_one_sentence(client):
    html = client.get(SEARCH, {"care": "detox", "sort": "name"}).content.decode()
    assert PROMPT in html
    assert "2 programs across the country match the filters you chose." in html
    assert 'class="card program-card"' not in html and "Detox (Sample)" not in html
    assert 'class="chip"' in html  # the chosen filter stays visible and removable
    assert 'id="id_radius"' not in html and "Within 25 miles" not in html
    assert "Download these results" not in html
    assert title(html) == "Find treatment | FindCare"


def test_a_radius_chosen_before_the_place_is_kept_for_it(client):
    html = client.get(SEARCH, {"radius": "50"}).content.decode()
    assert PROMPT in html and '<input type="hidden" name="radius" value="50">' in html
    assert "across the country" not in html  # no filters chosen: no count claimed


def test_with_a_place_the_distance_is_offered_and_the_title_names_place_and_count(client):
    html = client.get(SEARCH, {"location": "10001"}).content.decode()
    assert PROMPT not in html and 'id="id_radius"' in html
    assert "2 programs within 25 miles of 10001 (New York, NY)" in html
    assert title(html) == "2 programs near 10001 (New York, NY) | FindCare"
    assert 'data-title="2 programs near 10001 (New York, NY)"' in html


def test_an_unknown_place_is_an_error_not_a_prompt(client):
    html = client.get(SEARCH, {"location": "Nowhereville"}).content.decode()
    assert PROMPT not in html and "couldn" in html
    assert title(html) == "Error: Find treatment | FindCare"


def test_the_api_and_the_csv_still_list_every_match_without_a_place(client):
    data = client.get("/api/v1/programs", {"care": "detox"}).json()
    assert sorted(p["name"] for p in data["results"]) == ["Alpha Detox (Sample)", "Beta Detox (Sample)"]
    response = client.get("/find/programs.csv", {"care": "detox"})
    assert response.status_code == HTTPStatus.OK
    text = b"".join(response.streaming_content).decode()
    assert "Alpha Detox (Sample)" in text and "Beta Detox (Sample)" in text


def test_without_javascript_the_counts_say_they_are_before_your_changes(client):
    html = client.get(SEARCH, {"location": "10001"}).content.decode()
    note = re.search(r"<noscript><p class=\"filters-note\"[^>]*>(.*?)</p></noscript>", html)[1]
    assert "count programs for the search as it was loaded" in note
    legend = re.search(r'<fieldset class="facet" id="facet-care">\s*<legend>(.*?)</legend>', html)[1]
    assert legend == (
        'Type of care<noscript><span class="visually-hidden"> (counts before your changes)</span></noscript>'
    )
    assert "Show results" in html
