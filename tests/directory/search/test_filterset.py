"""The search FilterSet: each filter alone and combined, distance, bad input."""

import pytest
from django.http import QueryDict

from directory.models import Program
from directory.search.filterset import ProgramFilter, bounding_box
from tests.directory.factories import ProgramFactory

pytestmark = pytest.mark.django_db


def search(query):
    filterset = ProgramFilter(QueryDict(query), queryset=Program.objects.published())
    return filterset, list(filterset.qs)


def names(programs):
    return [p.name for p in programs]


def test_level_of_care_alone_and_several_levels_are_or():
    ProgramFactory(name="Detox A", levels_of_care=["detox"])
    ProgramFactory(name="Res B", levels_of_care=["residential"])
    ProgramFactory(name="OP C", levels_of_care=["outpatient"])
    assert names(search("care=detox")[1]) == ["Detox A"]
    assert names(search("care=detox&care=residential")[1]) == ["Detox A", "Res B"]


def test_groups_combine_with_and():
    ProgramFactory(name="Both", levels_of_care=["detox"], medications=["buprenorphine"])
    ProgramFactory(name="Detox only", levels_of_care=["detox"])
    ProgramFactory(name="Bup only", medications=["buprenorphine"])
    assert names(search("care=detox&medication=buprenorphine")[1]) == ["Both"]


@pytest.mark.parametrize(
    ("query", "field", "value"),
    [
        ("telehealth=1", "offers_telehealth", True),
        ("accepting=1", "accepting_clients", Program.Accepting.YES),
    ],
)
def test_flags(query, field, value):
    ProgramFactory(name="Match", **{field: value})
    ProgramFactory(name="Other")
    assert names(search(query)[1]) == ["Match"]


def test_verified_only():
    import datetime

    ProgramFactory(name="Checked", verified_at=datetime.date(2026, 1, 5))
    ProgramFactory(name="Unchecked")
    assert names(search("verified=1")[1]) == ["Checked"]


def test_payment_population_language_filters():
    ProgramFactory(name="Spanish sliding", payment_options=["sliding-fee"], languages=["spanish"])
    ProgramFactory(name="Vets", populations=["veterans"])
    assert names(search("payment=sliding-fee")[1]) == ["Spanish sliding"]
    assert names(search("language=spanish")[1]) == ["Spanish sliding"]
    assert names(search("population=veterans")[1]) == ["Vets"]


def test_text_query_matches_program_and_organization_names():
    from tests.directory.factories import OrganizationFactory

    ProgramFactory(name="Harbor Light Detox")
    ProgramFactory(name="Elm House", organization=OrganizationFactory(name="Harbor Health"))
    ProgramFactory(name="Unrelated")
    assert names(search("q=harbor")[1]) == ["Elm House", "Harbor Light Detox"]


def test_only_published_programs_are_found():
    ProgramFactory(name="Live")
    ProgramFactory(name="Draft", status=Program.Status.DRAFT)
    ProgramFactory(name="Closed", status=Program.Status.CLOSED)
    assert names(search("")[1]) == ["Live"]


def test_distance_filter_and_order_by_zip():
    # 10001 is Manhattan; 10301 Staten Island (~10 mi); 19103 Philadelphia (~80 mi).
    ProgramFactory(name="Philadelphia", zip_code="19103", city="Philadelphia", state="PA")
    ProgramFactory(name="Staten Island", zip_code="10301", city="Staten Island", state="NY")
    ProgramFactory(name="Manhattan", zip_code="10001", city="New York", state="NY")
    filterset, found = search("location=10001&radius=25")
    assert names(found) == ["Manhattan", "Staten Island"]
    assert found[0].distance < 1 < found[1].distance < 25
    assert names(search("location=10001&radius=100")[1]) == ["Manhattan", "Staten Island", "Philadelphia"]


def test_city_state_location():
    ProgramFactory(name="Denver", zip_code="80202", city="Denver", state="CO")
    ProgramFactory(name="Boulder", zip_code="80302", city="Boulder", state="CO")
    assert names(search("location=Denver%2C+CO&radius=10")[1]) == ["Denver"]


def test_distance_order_across_the_180th_meridian():
    # Adak (Aleutians) sits just west of the 180th meridian in Alaska's data
    # (longitude -176.6); a point at +179.9 is ~200 miles west of it.
    ProgramFactory(name="East of line", latitude=51.9, longitude=-179.8, zip_code="99546")
    ProgramFactory(name="West of line", latitude=51.9, longitude=179.9, zip_code="99546")
    ProgramFactory(name="Far", latitude=51.9, longitude=-176.6, zip_code="99546")
    filterset, found = search("location=51.9%2C179.95&radius=50")
    assert names(found) == ["West of line", "East of line"]
    assert found[1].distance < 20


