"""Places people type: cities without a state, counties, misspellings, all
resolved offline from the ZIP data."""

from http import HTTPStatus

import pytest

from directory import places
from tests.directory.factories import ProgramFactory

SEARCH = "/find/"


def test_a_city_found_in_one_state_resolves_without_the_state():
    place = places.resolve("albuquerque")
    assert place.label == "Albuquerque, NM"
    assert place.latitude == pytest.approx(35.08, abs=0.2)


def test_a_city_in_several_states_offers_choices_largest_first():
    assert places.resolve("atlanta") is None
    choices = places.suggest("atlanta")
    assert choices[0] == "Atlanta, GA"
    assert "Atlanta, IN" in choices
    assert places.is_ambiguous("atlanta") and not places.is_ambiguous("Atlnta")
    assert len(choices) <= places.MAX_SUGGESTIONS


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("Atlnta", "Atlanta, GA"), ("atlnta, ga", "Atlanta, GA"), ("Denvr, CO", "Denver, CO")],
)
def test_misspellings_suggest_the_closest_places(typed, expected):
    assert places.resolve(typed) is None
    assert expected in places.suggest(typed)


def test_a_misspelling_with_a_state_only_suggests_places_in_that_state():
    assert places.suggest("atlnta, ga") == ["Atlanta, GA"]


def test_counties_resolve_with_a_state_and_offer_choices_without():
    place = places.resolve("Fulton County, GA")
    assert place.label == "Fulton County, GA"
    assert place.latitude == pytest.approx(33.8, abs=0.5)
    assert places.resolve("fulton county") is None
    assert "Fulton County, GA" in places.suggest("fulton county")


def test_nonsense_gets_no_suggestions():
    assert places.resolve("xyzzy") is None
    assert places.suggest("xyzzy") == []
    assert places.suggest("12 !!") == []


@pytest.mark.django_db
def test_search_page_offers_the_choices_as_links(client):
    ProgramFactory(zip_code="30303")
    response = client.get(SEARCH, {"location": "atlanta", "care": "detox"})
    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "“atlanta” is the name of places in more than one state." in html
    assert 'aria-label="Places that match"' in html
    # Each choice keeps the rest of the search and replaces the location.
    assert 'href="?care=detox&amp;location=Atlanta%2C+GA"' in html


@pytest.mark.django_db
def test_a_misspelled_place_asks_did_you_mean(client):
    html = client.get(SEARCH, {"location": "Atlnta"}).content.decode()
    assert "We couldn&#x27;t find “Atlnta”. Did you mean Atlanta, GA?" in html
    assert 'href="?location=Atlanta%2C+GA"' in html


@pytest.mark.django_db
def test_choosing_a_suggested_place_searches_there(client):
    ProgramFactory(name="Peachtree Recovery (Sample)", zip_code="30303")
    html = client.get(SEARCH, {"location": "Atlanta, GA"}).content.decode()
    assert "Peachtree Recovery (Sample)" in html
    assert "of Atlanta, GA" in html


@pytest.mark.django_db
def test_api_reports_ambiguous_places_with_an_example(client):
    response = client.get("/api/v1/programs", {"location": "atlanta"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["errors"]["location"] == [
        "“atlanta” is the name of places in more than one state. Add the state, such as Atlanta, GA, "
        "or choose a place below."
    ]
