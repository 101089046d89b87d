"""Result cards, availability and facet checkboxes (templates under
directory/includes/, rendered and kept by the directory_tags tags):
everything a center or an import can write must come out escaped, on every
page that shows them. The markup itself: test_card_templates.py."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.utils import timezone

from tests.directory.factories import ProgramFactory

pytestmark = pytest.mark.django_db
HOSTILE = '<img src=x onerror="alert(1)">&'


def test_card_escapes_what_listings_can_contain(client):
    ProgramFactory(name=f"Harbor {HOSTILE}", street1=HOSTILE, city="Brooklyn", zip_code="11201",
                   phone="(212) 555-0123", levels_of_care=["detox"], accepting_clients="yes", open_beds=2,
                   availability_updated_at=timezone.now() - timedelta(days=3))  # fmt: skip
    html = client.get("/find/", {"location": "11201"}).content.decode()
    assert HOSTILE not in html and "onerror=&quot;alert(1)&quot;" in html
    card = html[html.index('<li class="card program-card">') :]
    card = card[: card.index("</li>")]
    assert '<a href="tel:+12125550123">Call (212) 555-0123</a>' in card
    assert "<strong>Accepting new clients</strong>, 2 open beds</span>" in card
    assert "updated 3 days ago" in card and "Care:</span> " in card


def test_stale_availability_and_unknown_status_read_the_same_everywhere(client):
    long_ago = timezone.now() - timedelta(days=90)
    stale = ProgramFactory(accepting_clients="waitlist", availability_updated_at=long_ago)
    unknown = ProgramFactory(accepting_clients="unknown")
    stale_page = client.get(stale.get_absolute_url())
    assert stale_page.status_code == HTTPStatus.OK
    assert "not confirmed recently (last updated 3 months ago)" in stale_page.content.decode()
    unknown_html = client.get(unknown.get_absolute_url()).content.decode()
    section = unknown_html.split("Availability")[1][:200]
    assert "not confirmed recently" not in section and "updated" not in section


def test_facet_checkbox_labels_are_escaped(client):
    from directory.models import Language

    Language.objects.create(slug="xx-test", name=HOSTILE)
    ProgramFactory(languages=["xx-test"])
    html = client.get("/find/", {"care": "detox"}).content.decode()
    assert HOSTILE not in html and "&lt;img src=x" in html


def test_a_card_reads_only_the_fields_the_search_loads(django_assert_num_queries):
    """The search loads CARD_FIELDS only: a card (with its availability and
    distance) that read another field would cost a query per result."""
    from directory.models import Program
    from directory.places import Place
    from directory.search.cards import with_card_details
    from directory.templatetags.directory_tags import program_card

    made = ProgramFactory(
        verified_at=timezone.now().date(), accepting_clients="yes", open_beds=1, is_sample=True
    )
    from directory.search.cards import card_rows

    for program in [with_card_details(Program.objects.filter(pk=made.pk)).get(), card_rows([made.pk])[0]]:
        program.distance = 1.5
        with django_assert_num_queries(0):
            html = program_card(program, Place("x", 40.7, -74.0))
        assert made.name in html and "Sample listing" in html and "Verified" in html and "1.5" in html


def test_month_year_reads_as_the_date_filter():
    from datetime import date

    from django.template.defaultfilters import date as date_filter

    from directory.templatetags.directory_tags import month_year

    for day in [date(2026, 11, 24), date(2025, 1, 1), date(2024, 2, 29)]:
        assert month_year(day) == date_filter(day, "M Y")


def test_a_phone_link_keeps_the_extension_out_of_the_number():
    """tel: hrefs come from the one phone rule: "(312) 555-2000 x12" used to
    dial +1 312 555 200012, a wrong number."""
    from directory.templatetags.directory_tags import tel

    assert tel("(312) 555-2000 x12") == "tel:+13125552000;ext=12"
    assert tel("(212) 555-0123") == "tel:+12125550123"
    assert tel("") == ""
