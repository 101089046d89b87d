"""A program's organization name is part of its searched text ("program,
second or organization name"): every way a program's organization changes
is logged for the in-memory index, which then agrees with the FilterSet's
SQL and with a fresh build, without a full rebuild."""

import pytest
from django.db import transaction
from django.http import QueryDict

from content.selectors import search_programs
from directory.models import Organization, Program, SearchIndexChange
from directory.search import freshness, program_base_queryset, program_search
from directory.search import index as search_index
from directory.search.filterset import ProgramFilter
from tests.directory.factories import OrganizationFactory, ProgramFactory
from tests.directory.search.test_search_index import snapshot

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
    index = freshness.current_index()
    assert len(builds) == 1, f"{step} forced a full rebuild"
    fresh = snapshot(search_index.build())
    builds.pop()
    assert snapshot(index) == fresh, step


@pytest.fixture
def harbor(builds):
    organization = OrganizationFactory(name="Harbor Health")
    programs = [ProgramFactory(name=f"Clinic {n}", organization=organization) for n in range(3)]
    ProgramFactory(name="Unrelated Place")
    freshness.current_index()
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
    freshness.current_index()
    Organization.objects.filter(name__startswith="Harbor").delete()  # e.g. the admin's bulk delete
    assert name_search("harbor") == (set(), set())
    assert_index_current(builds, "organizations deleted")
    assert moved.pk in freshness.current_index().positions


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


# Writes that send no post_save: related managers and queryset updates.


def find(client, text):
    """The ids the search page (/find/?q=) shows for a name search."""
    return {program.pk for program in client.get("/find/", {"q": text}).context["result"].page}


def test_adding_a_program_to_an_organization_is_found_without_a_rebuild(client, harbor, builds):
    organization, programs = harbor
    newcomer = ProgramFactory(name="Cove Recovery")
    freshness.current_index()
    organization.programs.add(newcomer)  # Program._base_manager...update(): no post_save
    assert find(client, "harbor health") == {p.pk for p in programs} | {newcomer.pk}
    assert name_search("harbor health") == ({p.pk for p in programs} | {newcomer.pk},) * 2
    assert list(search_programs("harbor cove")) == [newcomer]  # site search holds the name too
    assert_index_current(builds, "program added to an organization")


def test_removing_setting_and_clearing_an_organizations_programs_is_found(client, harbor, builds):
    organization, programs = harbor
    organization.programs.remove(programs[0])
    assert find(client, "harbor health") == {programs[1].pk, programs[2].pk}
    assert programs[0] not in list(search_programs("harbor"))
    organization.programs.set([programs[0], programs[1]])
    assert find(client, "harbor health") == {programs[0].pk, programs[1].pk}
    organization.programs.clear()
    assert find(client, "harbor health") == set()
    assert list(search_programs("harbor")) == []
    assert_index_current(builds, "organization's programs removed, set, cleared")


def test_queryset_update_of_the_organization_is_found_without_a_rebuild(client, harbor, builds):
    _, programs = harbor
    lighthouse = OrganizationFactory(name="Lighthouse Care")
    Program.objects.filter(pk=programs[0].pk).update(organization=lighthouse)
    assert find(client, "lighthouse") == {programs[0].pk}
    assert find(client, "harbor health") == {programs[1].pk, programs[2].pk}
    assert list(search_programs("lighthouse")) == [programs[0]]
    Program.objects.filter(pk=programs[1].pk).update(name="Renamed Clinic")
    assert find(client, "renamed") == {programs[1].pk}
    assert_index_current(builds, "queryset updates")


def test_an_update_is_logged_in_its_own_transaction():
    program = ProgramFactory()
    before = SearchIndexChange.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        Program.objects.filter(pk=program.pk).update(name="Never Saved")
        raise RuntimeError
    assert SearchIndexChange.objects.count() == before


def test_bulk_update_of_many_programs_asks_for_one_rebuild(client, monkeypatch, builds):
    monkeypatch.setattr(freshness, "MAX_INCREMENTAL", 5)
    organization = OrganizationFactory(name="Harbor Health")
    programs = [ProgramFactory(name=f"Clinic {n}") for n in range(8)]
    freshness.current_index()
    last = search_index.last_change_id()
    Program.objects.filter(pk__in=[p.pk for p in programs]).update(organization=organization)
    assert list(SearchIndexChange.objects.filter(pk__gt=last).values_list("program_id", flat=True)) == [None]
    assert find(client, "harbor health") == {p.pk for p in programs}
    assert len(builds) == 2  # the one rebuild
    last = search_index.last_change_id()
    Program.objects.filter(pk__in=[p.pk for p in programs[:5]]).update(accepting_clients="yes")
    assert SearchIndexChange.objects.filter(pk__gt=last).count() == 5  # a few: applied one by one


def test_bulk_update_logs_once_not_per_batch(monkeypatch):
    monkeypatch.setattr(freshness, "MAX_INCREMENTAL", 5)
    programs = [ProgramFactory(name=f"Clinic {n}") for n in range(8)]
    for program in programs:
        program.name = program.name.upper()
    last = search_index.last_change_id()
    Program.objects.bulk_update(programs, ["name"], batch_size=2)
    assert list(SearchIndexChange.objects.filter(pk__gt=last).values_list("program_id", flat=True)) == [None]
    last = search_index.last_change_id()
    Program.objects.bulk_update(programs[:3], ["name"], batch_size=2)
    changed = SearchIndexChange.objects.filter(pk__gt=last).values_list("program_id", flat=True)
    assert sorted(changed) == sorted(p.pk for p in programs[:3])
