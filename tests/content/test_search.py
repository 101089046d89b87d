"""/search/: Wagtail search over live articles and published program names,
shown in two groups, each paginated."""

from http import HTTPStatus

import pytest
from bs4 import BeautifulSoup

from directory.models import Program
from tests.directory.factories import ProgramFactory

from .factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


def search(client, query="", **params):
    response = client.get("/search/", {"q": query, **params} if query is not None else {})
    assert response.status_code == HTTPStatus.OK
    return BeautifulSoup(response.content, "html.parser")


def titles(html, group):
    return [a.get_text() for a in html.select(f"section[aria-labelledby={group}-heading] h3 a")]


def test_finds_articles_by_title_and_body(client, learn_page):
    ArticlePageFactory(title="Methadone explained")
    ArticlePageFactory(title="Sober homes", body=[("p", "<p>Some homes refuse methadone patients.</p>")])
    ArticlePageFactory(title="Family support")
    html = search(client, "methadone")
    assert sorted(titles(html, "articles")) == ["Methadone explained", "Sober homes"]


def test_draft_articles_are_not_found(client, learn_page):
    ArticlePageFactory(title="Naltrexone draft", live=False)
    assert titles(search(client, "naltrexone"), "articles") == []


def test_finds_published_programs_by_name(client):
    ProgramFactory(name="Harbor Recovery Center", city="Chicago", state="IL", zip_code="60601")
    ProgramFactory(name="Harbor Draft Clinic", status=Program.Status.DRAFT)
    ProgramFactory(name="Valley Outpatient")
    html = search(client, "harbor")
    assert titles(html, "programs") == ["Harbor Recovery Center"]
    card = html.select_one("section[aria-labelledby=programs-heading] li")
    assert card.a["href"] == "/programs/" + Program.objects.get(name="Harbor Recovery Center").slug + "/"
    assert "Chicago, IL" in card.get_text()


def test_groups_show_counts_and_empty_messages(client, learn_page):
    ArticlePageFactory(title="Buprenorphine basics")
    html = search(client, "buprenorphine")
    assert html.select_one("#articles-heading").get_text(" ", strip=True) == "Articles (1)"
    assert html.select_one("#programs-heading").get_text(" ", strip=True) == "Treatment programs (0)"
    assert "No programs match “buprenorphine”." in html.get_text()


def test_article_results_are_paginated(client, learn_page):
    for n in range(12):
        ArticlePageFactory(title=f"Detox guide {n}")
    first = search(client, "detox")
    assert len(titles(first, "articles")) == 10
    next_link = first.select_one("section[aria-labelledby=articles-heading] a[rel=next]")
    assert next_link["href"] == "?q=detox&page=2"
    second = search(client, "detox", page=2)
    assert len(titles(second, "articles")) == 2


def test_program_results_paginate_separately(client):
    ProgramFactory.create_batch(11, name="Lakeside Recovery")
    html = search(client, "lakeside", programs_page=2)
    assert len(titles(html, "programs")) == 1
    assert html.select_one("section[aria-labelledby=programs-heading] a[rel=prev]")["href"] == (
        "?q=lakeside&programs_page=1"
    )


def test_blank_query_asks_for_a_search_term(client):
    html = search(client, "")
    assert html.select_one("#id_q_errors").get_text(strip=True) == "This field is required."
    assert html.select_one("#articles-heading") is None


def test_no_query_shows_only_the_form(client):
    html = search(client, None)
    assert html.select_one("#id_q") is not None
    assert html.select_one(".errorlist") is None


def test_search_page_is_not_indexed(client):
    html = search(client, "detox")
    assert html.select_one("meta[name=robots]")["content"] == "noindex"


def test_finds_programs_by_medication_level_of_care_and_city(client):
    ProgramFactory(name="Harbor Clinic (Sample)", medications=["methadone"], levels_of_care=["outpatient"],
                   city="Denver", state="CO", zip_code="80202")  # fmt: skip
    ProgramFactory(name="Cedar House (Sample)", levels_of_care=["residential"], city="Boulder", state="CO",
                   zip_code="80302")  # fmt: skip
    assert titles(search(client, "methadone"), "programs") == ["Harbor Clinic (Sample)"]
    assert titles(search(client, "residential"), "programs") == ["Cedar House (Sample)"]
    assert titles(search(client, "Boulder"), "programs") == ["Cedar House (Sample)"]


def test_bulk_indexed_programs_are_found_by_medication():
    from wagtail.search.backends import get_search_backend

    from directory.services import programs_search_index

    program = ProgramFactory(name="Bulk Clinic (Sample)", medications=["buprenorphine"])
    get_search_backend().delete(program)
    assert programs_search_index(slugs=[program.slug]) == 1
    found = get_search_backend().search("buprenorphine", Program.objects.published())
    assert [p.name for p in found] == ["Bulk Clinic (Sample)"]


def test_names_families_use_find_their_terms(client, learn_page):
    """Issue 27: "suboxone" found nothing; it is buprenorphine (synonyms.tsv)."""
    ArticlePageFactory(title="Starting buprenorphine")
    ArticlePageFactory(title="Family support")
    ProgramFactory(name="Harbor Clinic (Sample)", medications=["buprenorphine"])
    ProgramFactory(name="Cedar House (Sample)", medications=["methadone"])
    html = search(client, "Suboxone")
    assert titles(html, "articles") == ["Starting buprenorphine"]
    assert titles(html, "programs") == ["Harbor Clinic (Sample)"]


def test_heroin_detox_finds_detox_programs_for_opioids(client):
    from directory.models import DetoxSubstance

    opioid_detox = ProgramFactory(name="Opioid Detox (Sample)", levels_of_care=["detox"])
    opioid_detox.detox_substances.add(DetoxSubstance.objects.get(slug="opioids"))
    alcohol_detox = ProgramFactory(name="Alcohol Detox (Sample)", levels_of_care=["detox"])
    alcohol_detox.detox_substances.add(DetoxSubstance.objects.get(slug="alcohol"))
    ProgramFactory(name="Plain Outpatient (Sample)", levels_of_care=["outpatient"])
    assert titles(search(client, "heroin detox"), "programs") == ["Opioid Detox (Sample)"]
    assert titles(search(client, "rehab"), "programs") == []
