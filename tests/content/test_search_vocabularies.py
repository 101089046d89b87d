"""Site search (/search/) finds a program by every vocabulary its page
shows (directory/vocabularies.py: searchable and descriptive), and stays
current as the program's links and the terms change."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.search.backends import get_search_backend

from content.selectors import search_programs
from directory import vocabularies
from directory.models import DetoxSubstance, Program, TreatmentApproach
from directory.services import programs_search_index
from tests.directory.factories import ProgramFactory
from tools.demo import content as demo

pytestmark = pytest.mark.django_db

EVERY_VOCABULARY = pytest.mark.parametrize(
    "vocabulary", vocabularies.all_vocabularies(), ids=lambda v: v.relation
)


def found(text):
    return [program.name for program in search_programs(text)]


def distinctive_term(vocabulary):
    """A term no other text in the test shares a word with."""
    word = f"zq{vocabulary.param}term"
    return vocabulary.model.objects.create(name=word.capitalize(), slug=word)


@EVERY_VOCABULARY
def test_a_program_is_found_by_each_vocabulary_it_shows(vocabulary):
    term = distinctive_term(vocabulary)
    program = ProgramFactory(name="Plain Clinic")
    ProgramFactory(name="Other Clinic")
    getattr(program, vocabulary.relation).add(term)  # links are saved after the row
    assert found(term.name) == ["Plain Clinic"]

    getattr(program, vocabulary.relation).remove(term)
    assert found(term.name) == []


@EVERY_VOCABULARY
def test_links_changed_from_the_terms_side_are_indexed(vocabulary):
    term = distinctive_term(vocabulary)
    first, second = ProgramFactory(name="First Clinic"), ProgramFactory(name="Second Clinic")
    term.programs.add(first, second)
    assert sorted(found(term.name)) == ["First Clinic", "Second Clinic"]
    term.programs.remove(first)
    assert found(term.name) == ["Second Clinic"]
    term.programs.clear()
    assert found(term.name) == []


@EVERY_VOCABULARY
def test_bulk_indexing_covers_each_vocabulary(vocabulary):
    """import_facilities (programs_search_index) and load_demo
    (tools.demo.content.index_programs) index what bulk writes left out."""
    term = distinctive_term(vocabulary)
    program = ProgramFactory(name="Bulk Clinic")
    getattr(program, vocabulary.relation).add(term)
    backend = get_search_backend()

    backend.delete(program)
    assert found(term.name) == []
    assert programs_search_index(ids=[program.pk]) == 1
    assert found(term.name) == ["Bulk Clinic"]

    backend.delete(program)
    demo.index_programs()
    assert found(term.name) == ["Bulk Clinic"]


def test_found_by_a_detox_substance_and_a_treatment_approach_label():
    substance = DetoxSubstance.objects.order_by("pk").first()
    approach = TreatmentApproach.objects.order_by("pk").first()
    program = ProgramFactory(name="Harbor House")
    program.detox_substances.add(substance)
    program.treatment_approaches.add(approach)
    ProgramFactory(name="Cedar House")
    assert found(substance.name) == ["Harbor House"]
    assert found(approach.name) == ["Harbor House"]


@EVERY_VOCABULARY
def test_renaming_or_deleting_a_term_updates_its_programs(vocabulary, django_capture_on_commit_callbacks):
    term = distinctive_term(vocabulary)
    program = ProgramFactory(name="Renamed Term Clinic")
    getattr(program, vocabulary.relation).add(term)
    old_name = term.name
    with django_capture_on_commit_callbacks(execute=True):
        term.name = "Zqrenamedterm"
        term.save()
    assert found("Zqrenamedterm") == ["Renamed Term Clinic"]
    assert found(old_name) == []
    with django_capture_on_commit_callbacks(execute=True):
        term.delete()
    assert found("Zqrenamedterm") == []


def _bulk_programs(count, start):
    programs = Program.objects.bulk_create(
        [
            Program(name=f"Bulk {n}", slug=f"bulk-{n}", city="Chicago", state="IL", zip_code="60601",
                    phone="(312) 555-0100",
                    status=Program.Status.PUBLISHED)
            for n in range(start, start + count)
        ]
    )  # fmt: skip
    for vocabulary in vocabularies.all_vocabularies():
        terms = list(vocabulary.model.objects.all()[:2])
        vocabulary.through.objects.bulk_create(
            [
                vocabulary.through(**{"program_id": p.pk, f"{vocabulary.term_column}": t.pk})
                for p in programs
                for t in terms
            ]
        )
    return programs


def _index_queries():
    """Queries load_demo's site-search indexing makes, from an empty index."""
    backend = get_search_backend()
    for program in Program.objects.all():
        backend.delete(program)
    with CaptureQueriesContext(connection) as queries:
        demo.index_programs()
    return len(queries)


