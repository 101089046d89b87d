"""The search a family came from (directory/search/context.py): result cards
carry it to the program page, whose "Similar programs nearby" keep its care
filters (issue 27: a naltrexone-only or non-Medicaid program suggested to a
Medicaid methadone search), and "Report a problem" hands it on to "Back to
search"."""

import re
from urllib.parse import unquote

import pytest
from django.http import QueryDict
from django.urls import reverse

from directory.models import Program
from directory.search import carried_search, freshness, nearby_programs, search_context
from tests.directory.factories import ProgramFactory

pytestmark = pytest.mark.django_db
METHADONE_MEDICAID = "location=10001&medication=methadone&medication=buprenorphine&payment=medicaid"


@pytest.fixture(autouse=True)
def fresh_index():
    freshness.reset()
    yield
    freshness.reset()


@pytest.fixture
def neighbourhood():
    """A methadone program and, in the same ZIP, one program of each kind a
    Medicaid opioid search must not be offered, and one it may."""
    here = ProgramFactory(
        name="Harbor Clinic (Sample)", zip_code="10001", levels_of_care=["outpatient"],
        medications=["methadone"], payment_options=["medicaid"],
    )  # fmt: skip
    ProgramFactory(
        name="Naltrexone Only (Sample)", zip_code="10001", levels_of_care=["outpatient"],
        medications=["naltrexone"], payment_options=["medicaid"],
    )  # fmt: skip
    ProgramFactory(
        name="Cash Only (Sample)", zip_code="10001", levels_of_care=["outpatient"],
        medications=["buprenorphine"], payment_options=["cash"],
    )  # fmt: skip
    ProgramFactory(
        name="Right Fit (Sample)", zip_code="10001", levels_of_care=["outpatient"],
        medications=["buprenorphine"], payment_options=["medicaid"],
    )  # fmt: skip
    return here


def url_of(name):
    return Program.objects.get(name=name).get_absolute_url()


def names(programs):
    return sorted(program.name for program in programs)


def test_the_context_keeps_only_the_search_in_its_own_words():
    context = search_context(QueryDict("location=10001&utm_source=x&care=&page=1&medication=methadone&q=a"))
    assert context.query_string == "location=10001&medication=methadone&q=a"
    assert search_context(QueryDict("page=3&utm_source=x")) is None
    assert search_context(QueryDict("q=" + "x" * 500)).data["q"] == "x" * 100
    assert (
        search_context(QueryDict("&".join(f"care=c{n}" for n in range(300)))) is None
    )  # no search is that long


def test_a_link_carries_the_context_and_reads_it_back():
    context = search_context(QueryDict(METHADONE_MEDICAID + "&page=2"))
    assert context.link_query == "?search=" + "location%3D10001%26medication%3Dmethadone%26medication%3D" \
        "buprenorphine%26payment%3Dmedicaid%26page%3D2"  # fmt: skip
    assert carried_search(QueryDict(context.param)) == context
    assert context.search_url == "/find/?" + METHADONE_MEDICAID + "&page=2"
    assert carried_search(QueryDict("")) is None
    assert carried_search(QueryDict("search=utm_source%3Dx")) is None  # nothing of a search
    assert carried_search(QueryDict("search=" + "q%3Dx" * 1000)) is None


def test_similar_programs_keep_the_searchs_care_filters(neighbourhood):
    everyone = names(nearby_programs(program=neighbourhood))  # no search: as before
    assert everyone == ["Cash Only (Sample)", "Naltrexone Only (Sample)", "Right Fit (Sample)"]
    context = search_context(QueryDict(METHADONE_MEDICAID))
    assert names(nearby_programs(program=neighbourhood, search=context)) == ["Right Fit (Sample)"]
    # Names families use in the name field count as care too; the searched place and radius do not.
    suboxone = search_context(QueryDict("location=98101&radius=5&q=suboxone"))
    assert names(nearby_programs(program=neighbourhood, search=suboxone)) == [
        "Cash Only (Sample)",
        "Right Fit (Sample)",
    ]


def test_result_cards_carry_the_search_to_the_program_page(client, neighbourhood):
    html = client.get("/find/", QueryDict(METHADONE_MEDICAID + "&utm_source=mail")).content.decode()
    links = re.findall(r'<h3 class="program-card__name"><a href="([^"]+)"', html)
    carried = (
        "?search=location%3D10001%26medication%3Dmethadone%26medication%3Dbuprenorphine%26payment%3Dmedicaid"
    )
    assert links == [
        f"{neighbourhood.get_absolute_url()}{carried}",
        f"{url_of('Right Fit (Sample)')}{carried}",
    ]


def test_the_program_page_suggests_only_programs_the_search_would_find(client, neighbourhood):
    plain = client.get(neighbourhood.get_absolute_url()).content.decode()
    assert "Naltrexone Only (Sample)" in plain and "Cash Only (Sample)" in plain
    context = search_context(QueryDict(METHADONE_MEDICAID))
    page = client.get(neighbourhood.get_absolute_url() + context.link_query).content.decode()
    nearby = page[page.index('id="nearby-heading"') :]
    assert "Right Fit (Sample)" in nearby
    assert "Naltrexone Only" not in nearby and "Cash Only" not in nearby
    assert f'href="{url_of("Right Fit (Sample)")}{context.link_query}"' in nearby  # and hands it on
    report = reverse("directory:report_problem", args=[neighbourhood.slug])
    assert f'href="{report}{context.link_query}"' in page
    # The canonical address stays the program's own.
    assert f'rel="canonical" href="http://testserver{neighbourhood.get_absolute_url()}"' in page


def test_back_to_search_after_a_report_returns_to_the_search(client, neighbourhood):
    context = search_context(QueryDict(METHADONE_MEDICAID + "&page=2"))
    report = reverse("directory:report_problem", args=[neighbourhood.slug])
    form = client.get(report + context.link_query).content.decode()
    assert (
        f'<a href="{neighbourhood.get_absolute_url()}{context.link_query}">' in form
    )  # the form posts to this address
    response = client.post(report + context.link_query, {"kind": "phone", "details": "The number is wrong."})
    thanks = reverse("directory:report_thanks", args=[neighbourhood.slug])
    assert response["Location"] == thanks + context.link_query
    html = client.get(response["Location"]).content.decode()
    back = re.search(r'<a href="([^"]+)">Back to search</a>', html)[1]
    assert unquote(back.replace("&amp;", "&")) == "/find/?" + METHADONE_MEDICAID + "&page=2"


def test_back_to_search_without_a_search_goes_to_find(client, neighbourhood):
    report = reverse("directory:report_problem", args=[neighbourhood.slug])
    response = client.post(report, {"kind": "phone", "details": "The number is wrong."})
    assert response["Location"] == reverse("directory:report_thanks", args=[neighbourhood.slug])
    html = client.get(response["Location"]).content.decode()
    assert '<a href="/find/">Find treatment</a>' in html and "Back to search" not in html
