"""Model rules: querysets for the states people ask for, slugs and the
database constraints."""

import pytest
from django.db import IntegrityError, transaction

from directory.models import Program
from tests.directory.factories import OrganizationFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def test_factory_defaults():
    program = ProgramFactory(levels_of_care=["detox"], medications=["methadone"])
    assert program.status == Program.Status.PUBLISHED
    assert program.latitude and program.longitude
    assert list(program.levels_of_care.values_list("slug", flat=True)) == ["detox"]
    assert list(program.medications.values_list("slug", flat=True)) == ["methadone"]


def test_published_public_and_closed():
    published = ProgramFactory()
    closed = ProgramFactory(status=Program.Status.CLOSED)
    draft = ProgramFactory(status=Program.Status.DRAFT)
    assert list(Program.objects.published()) == [published]
    assert set(Program.objects.public()) == {published, closed}
    assert draft not in Program.objects.public()
    assert closed.is_closed and not published.is_closed


def test_accepting_clients_and_verified():
    yes = ProgramFactory(accepting_clients=Program.Accepting.YES, verified_at="2026-05-01")
    ProgramFactory(accepting_clients=Program.Accepting.WAITLIST)
    assert list(Program.objects.accepting_clients()) == [yes]
    assert list(Program.objects.verified()) == [yes]
    assert yes.is_verified


def test_mark_availability_stamps_the_time():
    program = ProgramFactory()
    program.mark_availability(Program.Accepting.YES, open_beds=3)
    assert (program.accepting_clients, program.open_beds) == ("yes", 3)
    assert program.availability_updated_at is not None


def test_unique_slug_with_and_without_a_taken_set():
    ProgramFactory(slug="harbor-house-boston-ma")
    assert Program.unique_slug("Harbor House", "Boston", "MA") == "harbor-house-boston-ma-2"
    taken = {"harbor-house-boston-ma", "harbor-house-boston-ma-2"}
    assert Program.unique_slug("Harbor House", "Boston", "MA", taken=taken) == "harbor-house-boston-ma-3"


def test_source_and_external_id_are_unique_but_empty_ids_may_repeat():
    ProgramFactory(source="samhsa", external_id="")
    ProgramFactory(source="samhsa", external_id="")
    ProgramFactory(source="samhsa", external_id="FR1")
    with transaction.atomic(), pytest.raises(IntegrityError):
        ProgramFactory(source="samhsa", external_id="FR1")
    ProgramFactory(source="center", external_id="FR1")


@pytest.mark.parametrize(("lat", "lng"), [(91, -73), (-91, -73), (40, 181), (40, -181)])
def test_coordinates_must_be_in_range(lat, lng):
    with transaction.atomic(), pytest.raises(IntegrityError):
        ProgramFactory(latitude=lat, longitude=lng)


def test_str():
    program = ProgramFactory(name="Harbor House", city="Boston", state="MA", zip_code="02108")
    assert str(program) == "Harbor House (Boston, MA)"
    assert str(OrganizationFactory(name="Harbor Health")) == "Harbor Health"


def test_closing_keeps_the_program_reachable():
    program = ProgramFactory(status=Program.Status.CLOSED)
    assert Program.objects.public().filter(pk=program.pk).exists()


@pytest.mark.parametrize("slug", ["harbor-light-recovery", "a", "program_2", "Caps-OK", "slug-slot-x"])
def test_program_url_is_what_reverse_gives(slug):
    from django.urls import reverse, set_script_prefix

    from directory.models import program_url

    assert program_url(slug) == reverse("directory:program", kwargs={"slug": slug})
    set_script_prefix("/findcare/")
    try:
        assert program_url(slug) == reverse("directory:program", kwargs={"slug": slug})
        assert program_url(slug).startswith("/findcare/programs/")
    finally:
        set_script_prefix("/")
