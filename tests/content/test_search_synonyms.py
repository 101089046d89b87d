"""Names families use (directory/data/synonyms.tsv) mean the same in site
search (/search/) and in the directory's name field (/find/?q=, through the
in-memory index and through the FilterSet's SQL): one table, read by both."""

import pytest
from django.http import QueryDict

from content.selectors import search_programs
from directory.models import DetoxSubstance
from directory.search import program_base_queryset, program_search, search_data
from directory.search.filterset import ProgramFilter
from tests.directory.factories import ProgramFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def programs():
    opioids, alcohol = DetoxSubstance.objects.get(slug="opioids"), DetoxSubstance.objects.get(slug="alcohol")
    ProgramFactory(
        name="Harbor Buprenorphine Clinic", medications=["buprenorphine"], levels_of_care=["outpatient"]
    )
    ProgramFactory(
        name="Cedar Methadone Clinic", medications=["methadone"], levels_of_care=["opioid-treatment-program"]
    )
    ProgramFactory(name="Lakeside Residential", levels_of_care=["residential"], medications=["naltrexone"])
    ProgramFactory(name="Pine Opioid Detox", levels_of_care=["detox"]).detox_substances.add(opioids)
    ProgramFactory(name="Oak Alcohol Detox", levels_of_care=["detox"]).detox_substances.add(alcohol)
    ProgramFactory(name="Maple Counseling", levels_of_care=["outpatient"], medications=["disulfiram"])


def site_search(text):
    return sorted(program.name for program in search_programs(text))


def find(text):
    data = QueryDict(mutable=True)
    data["q"] = text
    index = sorted(program.name for program in program_search(data=search_data(data), page_size=1000).page)
    sql = sorted(
        ProgramFilter(search_data(data), queryset=program_base_queryset()).qs.values_list("name", flat=True)
    )
    assert index == sql, text
    return index


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Suboxone", ["Harbor Buprenorphine Clinic"]),
        ("sublocade", ["Harbor Buprenorphine Clinic"]),
        ("Methadose", ["Cedar Methadone Clinic"]),
        ("Vivitrol", ["Lakeside Residential"]),
        ("Antabuse", ["Maple Counseling"]),
        ("rehab", ["Lakeside Residential"]),
        ("heroin detox", ["Pine Opioid Detox"]),
        ("fentanyl detox", ["Pine Opioid Detox"]),
        ("booze detox", ["Oak Alcohol Detox"]),
    ],
)
def test_site_search_and_the_name_field_agree(programs, text, expected):
    assert site_search(text) == expected
    assert find(text) == expected


def test_the_name_field_still_finds_names(programs):
    """A name families use is read as its terms as well as, not instead of, a name."""
    assert find("methadone") == ["Cedar Methadone Clinic"]
    assert find("detox") == ["Oak Alcohol Detox", "Pine Opioid Detox"]
    assert find("harbor suboxone") == ["Harbor Buprenorphine Clinic"]
    assert find("cedar suboxone") == []
