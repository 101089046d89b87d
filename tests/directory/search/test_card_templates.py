"""The result card, availability line and facet checkbox templates
(directory/includes/program_card.html, availability.html, facet_option.html)
as the tags render them: the exact markup, escaped once (never twice, never
not at all), and the fragment cache (directory_tags.render_cached) never
showing one search's or one program's values in another."""

from datetime import date, timedelta
from types import SimpleNamespace

from django.template.loader import get_template
from django.utils import timezone

from directory.models import Program
from directory.places import Place
from directory.search import FacetOption
from directory.templatetags.directory_tags import availability, facet_options, program_card

HOSTILE = '<b>"Tom\'s" & Co</b>'
ESCAPED = "&lt;b&gt;&quot;Tom&#x27;s&quot; &amp; Co&lt;/b&gt;"
PLACE = Place("x", 40.7, -74.0)


def term(name):
    return SimpleNamespace(name=name)


def program(**fields):
    """An unsaved program with the fields a card reads (no database)."""
    values = {
        "slug": "harbor-house",
        "name": "Harbor House",
        "street1": "1 Main St",
        "city": "Brooklyn",
        "state": "NY",
        "zip_code": "11201",
        "phone": "(212) 555-0123",
        "accepting_clients": "yes",
        "open_beds": 2,
        "availability_updated_at": timezone.now() - timedelta(days=3),
    }
    card_terms = {key: fields.pop(key, []) for key in ["card_levels", "card_medications", "card_payments"]}
    distance = fields.pop("distance", 1.5)
    made = Program(**{**values, **fields})
    for key, terms in card_terms.items():
        setattr(made, key, terms)
    made.distance = distance
    return made


def test_a_full_card_to_the_byte():
    card = program(
        is_sample=True,
        verified_at=date(2026, 11, 24),
        card_levels=[term("Detox"), term("Residential")],
        card_medications=[term("Buprenorphine")],
        card_payments=[term(f"Pay {n}") for n in range(7)],
    )
    assert program_card(card, PLACE) == (
        '<li class="card program-card">\n'
        '  <h3 class="program-card__name"><a href="/programs/harbor-house/">Harbor House</a></h3>\n'
        '  <span class="badge badge--sample">Sample listing</span>\n'
        '  <span class="badge badge--verified">Verified Nov 2026</span>\n'
        '  <p class="program-card__meta"><strong>1.5 mi</strong> · 1 Main St, Brooklyn, NY 11201</p>\n'
        '  <p class="program-card__phone"><a href="tel:+12125550123">Call (212) 555-0123</a></p>\n'
        '  <p><span class="label-inline">Care:</span> Detox, Residential</p>\n'
        '  <p><span class="label-inline">Medications:</span> Buprenorphine</p>\n'
        '  <p><span class="label-inline">Payment:</span> Pay 0, Pay 1, Pay 2, Pay 3, Pay 4 and more</p>\n'
        '  <p><span class="availability availability--yes"><strong>Accepting new clients</strong>, '
        '2 open beds</span> · <span class="muted">updated 3 days ago</span></p>\n'
        "</li>"
    )


def test_a_bare_card_leaves_out_what_it_lacks():
    card = program(
        street1="", phone="", accepting_clients="unknown", open_beds=None, availability_updated_at=None
    )
    assert program_card(card) == (
        '<li class="card program-card">\n'
        '  <h3 class="program-card__name"><a href="/programs/harbor-house/">Harbor House</a></h3>\n'
        '  <p class="program-card__meta">Brooklyn, NY 11201</p>\n'
        '  <p><span class="availability availability--unknown"><strong>Not reported</strong></span></p>\n'
        "</li>"
    )


def test_everything_a_listing_can_write_is_escaped_once():
    card = program(
        name=HOSTILE,
        street1=HOSTILE,
        city=HOSTILE,
        state=HOSTILE,
        zip_code=HOSTILE,
        phone=f"212 555 0123 {HOSTILE}",
        card_levels=[term(HOSTILE)],
        card_medications=[term(HOSTILE), term("A & B")],
        card_payments=[term(HOSTILE)] * 6,
    )
    html = program_card(card, PLACE)
    assert "<b>" not in html and "&amp;amp;" not in html and "&amp;lt;" not in html
    assert f">{ESCAPED}</a></h3>" in html
    assert f"<strong>1.5 mi</strong> · {ESCAPED}, {ESCAPED}, {ESCAPED} {ESCAPED}</p>" in html
    assert f'<a href="tel:+12125550123">Call 212 555 0123 {ESCAPED}</a>' in html
    assert f"Care:</span> {ESCAPED}</p>" in html
    assert f"Medications:</span> {ESCAPED}, A &amp; B</p>" in html
    assert f"Payment:</span> {', '.join([ESCAPED] * 5)} and more</p>" in html


