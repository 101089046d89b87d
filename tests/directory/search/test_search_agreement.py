"""One search, two engines, the same answers: every filter case through
the in-memory index (the page, the API, the article counts) and through
the FilterSet's SQL (the CSV download) gives the same programs and counts."""

import csv
import io
from itertools import combinations

import pytest
from django.http import QueryDict

from content.find_treatment import program_count as article_program_count
from directory import vocabularies
from directory.models import Program
from directory.search import program_base_queryset, program_search, search_data
from directory.search.filterset import ProgramFilter
from tests.directory.factories import ProgramFactory
from tools.demo import directory as demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(db):
    demo.load(stdout=io.StringIO(), listings=240)
    # A few with distinct names, drafts and closed programs the search must skip.
    ProgramFactory(name="Harbor Light Recovery", zip_code="60601", city="Chicago", state="IL")
    ProgramFactory(name="Harbor Draft", status=Program.Status.DRAFT)
    ProgramFactory(name="Harbor Closed", status=Program.Status.CLOSED)
    # Published, but nobody can contact it (no phone, intake, hotline or
    # website): listed by neither engine (models.CONTACTABLE, issue 21).
    ProgramFactory(
        name="Harbor Unreachable", zip_code="60601", city="Chicago", state="IL", phone="", website=""
    )


def query(params) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, value in params.items():
        data.setlist(name, value if isinstance(value, list) else [value])
    return data


def cases():
    """Each vocabulary term, each flag, pairs across groups, several terms
    within a group, location with radius (and with filters), name, sorts."""
    found = [{}]
    for vocabulary in vocabularies.VOCABULARIES:
        slugs = list(vocabulary.model.objects.values_list("slug", flat=True))
        found += [{vocabulary.param: slug} for slug in slugs]
        found.append({vocabulary.param: slugs[:3]})
    found += [{flag.param: "1"} for flag in vocabularies.FLAGS]
    found += [{a.param: "1", b.param: "1"} for a, b in combinations(vocabularies.FLAGS, 2)]
    found += [
        {"care": "outpatient", "payment": "medicaid"},
        {"care": ["detox", "residential"], "medication": "buprenorphine", "accepting": "1"},
        {"language": "spanish", "verified": "1", "telehealth": "1"},
        {"location": "10001"},
        {"location": "10001", "radius": "5"},
        {"location": "10001", "radius": "100", "care": "outpatient"},
        {"location": "Chicago, IL", "care": "outpatient", "accepting": "1"},
        {"location": "60601", "sort": "name"},
        {"location": "60601", "sort": "verified", "payment": "medicaid"},
        {"q": "harbor"},
        {"q": "harbor", "location": "Chicago, IL"},
        # Names families use (vocabularies.read_names): terms, with other words in the name.
        {"q": "suboxone"},
        {"q": "heroin detox"},
        {"q": "Rehab", "payment": "medicaid"},
        {"q": "harbor methadone"},
        {"q": "MAT", "location": "10001", "radius": "100"},
        {"sort": "verified"},
    ]
    return found


def test_index_and_sql_agree_on_every_filter_case(directory, client):
    for params in cases():
        data = query(params)
        result = program_search(data=search_data(data), page_size=100_000, with_facets=False)
        index_ids = [program.pk for program in result.page]
        filterset = ProgramFilter(search_data(data), queryset=program_base_queryset())
        sql_ids = list(filterset.qs.values_list("pk", flat=True))
        assert set(index_ids) == set(sql_ids), params
        assert result.total == len(sql_ids), params
        if filterset.sort_key == "distance":
            assert index_ids == sql_ids, params
        for program in result.page:
            if program.distance is not None:
                assert program.distance <= filterset.radius_miles + 1e-9


def test_a_listing_nobody_can_contact_is_in_neither_engine(directory):
    unreachable = Program.objects.get(name="Harbor Unreachable")
    assert unreachable.status == Program.Status.PUBLISHED
    for params in [{}, {"q": "harbor"}, {"location": "Chicago, IL"}, {"q": "unreachable"}]:
        data = query(params)
        result = program_search(data=search_data(data), page_size=100_000, with_facets=False)
        assert unreachable.pk not in {program.pk for program in result.page}, params
        filterset = ProgramFilter(search_data(data), queryset=program_base_queryset())
        assert not filterset.qs.filter(pk=unreachable.pk).exists(), params
    # Given a phone, both list it.
    unreachable.intake_phone = "(312) 555-0199"
    unreachable.save()
    result = program_search(data=search_data(query({"q": "unreachable"})), with_facets=False)
    assert [program.pk for program in result.page] == [unreachable.pk]
    filterset = ProgramFilter(search_data(query({"q": "unreachable"})), queryset=program_base_queryset())
    assert list(filterset.qs.values_list("pk", flat=True)) == [unreachable.pk]


def test_page_api_csv_and_article_counts_are_identical(directory, client, monkeypatch):
    from config import csv_safe

    monkeypatch.setattr("directory.views.CSV_RATE", "1000/m")  # this test downloads many CSVs at once
    for params in cases()[:: max(1, len(cases()) // 25)] + [{"care": "detox", "payment": "medicaid"}]:
        data = query(params)
        page = client.get("/find/", data).context["result"].total
        api = client.get("/api/v1/programs", data).json()["count"]
        rows = list(csv.reader(io.StringIO(b"".join(client.get("/find/programs.csv", data)).decode())))
        assert csv_safe.is_end_line(rows[-1]), "a complete file ends with its end-of-file line"
        assert page == api == len(rows) - 2, params
        if params and all(name in vocabularies.by_param() for name in params):
            slugs = {name: value if isinstance(value, list) else [value] for name, value in params.items()}
            assert article_program_count(slugs) == page, params


def test_facet_counts_agree_with_sql(directory):
    """Each option's count is the search without its own group, AND the
    option, counted by SQL."""
    for params in [{}, {"location": "10001", "radius": "100", "care": "outpatient"}, {"accepting": "1"}]:
        data = query(params)
        result = program_search(data=search_data(data))
        filterset = ProgramFilter(search_data(data), queryset=program_base_queryset())
        for name, options in result.facets.items():
            others = filterset.filter_queryset(program_base_queryset(), exclude={name})
            for option in options:
                narrowed = filterset.filters[name].filter(
                    others, [option.value] if name in vocabularies.by_param() else True
                )
                assert option.count == narrowed.count(), (params, name, option.value)


def test_a_flag_added_to_the_registry_reaches_filterset_index_api_and_search_rule(directory, monkeypatch):
    """Adding a flag is one registry line: the FilterSet, the index, the API
    schema and the "is this a search" rule all learn it from there."""
    from django.db.models import Q

    from directory import api
    from directory.search import filterset
    from directory.search import index as search_index

    Program.objects.filter(pk__in=Program.objects.published().values("pk")[:7]).update(otp_certified=True)
    flag = vocabularies.Flag("otp", "SAMHSA OTP certified", Q(otp_certified=True))
    assert not vocabularies.is_search({"otp": "1"})
    monkeypatch.setattr(vocabularies, "FLAGS", [*vocabularies.FLAGS, flag])
    assert vocabularies.is_search({"otp": "1"})
    program_filter = filterset._program_filter()
    sql = program_filter(query({"otp": "1"}), queryset=program_base_queryset()).qs
    expected = Program.objects.published().filter(otp_certified=True).count()
    assert expected >= 7
    assert sql.count() == expected
    assert search_index.build().flags["otp"].bit_count() == expected
    assert "otp" in api._query_schema(program_filter).model_fields
