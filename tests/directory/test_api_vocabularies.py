"""The API shows and filters by every vocabulary in the registry
(directory/vocabularies.py): a vocabulary added there reaches the program
fields, the schema, the filters and /api/v1/vocabularies without hand edits."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory import vocabularies
from tests.directory.factories import ProgramFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/programs"


def first_terms(vocabulary, n=1):
    terms = list(vocabulary.model.objects.order_by("pk")[:n])
    assert len(terms) == n, f"the migration loads {vocabulary.relation} terms"
    return terms


def program_with_every_vocabulary(**kwargs):
    program = ProgramFactory(**kwargs)
    for vocabulary in vocabularies.all_vocabularies():
        getattr(program, vocabulary.relation).set(first_terms(vocabulary, 2))
    return program


def expected_fields(program):
    return {
        vocabulary.relation: [t.slug for t in getattr(program, vocabulary.relation).all()]
        for vocabulary in vocabularies.all_vocabularies()
    }


def test_program_detail_and_list_show_every_vocabulary(client):
    program = program_with_every_vocabulary()
    expected = expected_fields(program)
    assert all(len(slugs) == 2 for slugs in expected.values())
    detail = client.get(f"{API}/{program.slug}").json()
    listed = client.get(API).json()["results"][0]
    for vocabulary in vocabularies.all_vocabularies():
        assert detail[vocabulary.relation] == expected[vocabulary.relation], vocabulary
        assert listed[vocabulary.relation] == expected[vocabulary.relation], vocabulary


def test_schema_documents_every_vocabulary_field(client):
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    program_out = schema["ProgramOut"]
    vocabularies_out = schema["VocabulariesOut"]
    for vocabulary in vocabularies.all_vocabularies():
        field = program_out["properties"][vocabulary.relation]
        assert field["type"] == "array" and field["items"]["type"] == "string", vocabulary
        assert vocabulary.label in field["description"], vocabulary
        assert vocabulary.relation in program_out["required"]
        assert vocabulary.param in vocabularies_out["properties"], vocabulary
        assert vocabulary.label in vocabularies_out["properties"][vocabulary.param]["description"]
    for vocabulary in vocabularies.VOCABULARIES:
        assert f"`{vocabulary.param}`" in program_out["properties"][vocabulary.relation]["description"]


def test_vocabularies_endpoint_lists_every_vocabulary(client):
    data = client.get("/api/v1/vocabularies").json()
    for vocabulary in vocabularies.all_vocabularies():
        slugs = list(vocabulary.model.objects.values_list("slug", flat=True))
        assert [term["slug"] for term in data[vocabulary.param]] == slugs, vocabulary


def test_every_searchable_vocabulary_is_an_api_filter(client):
    """Each registry vocabulary's parameter is documented as a list and
    filters: only the program with the term is found."""
    schema = client.get("/api/v1/openapi.json").json()
    params = {p["name"]: p for p in schema["paths"]["/api/v1/programs"]["get"]["parameters"]}
    for vocabulary in vocabularies.VOCABULARIES:
        assert params[vocabulary.param]["schema"]["anyOf"][0]["type"] == "array", vocabulary
        term, other = first_terms(vocabulary, 2)
        with_term = ProgramFactory(name=f"Has {vocabulary.param}")
        getattr(with_term, vocabulary.relation).set([term])
        without = ProgramFactory(name=f"Lacks {vocabulary.param}")
        getattr(without, vocabulary.relation).set([other])
        response = client.get(API, {vocabulary.param: term.slug})
        assert response.status_code == 200, vocabulary
        slugs = [p["slug"] for p in response.json()["results"]]
        assert with_term.slug in slugs and without.slug not in slugs, vocabulary
        assert response.json()["notices"] == [], vocabulary


def test_a_descriptive_parameter_is_not_a_filter(client):
    """Descriptive vocabularies are shown, not searched: their parameter
    makes no search (every program is listed)."""
    program_with_every_vocabulary()
    ProgramFactory()
    for vocabulary in vocabularies.DESCRIPTIVE:
        assert client.get(API, {vocabulary.param: "anything"}).json()["count"] == 2


def count_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params or {}).status_code == 200
    return len(queries)


def test_list_page_costs_the_same_queries_for_1_or_20_programs(client):
    program_with_every_vocabulary(name="Aa first")
    client.get(API)  # build the index
    one = count_queries(client, API, {"care": first_terms(vocabularies.VOCABULARIES[0])[0].slug})
    for n in range(24):
        program_with_every_vocabulary(name=f"Program {n:02d}")
    client.get(API)  # catch up with the change log
    twenty = count_queries(client, API, {"care": first_terms(vocabularies.VOCABULARIES[0])[0].slug})
    assert one == twenty
    # change log, the page's rows, one per descriptive vocabulary
    assert twenty <= 2 + len(vocabularies.DESCRIPTIVE)


def test_detail_costs_one_query_per_vocabulary_at_most(client):
    program = program_with_every_vocabulary()
    # the program (with its organization), one prefetch per vocabulary
    assert count_queries(client, f"{API}/{program.slug}") <= 1 + len(vocabularies.all_vocabularies())