def test_load_demo_indexing_is_batched_whatever_the_number_of_programs(monkeypatch):
    """A fixed number of queries per batch of programs (one per relation),
    not per program."""
    monkeypatch.setattr(demo, "INDEX_BATCH", 50)
    _bulk_programs(3, 0)
    few = _index_queries()
    _bulk_programs(40, 3)
    many = _index_queries()
    assert many == few
    for vocabulary in vocabularies.all_vocabularies():  # what the batches loaded was indexed
        term = vocabulary.model.objects.first()
        assert "Bulk 42" in found(term.name), vocabulary.relation


def test_site_search_follows_a_centers_changes_when_they_go_live(django_user_model):
    """Descriptive links publish at once; held ones (levels of care, ...)
    only when the review approves them: site search follows the live listing."""
    from directory.models import LevelOfCare
    from directory.review.workflow import program_submit_changes

    center = django_user_model.objects.create_user("center", "center@example.org", "pw")
    reviewer = django_user_model.objects.create_superuser("staff", "staff@example.org", "pw")
    approach = TreatmentApproach.objects.create(name="Zqapproach", slug="zqapproach")
    level = LevelOfCare.objects.create(name="Zqlevel", slug="zqlevel")
    program = ProgramFactory(name="Center Clinic")

    program_submit_changes(
        program=program, data={"treatment_approaches": [approach], "levels_of_care": [level]}, user=center
    )
    assert found("Zqapproach") == ["Center Clinic"]
    assert found("Zqlevel") == []  # waiting for review

    program.refresh_from_db()
    state = program.current_workflow_state
    state.current_task_state.task.specific.on_action(state.current_task_state, reviewer, "approve")
    assert found("Zqlevel") == ["Center Clinic"]


def test_term_names_loaded_in_bulk_equal_those_read_one_program_at_a_time(django_assert_num_queries):
    """get_indexed_objects loads every program's term names with one query
    per vocabulary (names only), whatever the number of programs; the text
    is the one a single program reads for itself."""
    programs = [
        ProgramFactory(
            **{
                vocabulary.relation: [f"sample-{vocabulary.param}-{n}"]
                for vocabulary in vocabularies.all_vocabularies()
            }
        )
        for n in range(3)
    ] + [ProgramFactory()]
    one_by_one = {program.pk: Program.objects.get(pk=program.pk).term_names() for program in programs}
    with django_assert_num_queries(1 + len(vocabularies.all_vocabularies())):
        loaded = {program.pk: program.term_names() for program in Program.get_indexed_objects()}
    assert loaded == one_by_one
    assert loaded[programs[-1].pk] == ""
    for vocabulary in vocabularies.all_vocabularies():
        assert f"sample {vocabulary.param} 0" in loaded[programs[0].pk]


def test_site_search_lists_what_find_lists_not_listings_nobody_can_contact():
    """One rule for what search lists (Program.objects.listed()): a
    published listing with no phone and no website is not a site-search
    result either (its page stays, saying how to find another program)."""
    ProgramFactory(name="Zqreach Callable Clinic")
    ProgramFactory(name="Zqreach Silent Clinic", phone="", intake_phone="", hotline_phone="", website="")
    assert found("Zqreach") == ["Zqreach Callable Clinic"]
