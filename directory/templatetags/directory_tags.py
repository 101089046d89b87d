import datetime
import html
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import urlencode

from django import template
from django.template import Context, engines
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from config.phones import phone_href
from directory.search import freshness

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current search's query string with some parameters replaced
    (a value of None removes the parameter); page is always reset."""
    params = context["request"].GET.copy()
    params.pop("page", None)
    for key, value in changes.items():
        params.pop(key, None)
        if value is not None:
            params[key] = value
    return params.urlencode()


@register.simple_tag(takes_context=True)
def query_without_value(context, key, value):
    """The current search without one chosen filter value."""
    params = context["request"].GET.copy()
    params.pop("page", None)
    values = [v for v in params.getlist(key) if v != value]
    params.setlist(key, values)
    return params.urlencode()


@register.filter
def tel(number):
    """A tel: href from a displayed phone number (the one phone rule:
    config.phones; an extension is ";ext=", never dialled as digits)."""
    return phone_href(number or "")


@register.filter
def miles(value):
    if value is None:
        return ""
    return f"{value:.1f} mi" if value < 10 else f"{value:.0f} mi"


@register.simple_tag
def page_query(query_string, number):
    return (query_string + "&" if query_string else "") + urlencode({"page": number})


@register.filter
def get_field(form, name):
    return form[name]


@register.filter
def age(moment):
    """'today', '3 days ago', '2 months ago': cheaper than naturaltime,
    which is slow when rendered twenty times a page."""
    if not moment:
        return ""
    days = (timezone.now() - moment).days
    if days < 1:
        return "today"
    if days < 60:
        return f"{days} day{'s' if days != 1 else ''} ago"
    if days < 730:
        return f"{days // 30} months ago"
    return f"{days // 365} years ago"


@register.simple_tag
def levels_of_care():
    """The level-of-care vocabulary for search forms outside /find/."""
    return freshness.current_index().vocabularies["levels_of_care"]


LONG_FACET = 12  # more options than this: only the chosen ones show until "Show all" is opened


@register.simple_tag
def facet_split(options):
    """A facet's options as {"shown": [...], "more": [...]}: short groups show
    every option; long ones (languages, groups served) show the chosen ones
    and fold the rest into a disclosure."""
    if len(options) <= LONG_FACET:
        return {"shown": options, "more": []}
    return {
        "shown": [option for option in options if option.selected],
        "more": [option for option in options if not option.selected],
    }


@register.simple_tag(takes_context=True)
def query_only(context, *keys):
    """The current query string reduced to the named parameters."""
    params = context["request"].GET
    kept = {key: params.getlist(key) for key in keys if params.get(key)}
    return urlencode(kept, doseq=True)


# Result cards, availability and facet checkboxes -------------------------
# One definition of each fragment, a template under directory/includes/:
# program_card.html, availability.html, facet_option.html. Search results,
# nearby programs, the inquiry thank-you page, the program page and the
# portal show them through these tags.
#
# Speed: a search page shows 20 cards and ~100 checkboxes; rendered by the
# template engine each time they cost several milliseconds a page more than
# the strings built in Python before (docs/benchmarks.md, "Result cards ... as templates"). So each fragment
# is rendered from a NamedTuple of plain values (CardValues, ...), the only
# thing its template sees, and kept per process by those values
# (render_cached): a kept fragment can't be out of date. The one value that
# changes from search to search (a card's distance, an option's count) is
# left as a slot in the kept text and put in for each page.

SLOT = "\x00"  # stands for the per-search value in a kept fragment (html.escape leaves it as it is)
SLOT2 = "\x01"  # a second one: a card's link to the search it came from


def render_cached(
    template_name: str, values: NamedTuple, slot_name: str = "", slot_value: str = "", **more: str
) -> str:
    """The fragment template rendered with `values` (as variables of the
    same names) and slot_name=slot_value: from the cache, rendered with
    SLOT standing for slot_value the first time these values are seen.
    One more slot can be given as a keyword (SLOT2 stands for it)."""
    (slot2_name, slot2_value), *_ = [*more.items(), ("", "")]
    parts = _fragment_parts(template_name, values, slot_name, slot2_name)
    if parts is None:  # a value holds a SLOT character itself: render this one as it is
        return render_fragment(template_name, {**values._asdict(), slot_name: slot_value, **more})
    value = html.escape(slot_value)
    if not slot2_name:
        return mark_safe(value.join(parts))  # noqa: S308 (autoescaped output; the value escaped as the template would)
    value2 = html.escape(slot2_value)
    return mark_safe(value2.join(value.join(piece) for piece in parts))  # noqa: S308 (as above)


@lru_cache(maxsize=2048)  # ~4 KB a card (key and text): at most ~8 MB per process
def _fragment_parts(template_name: str, values: NamedTuple, slot_name: str, slot2_name: str = ""):
    """The rendered fragment split at SLOT (and, with a second slot, at
    SLOT2 first, each piece then split at SLOT), or None when a value
    contains a SLOT character. The language is not in the key
    (get_language() costs ~5 us, once per checkbox would be half a
    millisecond a page): these templates translate nothing themselves (a
    test checks), and the values they show are translated before they come
    in, so they differ by language."""
    if any(SLOT in str(value) or SLOT2 in str(value) for value in values):
        return None
    text = render_fragment(
        template_name, {**values._asdict(), slot_name: SLOT, **({slot2_name: SLOT2} if slot2_name else {})}
    )
    if not slot2_name:
        return tuple(text.split(SLOT))
    return tuple(tuple(piece.split(SLOT)) for piece in text.split(SLOT2))


def render_fragment(name: str, values: dict) -> str:
    """A fragment template rendered on its own, with a plain Context (no
    request, no context processors). get_template goes through the engine's
    cached loader (a dict lookup once loaded)."""
    return engines["django"].engine.get_template(name).render(Context(values))


class FacetOptionValues(NamedTuple):
    """What facet_option.html shows, but the count (the slot)."""

    name: str  # the filter's parameter
    value: str
    dom_id: str
    label: str
    selected: bool


@register.simple_tag
def facet_options(name, options):
    """The checkboxes of one filter group (selectors.FacetOption each)."""
    template = "directory/includes/facet_option.html"
    return mark_safe(  # noqa: S308 (each piece is a template's autoescaped output)
        "".join(
            render_cached(
                template,
                FacetOptionValues(name, option.value, option.dom_id, option.label, option.selected),
                "count",
                option.count_display,
            )
            for option in options
        )
    )


def month_year(day) -> str:
    """A date as "Nov 2026" (the date filter's "M Y"), formatted once per
    month and language rather than once per card."""
    return _month_year(day.year, day.month, get_language())


@lru_cache(maxsize=256)
def _month_year(year: int, month: int, language) -> str:
    return date_filter(datetime.date(year, month, 1), "M Y")


class AvailabilityValues(NamedTuple):
    """What availability.html shows."""

    status: str  # accepting_clients: "yes", "waitlist", "no", "unknown"
    label: str  # "Accepting new clients"
    beds: str  # "2 open beds", or "" when not reported or status unknown
    stale: bool  # not confirmed recently (Program.availability_is_stale)
    age: str  # "3 days ago", "" when never reported


def availability_html(program) -> str:
    status, beds, updated = program.accepting_clients, program.open_beds, program.availability_updated_at
    known = status != "unknown"
    values = AvailabilityValues(
        status=status,
        label=program.get_accepting_clients_display(),
        beds=f"{beds} open bed{'' if beds == 1 else 's'}" if beds is not None and known else "",
        stale=known and program.availability_is_stale,
        age=age(updated) if known else "",
    )
    return render_cached("directory/includes/availability.html", values)


@register.simple_tag
def availability(program):
    """Availability and its age, in one wording everywhere."""
    return availability_html(program)


def term_names(terms, limit=None) -> str:
    """The names of a card's terms, "Detox, Residential" (the first `limit`,
    then "and more")."""
    names = ", ".join(term.name for term in terms[:limit])
    return f"{names} and more" if limit and len(terms) > limit else names


class CardValues(NamedTuple):
    """What program_card.html shows of a program, but the distance (the
    slot); read from CARD_FIELDS and the card terms only."""

    url: str
    name: str
    is_sample: bool
    verified: str  # "Nov 2026", "" when not verified
    near: bool  # a location search: the card shows the distance
    street1: str
    city: str
    state: str
    zip_code: str
    phone: str
    tel: str
    levels: str  # level-of-care names
    medications: str
    payments: str  # the first five, then "and more"
    availability: str  # availability.html, rendered
    restrictions: str  # "Serves veterans only · ...": limits on who the program takes


@register.simple_tag
def program_card(program, place=None, search=None):
    """One search result card (<li>); `place` set shows the distance;
    `search` (directory.search.SearchContext) makes its link carry the
    search the family came from."""
    values = CardValues(
        url=program.get_absolute_url(),
        name=program.name,
        is_sample=program.is_sample,
        verified=month_year(program.verified_at) if program.verified_at else "",
        near=bool(place),
        street1=program.street1,
        city=program.city,
        state=program.state,
        zip_code=program.zip_code,
        phone=program.phone,
        tel=tel(program.phone),
        levels=term_names(getattr(program, "card_levels", None) or []),
        medications=term_names(getattr(program, "card_medications", None) or []),
        payments=term_names(getattr(program, "card_payments", None) or [], 5),
        availability=availability_html(program),
        restrictions=" · ".join(term.name for term in getattr(program, "card_restrictions", None) or []),
    )
    distance = miles(program.distance) if place else ""
    link_query = search.link_query if search else ""
    return render_cached(
        "directory/includes/program_card.html", values, "distance", distance, search=link_query
    )
