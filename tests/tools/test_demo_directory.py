"""Demo data: clearly marked sample programs, loaded once by default and
rebuilt at any size with --listings."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from directory import geo
from directory.models import LevelOfCare, Program
from tools.demo import directory as demo

pytestmark = pytest.mark.django_db


def load(listings=None):
    out = StringIO()
    demo.load(stdout=out, listings=listings)
    return out.getvalue()


def test_default_demo_is_a_few_hundred_marked_samples():
    assert "created 300" in load()
    programs = Program.objects.all()
    assert programs.count() == demo.DEFAULT_LISTINGS
    for program in programs:
        assert program.is_sample
        assert program.source == Program.Source.DEMO
        assert program.name.endswith("(Sample)")
        assert re.fullmatch(r"\(\d{3}\) 555-01\d\d", program.phone)
        assert program.website.startswith("https://example.org/")
        assert program.inquiry_email.endswith("@example.org")


def test_samples_sit_near_real_zip_centroids_in_a_dozen_metros():
    load(listings=120)
    programs = list(Program.objects.all())
    assert len({(p.city, p.state) for p in programs}) == 12
    for program in programs:
        centroid = geo.zip_centroid(program.zip_code)
        assert geo.haversine_miles(program.latitude, program.longitude, *centroid) < 2


def test_samples_have_a_plausible_spread():
    load()
    used = set(LevelOfCare.objects.filter(programs__is_sample=True).values_list("slug", flat=True))
    assert used == set(LevelOfCare.objects.values_list("slug", flat=True))
    published = Program.objects.published().count()
    assert 250 < published < 300
    assert Program.objects.verified().exists()
    assert Program.objects.accepting_clients().exists()
    assert Program.objects.filter(medications__slug="buprenorphine").exists()
    assert Program.objects.filter(payment_options__slug="medicaid").exists()
    otp = Program.objects.filter(levels_of_care__slug="opioid-treatment-program")
    assert all(p.otp_certified for p in otp)
    assert not otp.exclude(medications__slug="methadone").exists()


def test_detox_programs_say_what_they_detox_from():
    """Issue 27: "Detox for: Opioids" found nothing, no sample said."""
    load()
    detox = Program.objects.filter(levels_of_care__slug="detox")
    assert detox.exists()
    assert not detox.filter(detox_substances=None).exists()
    assert not Program.objects.exclude(levels_of_care__slug="detox").exclude(detox_substances=None).exists()
    opioids = detox.filter(detox_substances__slug="opioids").count()
    assert 0.6 * detox.count() < opioids < detox.count()


def test_detox_for_opioids_finds_demo_programs_and_their_pages_say_so(client):
    load()
    response = client.get("/find/", {"detox": "opioids"})
    assert b"No programs match" not in response.content
    program = Program.objects.published().filter(detox_substances__slug="opioids").first()
    page = client.get(f"/programs/{program.slug}/").content.decode()
    assert "Detox offered for" in page and "Opioids" in page


def test_loading_again_without_listings_does_nothing():
    load()
    first = set(Program.objects.values_list("pk", flat=True))
    assert "nothing to do" in load()
    assert set(Program.objects.values_list("pk", flat=True)) == first


def test_listings_replaces_samples_but_keeps_real_programs(django_assert_max_num_queries):
    from tests.directory.factories import ProgramFactory

    real = ProgramFactory(levels_of_care=["detox"])
    load(listings=50)
    with django_assert_max_num_queries(250):  # batched: far fewer than one per program
        load(listings=2500)
    assert Program.objects.filter(is_sample=True).count() == 2500
    assert Program.objects.filter(pk=real.pk, levels_of_care__slug="detox").exists()
    assert Program.objects.filter(is_sample=True, levels_of_care__isnull=True).count() == 0


def test_slugs_are_unique_at_size():
    load(listings=3000)
    assert Program.objects.values("slug").distinct().count() == 3000


def test_load_demo_command_forwards_listings():
    out = StringIO()
    call_command("load_demo", listings=25, stdout=out)
    assert Program.objects.filter(is_sample=True).count() == 25
    assert "created 25" in out.getvalue()
    assert "admin" in out.getvalue()
