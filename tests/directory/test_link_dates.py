"""A program's updated_at moves when any of its vocabularies changes, from
either side (the program's links or the term's): the sitemap's lastmod and
anything keyed on it would otherwise miss a change of treatment approaches
or recovery support. A term's links cleared from the term side are applied
to the search index program by program, not by a full rebuild."""

import datetime

import pytest
from django.utils import timezone

from directory import vocabularies
from directory.models import Program
from directory.search import freshness
from tests.directory.factories import ProgramFactory

pytestmark = pytest.mark.django_db

RELATIONS = [vocabulary.relation for vocabulary in vocabularies.all_vocabularies()]
LONG_AGO = timezone.now() - datetime.timedelta(days=30)


def make(relation):
    model = Program._meta.get_field(relation).related_model
    term = model.objects.create(name=f"Sample {relation}", slug=f"sample-{relation.replace('_', '-')}")
    programs = [ProgramFactory(), ProgramFactory()]
    Program.objects.filter(pk__in=[p.pk for p in programs]).update(updated_at=LONG_AGO)
    return term, programs


def dates(programs):
    return [Program.objects.get(pk=p.pk).updated_at for p in programs]


@pytest.mark.parametrize("relation", RELATIONS)
def test_a_program_side_change_moves_updated_at(relation):
    term, (program, other) = make(relation)
    getattr(program, relation).add(term)
    assert dates([program, other])[0] > LONG_AGO
    assert dates([program, other])[1] == LONG_AGO


@pytest.mark.parametrize("relation", RELATIONS)
def test_a_term_side_clear_moves_updated_at_of_its_programs_only(relation):
    model = Program._meta.get_field(relation).related_model
    term = model.objects.create(name=f"Sample {relation}", slug=f"sample-{relation.replace('_', '-')}")
    program, other = ProgramFactory(**{relation: [term]}), ProgramFactory()
    assert list(getattr(program, relation).all()) == [term]
    Program.objects.filter(pk__in=[program.pk, other.pk]).update(updated_at=LONG_AGO)
    reverse = Program._meta.get_field(relation).remote_field.get_accessor_name()
    getattr(term, reverse).clear()
    assert not getattr(program, relation).filter(pk=term.pk).exists()
    assert dates([program, other]) == [dates([program])[0], LONG_AGO]
    assert dates([program])[0] > LONG_AGO


def test_a_term_side_clear_is_applied_to_the_index_without_a_rebuild(builds):
    term, (program, other) = make("levels_of_care")
    program.levels_of_care.add(term)
    freshness.current_index()
    assert len(builds) == 1
    term.programs.clear()
    index = freshness.current_index()
    assert len(builds) == 1, "a term's cleared links forced a full rebuild"
    assert not index.terms["levels_of_care"].get(term.pk, 0) >> index.positions[program.pk] & 1