def test_availability_reads_the_same_in_every_state():
    now = timezone.now()
    cases = [
        ({"open_beds": 1}, "<strong>Accepting new clients</strong>, 1 open bed</span>"),
        ({"open_beds": 0}, "<strong>Accepting new clients</strong>, 0 open beds</span>"),
        ({"open_beds": None}, "<strong>Accepting new clients</strong></span>"),
        ({"availability_updated_at": now}, '· <span class="muted">updated today</span>'),
        (
            {"accepting_clients": "waitlist", "availability_updated_at": now - timedelta(days=90)},
            '<span class="availability availability--waitlist"><strong>Waitlist</strong>, 2 open beds</span>'
            ' · <span class="availability-stale">not confirmed recently (last updated 3 months ago)</span>',
        ),
        (
            {"accepting_clients": "no", "availability_updated_at": None},
            '· <span class="availability-stale">not confirmed recently</span>',
        ),
    ]
    for fields, expected in cases:
        line = availability(program(**fields))
        assert expected in line, (fields, line)
        assert f"<p>{line}</p>" in program_card(program(**fields)), fields  # one wording in a card too
    unknown = availability(program(accepting_clients="unknown"))
    assert unknown == '<span class="availability availability--unknown"><strong>Not reported</strong></span>'


def test_facet_checkboxes_escape_once_and_show_each_searchs_counts():
    options = [
        FacetOption(value="detox", label="Detox", count=1234, selected=True, dom_id="f-care-detox"),
        FacetOption(value=HOSTILE, label=HOSTILE, count=0, selected=False, dom_id=HOSTILE),
    ]
    assert facet_options("care", options) == (
        '<label class="checkbox"><input type="checkbox" name="care" value="detox" id="f-care-detox" checked>'
        ' Detox <span class="facet__count">(1,234)</span></label>'
        f'<label class="checkbox"><input type="checkbox" name="care" value="{ESCAPED}" id="{ESCAPED}">'
        f' {ESCAPED} <span class="facet__count">(0)</span></label>'
    )
    options[0].count, options[0].selected = (
        7,
        False,
    )  # the next search: cached markup, its own count and state
    assert facet_options("care", options[:1]) == (
        '<label class="checkbox"><input type="checkbox" name="care" value="detox" id="f-care-detox">'
        ' Detox <span class="facet__count">(7)</span></label>'
    )
    assert 'name="language"' in facet_options("language", options[:1])


def test_a_cached_card_shows_the_programs_values_of_now():
    before = program_card(program(distance=1.5), PLACE)
    assert "<strong>1.5 mi</strong>" in before and "2 open beds" in before
    assert "<strong>12 mi</strong>" in program_card(
        program(distance=12.3), PLACE
    )  # another search, same program
    after = program_card(program(open_beds=5, accepting_clients="waitlist"), PLACE)
    assert "<strong>Waitlist</strong>, 5 open beds" in after
    other = program_card(program(slug="other-house", name="Other House"), PLACE)
    assert '<a href="/programs/other-house/">Other House</a>' in other and "Harbor" not in other


def test_a_value_holding_the_slot_character_still_renders_right():
    """The cache marks the per-search value with a NUL character; a name
    holding one (SQLite keeps it) is rendered without the cache."""
    html = program_card(program(name="Harbor\x00House", distance=2.0), PLACE)
    assert ">Harbor\x00House</a>" in html and html.count("<strong>2.0 mi</strong>") == 1
    checkbox = facet_options("care", [FacetOption(value="a\x00b", label="A", count=3, selected=False)])
    assert 'value="a\x00b"' in checkbox and "(3)" in checkbox


def test_the_cached_fragments_translate_nothing_themselves():
    """render_cached's key has no language: the values come in translated,
    so a template must not translate text of its own."""
    for name in ["program_card.html", "availability.html", "facet_option.html"]:
        text = get_template(f"directory/includes/{name}").template.source
        assert "{% trans" not in text and "{% blocktrans" not in text and "i18n" not in text, name


def test_a_card_carries_the_search_it_came_from_and_the_cache_keeps_each_its_own():
    """A result card links to the program page with the search in one
    parameter (directory/search/context.py), put in per page like the
    distance: the same cached card in another search links to that one."""
    from django.http import QueryDict

    from directory.search import search_context

    methadone = search_context(QueryDict("location=11201&medication=methadone"))
    medicaid = search_context(QueryDict("location=11201&payment=medicaid"))
    first = program_card(program(distance=1.5), PLACE, methadone)
    assert (
        '<a href="/programs/harbor-house/?search=location%3D11201%26medication%3Dmethadone">Harbor House</a>'
    ) in first
    assert "<strong>1.5 mi</strong>" in first
    second = program_card(program(distance=3.0), PLACE, medicaid)
    assert '<a href="/programs/harbor-house/?search=location%3D11201%26payment%3Dmedicaid">' in second
    assert "<strong>3.0 mi</strong>" in second and "methadone" not in second
    assert '<a href="/programs/harbor-house/">Harbor House</a>' in program_card(program(), PLACE)
    odd = program_card(program(name="Harbor\x01House"), PLACE, methadone)  # the second slot's character
    assert ">Harbor\x01House</a>" in odd and "?search=location%3D11201%26medication%3Dmethadone" in odd
