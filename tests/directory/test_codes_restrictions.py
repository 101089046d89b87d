"""Restrictions (issue 21) on the page, on result cards and in search: a
family sees "Serves veterans only" before calling, and a methadone search
does not offer a program that says it does not treat opioid use disorder
(the in-memory index and the FilterSet's SQL agree)."""

import pytest
from django.http import QueryDict

from directory.search import program_base_queryset, program_search
from directory.search.filterset import ProgramFilter
from directory.templatetags.directory_tags import program_card
from tests.directory.factories import ProgramFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def programs():
    return {
        "contradicted": ProgramFactory(
            name="Says No OUD",
            medications=["buprenorphine", "naltrexone"],
            levels_of_care=["outpatient"],
            restrictions=["no-opioid-treatment"],
        ),
        "plain": ProgramFactory(
            name="Plain Bup", medications=["buprenorphine"], levels_of_care=["outpatient"]
        ),
        "veterans": ProgramFactory(
            name="Vets Only",
            medications=["methadone"],
            restrictions=["veterans-only"],
            levels_of_care=["outpatient"],
        ),
        "no_meds": ProgramFactory(
            name="No MOUD",
            medications=["accepts-outside-prescriptions"],
            restrictions=["no-opioid-medication"],
        ),
    }


def both_engines(query: str) -> tuple[list[str], list[str], dict]:
    data = QueryDict(query)
    result = program_search(data=data, page_size=50)
    index_names = sorted(p.name for p in result.page.object_list)
    sql_names = sorted(
        ProgramFilter(data, queryset=program_base_queryset()).qs.values_list("name", flat=True)
    )
    counts = {name: {o.value: o.count for o in options} for name, options in result.facets.items()}
    return index_names, sql_names, counts


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("medication=buprenorphine", ["Plain Bup"]),
        ("medication=methadone", ["Vets Only"]),
        ("medication=naltrexone", ["Says No OUD"]),  # also an alcohol medication: kept, and marked
        ("medication=buprenorphine&medication=naltrexone", ["Plain Bup", "Says No OUD"]),
        ("medication=accepts-outside-prescriptions", ["No MOUD"]),  # does not prescribe, but accepts
        ("limited_to=veterans-only", ["Vets Only"]),
        ("limited_to=no-opioid-treatment&medication=buprenorphine", []),
    ],
)
def test_a_restriction_keeps_a_program_out_of_searches_it_contradicts(programs, query, expected):
    index_names, sql_names, _ = both_engines(query)
    assert index_names == sql_names == expected


def test_facet_counts_leave_out_contradicted_programs_too(programs):
    _, _, counts = both_engines("care=outpatient")
    assert counts["medication"]["buprenorphine"] == 1
    assert counts["medication"]["naltrexone"] == 1
    assert counts["limited_to"]["veterans-only"] == 1
    ProgramFactory(
        name="OTP no OUD", levels_of_care=["opioid-treatment-program"], restrictions=["no-opioid-treatment"]
    )
    _, _, counts = both_engines("location=")
    assert counts["care"]["opioid-treatment-program"] == 0


def test_result_cards_carry_the_restrictions_from_the_index(programs):
    result = program_search(data=QueryDict("medication=naltrexone"))
    [card] = result.page.object_list
    assert [term.name for term in card.card_restrictions] == ["Does not treat opioid use disorder"]
    html = program_card(card)
    assert (
        '<p class="program-card__restrictions"><strong>Does not treat opioid use disorder</strong></p>'
        in html
    )
    [plain] = program_search(data=QueryDict("q=Plain Bup")).page.object_list
    assert "program-card__restrictions" not in program_card(plain)


def test_the_program_page_says_who_the_program_can_take_before_the_contact_details(client, programs):
    page = client.get(programs["veterans"].get_absolute_url()).content.decode()
    assert "Who this program can take" in page
    assert "<strong>Serves veterans only.</strong>" in page
    assert page.index("Serves veterans only") < page.index('id="contact-heading"')
    plain = client.get(programs["plain"].get_absolute_url()).content.decode()
    assert "Who this program can take" not in plain
