"""A program's organization name is part of its searched text ("program,
second or organization name"): every way a program's organization changes
is logged for the in-memory index, which then agrees with the FilterSet's
SQL and with a fresh build, without a full rebuild."""

import pytest
from django.http import QueryDict

from content.selectors import search_programs
from directory import facets
from directory.filters import ProgramFilter
from directory.models import Organization, Program
from directory.selectors import program_base_queryset, program_search
from tests.directory.factories import OrganizationFactory, ProgramFactory
from tests.directory.test_search_index import snapshot

pytestmark = pytest.mark.django_db


def name_search(text):
    """The same name search through the index (page, API) and through SQL (CSV)."""
    data = QueryDict(mutable=True)
    data["q"] = text
    result = program_search(data=data, page_size=100_000, with_facets=False)
    index_ids = {program.pk for program in result.page}
    sql_ids = set(ProgramFilter(data, queryset=program_base_queryset()).qs.values_list("pk", flat=True))
    return index_ids, sql_ids


def assert_index_current(builds, step):
    index = facets.current_index()
    assert len(builds) == 1, f"{step} forced a full rebuild"
    fresh = snapshot(facets.build())
    builds.pop()
    assert snapshot(index) == fresh, step


@pytest.fixture
def harbor(builds):
    organization = OrganizationFactory(name="Harbor Health")
    programs = [ProgramFactory(name=f"Clinic {n}", organization=organization) for n in range(3)]
    ProgramFactory(name="Unrelated Place")
    facets.current_index()
    assert name_search("harbor health") == ({p.pk for p in programs},) * 2
    return organization, programs


def test_deleting_an_organization_reindexes_its_programs(harbor, builds):
    organization, programs = harbor
    organization.delete()  # on_delete=SET_NULL: a queryset update, no post_save for programs
    assert Program.objects.filter(pk__in=[p.pk for p in programs], organization=None).count() == 3
    assert name_search("harbor health") == (set(), set())
    assert_index_current(builds, "organization deleted")


def test_deleting_organizations_in_bulk_reindexes_their_programs(harbor, builds):
    organization, programs = harbor
    other = OrganizationFactory(name="Harbor Lights")
    moved = ProgramFactory(name="Clinic 9", organization=other)
    facets.current_index()
    Organization.objects.filter(name__startswith="Harbor").delete()  # e.g. the admin's bulk delete
    assert name_search("harbor") == (set(), set())
    assert_index_current(builds, "organizations deleted")
    assert moved.pk in facets.current_index().positions


def test_moving_a_program_to_another_organization_reindexes_it(harbor, builds):
    _, programs = harbor
    lighthouse = OrganizationFactory(name="Lighthouse Care")
    programs[0].organization = lighthouse
    programs[0].save()
    assert name_search("lighthouse") == ({programs[0].pk},) * 2
    assert name_search("harbor health") == ({programs[1].pk, programs[2].pk},) * 2
    programs[1].organization = None
    programs[1].save(update_fields=["organization"])
    assert name_search("harbor health") == ({programs[2].pk},) * 2
    assert_index_current(builds, "program moved / organization removed")


def test_site_search_follows_organization_rename_and_deletion():
    """Site search (Wagtail's index of Program.search_fields) holds the
    organization's name too."""
    organization = OrganizationFactory(name="Harbor Health")
    program = ProgramFactory(name="Clinic", organization=organization)
    assert list(search_programs("harbor")) == [program]
    organization.name = "Lighthouse Care"
    organization.save()
    assert list(search_programs("lighthouse")) == [program]
    assert list(search_programs("harbor")) == []
    organization.delete()
    assert list(search_programs("lighthouse")) == []
