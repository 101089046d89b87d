import datetime
import html
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import urlencode

from django import template
from django.template import Context, engines
from django.template.defaultfilters import date as date_filter
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

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
    """A tel: href from a displayed phone number."""
    digits = "".join(ch for ch in number or "" if ch.isdigit())
    if len(digits) == 10:
        digits = "1" + digits
    return f"tel:+{digits}" if digits else ""


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
    from django.utils import timezone

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
    from directory.search import freshness

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


@register.simple_tag
def facet_options(name, options):
    """The checkboxes of one filter group (directory/includes/facet_option.html
    for each option, from the fragment cache: only the count changes)."""
    template = "directory/includes/facet_option.html"
    return mark_safe(  # noqa: S308 (each piece is a template's autoescaped output)
        "".join(
            render_cached(
                template,
                (("name", name), ("value", option.value), ("dom_id", option.dom_id),
                 ("label", option.label), ("selected", option.selected)),
                "count",
                option.count_display,
            )
            for option in options
        )
    )  # fmt: skip


@register.simple_tag(takes_context=True)
def query_only(context, *keys):
    """The current query string reduced to the named parameters."""
    params = context["request"].GET
    kept = {key: params.getlist(key) for key in keys if params.get(key)}
    return urlencode(kept, doseq=True)


# Result cards, availability and facet checkboxes -------------------------
# One definition of each fragment, a template under directory/includes/
# (program_card.html, availability.html, facet_option.html): search
# results, nearby programs, the inquiry thank-you page, the program page
# and the portal show them through these tags.
#
# Speed: a search page shows 20 cards and ~100 checkboxes. Rendered by the
# template engine each time they cost ~3 ms a page more than building the
# strings in Python did (docs/bench-cards.md). So a fragment is rendered
# once for its values and kept (render_cached, an LRU cache per process);
# the one value that changes from search to search (a card's distance, an
# option's count) is left as a slot in the cached text and put in per page.
# A card's values (CardValues) are the only thing its template sees, and
# they are the cache key: a cached card can't be out of date.

SLOT = "\x00"  # stands for the per-search value in a cached fragment (html.escape leaves it as it is)


def render_cached(template_name: str, values: tuple, slot_name: str, slot_value: str) -> str:
    """The fragment template rendered with these (name, value) pairs plus
    slot_name=slot_value: from the cache, rendered with SLOT for slot_value
    the first time these values are seen."""
    parts = _fragment_parts(template_name, values, slot_name)
    if parts is None:  # a value holds the SLOT character itself: render this one as it is
        return render_fragment(template_name, {**dict(values), slot_name: slot_value})
    return html.escape(slot_value).join(parts)  # the template would escape it just so


@lru_cache(maxsize=4096)
def _fragment_parts(template_name: str, values: tuple, slot_name: str) -> tuple[str, ...] | None:
    """The rendered fragment split at SLOT, or None when a value contains
    SLOT. The language is not in the key (get_language() costs ~5 us, once
    per checkbox would be half a millisecond a page): these templates
    translate nothing themselves (a test checks), and the values they show
    are translated before they come in, so they differ by language."""
    if _holds_slot(values):
        return None
    return tuple(render_fragment(template_name, {**dict(values), slot_name: SLOT}).split(SLOT))


def _holds_slot(value) -> bool:
    if isinstance(value, tuple):
        return any(_holds_slot(item) for item in value)
    return SLOT in str(value)


def render_fragment(name: str, values: dict) -> str:
    """A fragment template rendered on its own, with a plain Context (no
    request, no context processors). get_template goes through the engine's
    cached loader (a dict lookup once loaded)."""
    return engines["django"].engine.get_template(name).render(Context(values))


def month_year(day) -> str:
    """A date as "Nov 2026" (the date filter's "M Y"), formatted once per
    month and language rather than once per card."""
    return _month_year(day.year, day.month, get_language())


@lru_cache(maxsize=256)
def _month_year(year: int, month: int, language) -> str:
    return date_filter(datetime.date(year, month, 1), "M Y")


class AvailabilityValues(NamedTuple):
    """What availability.html shows (plain text; the template escapes it)."""

    status: str  # accepting_clients: "yes", "waitlist", "no", "unknown"
    label: str  # "Accepting new clients"
    beds: str  # "2 open beds", or "" when not reported or status unknown
    stale: bool  # not confirmed recently (Program.availability_is_stale)
    age: str  # "3 days ago", "" when never reported


def availability_values(program) -> AvailabilityValues:
    status, beds, updated = program.accepting_clients, program.open_beds, program.availability_updated_at
    known = status != "unknown"
    return AvailabilityValues(
        status=status,
        label=program.get_accepting_clients_display(),
        beds=f"{beds} open bed{'' if beds == 1 else 's'}" if beds is not None and known else "",
        stale=known and program.availability_is_stale,
        age=age(updated) if known else "",
    )


def term_names(terms, limit=None) -> str:
    """The names of a card's terms, "Detox, Residential" (the first `limit`,
    then "and more")."""
    names = ", ".join(term.name for term in terms[:limit])
    return f"{names} and more" if limit and len(terms) > limit else names


class CardValues(NamedTuple):
    """What program_card.html shows of a program (plain text; the template
    escapes it), read from CARD_FIELDS and the card terms only."""

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
    availability: AvailabilityValues


def card_values(program, place) -> CardValues:
    return CardValues(
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
        availability=availability_values(program),
    )


@register.simple_tag
def availability(program):
    """Availability and its age, in one wording everywhere."""
    return render_fragment(
        "directory/includes/availability.html", {"availability": availability_values(program)}
    )


@register.simple_tag
def program_card(program, place=None):
    """One search result card (<li>); `place` set shows the distance."""
    return mark_safe(  # noqa: S308 (a template's autoescaped output)
        render_cached(
            "directory/includes/program_card.html",
            (("card", card_values(program, place)),),
            "distance",
            miles(program.distance) if place else "",
        )
    )
