"""manage.py check_layering and its independent duplicate heuristic
(tools/layering.py), on the bundled real-shaped files of every source."""

import io

import pytest
from django.core.management import CommandError, call_command

from tests.directory.factories import ProgramFactory
from tools.layering import duplicate_clusters

pytestmark = pytest.mark.django_db


def test_same_facility_written_two_ways_is_one_cluster():
    a = ProgramFactory(
        name="Harborview Recovery Center", street1="12 S. Charles Street Suite 2", zip_code="21201"
    )
    b = ProgramFactory(
        name="Harborview Recovery Center Adult Outpatient",
        street1="12 South Charles St",
        zip_code="21201",
    )
    c = ProgramFactory(
        name="Charles Street Counseling", street1="12 Charles Street", zip_code="21201", phone="410-555-0199"
    )
    assert [[p.pk for p in cluster] for cluster in duplicate_clusters([a, b, c])] == [[a.pk, b.pk]]


def test_two_programs_at_one_address_are_not_a_cluster():
    a = ProgramFactory(
        name="Harbor Substance Use Program",
        street1="700 East Pratt Street",
        zip_code="21202",
        phone="410-555-0151",
    )
    b = ProgramFactory(
        name="Harbor Mental Health Clinic", street1="700 E Pratt St", zip_code="21202", phone="410-555-0152"
    )
    assert duplicate_clusters([a, b]) == []


def test_the_same_phone_at_one_address_is_a_cluster():
    a = ProgramFactory(
        name="Charles Street Recovery Systems, LLC",
        street1="400 N. Charles St.",
        zip_code="21201",
        phone="(410) 555-0111",
    )
    b = ProgramFactory(
        name="Charles Street Treatment Services",
        street1="400 North Charles Street",
        zip_code="21201",
        phone="410-555-0111 x2",
    )
    assert len(duplicate_clusters([a, b])) == 1


def test_the_command_prints_the_figures_for_both_orders_and_leaves_nothing_behind():
    out = io.StringIO()
    call_command("check_layering", stdout=out)
    text = out.getvalue()
    assert "oldest to newest" in text and "newest to oldest" in text
    assert "duplicate clusters" in text and "OTP listings / without methadone" in text
    assert "Same directory in both orders:" in text and "Peak memory:" in text
    from directory.models import Program

    assert not Program.objects.exists()  # each order was rolled back


def test_the_command_refuses_a_directory_that_is_not_empty():
    ProgramFactory()
    with pytest.raises(CommandError, match="needs an empty directory"):
        call_command("check_layering", stdout=io.StringIO())


def test_layering_every_source_in_both_orders_meets_the_goals():
    """Issue 21's 'done when', on one real-shaped file of every source:
    the same directory oldest-first and newest-first, duplicates under 1%,
    every OTP with methadone, nothing in search that nobody can contact."""
    out = io.StringIO()
    call_command("check_layering", "--strict", stdout=out)
    text = out.getvalue()
    assert "Same directory in both orders: yes" in text
    assert "REFUSED" not in text
    assert "Goal missed" not in text