def test_alaska_and_hawaii_distances():
    ProgramFactory(name="Anchorage", zip_code="99501", city="Anchorage", state="AK")
    ProgramFactory(name="Wasilla", zip_code="99654", city="Wasilla", state="AK")
    ProgramFactory(name="Honolulu", zip_code="96813", city="Honolulu", state="HI")
    filterset, found = search("location=99501&radius=50")
    assert names(found) == ["Anchorage", "Wasilla"]
    from directory.geo import haversine_miles

    anchorage, wasilla = found
    expected = haversine_miles(anchorage.latitude, anchorage.longitude, wasilla.latitude, wasilla.longitude)
    assert wasilla.distance == pytest.approx(expected, abs=0.01)
    assert names(search("location=Honolulu%2C+HI&radius=25")[1]) == ["Honolulu"]


def test_bounding_box_splits_at_the_meridian():
    (south, north), ranges = bounding_box(51.9, 179.9, 50)
    assert len(ranges) == 2
    assert ranges[0][1] == 180 and ranges[1][0] == -180


def test_unknown_place_is_a_form_error():
    filterset, found = search("location=00000")
    assert found == []
    assert filterset.form.errors["location"] == [
        "We couldn't find “00000”. Enter a 5-digit ZIP code, a city and state such as Denver, CO, "
        "or a county such as Fulton County, GA."
    ]


def test_unknown_filter_values_are_ignored_with_a_notice():
    ProgramFactory(name="Detox", levels_of_care=["detox"])
    filterset, found = search("care=detox&care=spaceship&sort=sideways")
    assert names(found) == ["Detox"]
    assert filterset.form.notices == [
        "Some search options were not recognized and were ignored: Type of care: “spaceship”; "
        "Sort by: “sideways”."
    ]


@pytest.mark.parametrize(
    ("given", "used"), [("7", 5), ("1000", 100), ("-3", 5), ("abc", 25), ("", 25), ("nan", 25)]
)
def test_radius_is_clamped(given, used):
    filterset, _ = search(f"location=10001&radius={given}")
    assert filterset.form.is_valid()
    assert filterset.radius_miles == used


def test_sort_by_name_and_verified():
    import datetime

    ProgramFactory(name="B", verified_at=datetime.date(2026, 5, 1))
    ProgramFactory(name="A", verified_at=datetime.date(2025, 5, 1))
    ProgramFactory(name="C")
    assert names(search("sort=name")[1]) == ["A", "B", "C"]
    assert names(search("sort=verified")[1]) == ["B", "A", "C"]


def test_distance_sort_without_location_falls_back_to_name():
    ProgramFactory(name="Zed")
    ProgramFactory(name="Amy")
    filterset, found = search("sort=distance")
    assert names(found) == ["Amy", "Zed"]
    assert filterset.sort_key == "name"


def test_each_filterset_has_its_own_filters_bound_to_it():
    """Filters are copied shallowly per search (SharedFilterMixin): each
    copy's method proxy must call its own FilterSet, never another search's,
    and the class's filters must stay unbound."""
    from django.http import QueryDict

    from directory.search import program_base_queryset

    first = ProgramFilter(QueryDict("location=10001&q=harbor"), queryset=program_base_queryset())
    second = ProgramFilter(QueryDict("location=60601&q=cedar"), queryset=program_base_queryset())
    for name in ("location", "q", "radius", "sort"):
        mine, theirs = first.filters[name], second.filters[name]
        assert mine is not theirs and mine is not ProgramFilter.base_filters[name]
        assert mine.parent is first and theirs.parent is second
        assert mine.filter.f is mine and theirs.filter.f is theirs
        assert not hasattr(ProgramFilter.base_filters[name], "parent")
    assert first.is_valid() and second.is_valid()
    assert "harbor" in str(first.qs.query).lower() and "cedar" in str(second.qs.query).lower()


NAMES_AS_READERS_SORT = ["ABC Counseling", "Abbey House", "abbey House", "iRecover Clinic", "Zion Center"]


def test_name_order_ignores_case_in_sql_and_in_the_index(client):
    """Names sort as a reader expects ("iRecover" among the I's, "Abbey"
    before "ABC"), with case deciding only between otherwise equal names,
    in the FilterSet's SQL and in the index behind the page and the API."""
    import datetime

    from directory.search import program_search

    for name in reversed(NAMES_AS_READERS_SORT):
        ProgramFactory(name=name, verified_at=datetime.date(2026, 5, 1))
    expected = ["Abbey House", "abbey House", "ABC Counseling", "iRecover Clinic", "Zion Center"]
    assert names(search("sort=name")[1]) == expected
    assert names(search("sort=verified")[1]) == expected
    for query in ["sort=name", "sort=verified"]:
        result = program_search(data=QueryDict(query), with_facets=False)
        assert names(result.page) == expected, query
    api = client.get("/api/v1/programs", {"sort": "name"}).json()
    assert [program["name"] for program in api["results"]] == expected


def test_a_renamed_program_takes_its_place_in_the_name_order_without_a_rebuild(builds):
    from directory.search import program_search

    for name in ["Birch House", "cedar Place", "Delta Center"]:
        ProgramFactory(name=name)
    assert names(program_search(data=QueryDict("sort=name"), with_facets=False).page)[1] == "cedar Place"
    program = Program.objects.get(name="Delta Center")
    program.name = "alder Clinic"
    program.save()
    found = names(program_search(data=QueryDict("sort=name"), with_facets=False).page)
    assert found == ["alder Clinic", "Birch House", "cedar Place"]
    assert len(builds) == 1
