import datetime
import html
from functools import lru_cache
from urllib.parse import urlencode

from django import template
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


FACET_OPTION = (
    '<label class="checkbox"><input type="checkbox" name="{name}" value="{value}" id="{dom_id}"{checked}> '
    '{label} <span class="facet__count">({count})</span></label>'
)  # every value is escaped with esc() (below) before it goes in


@register.simple_tag
def facet_options(name, options):
    """The checkboxes of one filter group. A search page shows ~130 of them,
    and building them here instead of including a template per option
    saves several milliseconds per page; every value is escaped."""
    field = esc(name)
    return mark_safe(  # noqa: S308 (every interpolated value is escaped with esc())
        "".join(
            FACET_OPTION.format(
                name=field,
                value=esc(option.value),
                dom_id=esc(option.dom_id),
                checked=" checked" if option.selected else "",
                label=esc(option.label),
                count=esc(option.count_display),
            )
            for option in options
        )
    )


@register.simple_tag(takes_context=True)
def query_only(context, *keys):
    """The current query string reduced to the named parameters."""
    params = context["request"].GET
    kept = {key: params.getlist(key) for key in keys if params.get(key)}
    return urlencode(kept, doseq=True)


# Result cards and availability ------------------------------------------
# A search page shows twenty cards; built by the template engine they cost
# ~5 ms a page (about 50 variable lookups each), built here a fraction of
# that. This is the one definition of both fragments: search results, nearby
# programs, the inquiry thank-you page, the program page and the portal use
# them. Every value goes through esc() (the standard library's html.escape,
# which is what Django's escape filter calls, without its lazy-string check).
CARD_TERMS = [  # attribute (selectors.attach_card_terms), label, how many to show
    ("card_levels", "Care", None),
    ("card_medications", "Medications", None),
    ("card_payments", "Payment", 5),
]


def month_year(day) -> str:
    """A date as "Nov 2026" (the date filter's "M Y"), formatted once per
    month and language rather than once per card."""
    return _month_year(day.year, day.month, get_language())


@lru_cache(maxsize=256)
def _month_year(year: int, month: int, language) -> str:
    return date_filter(datetime.date(year, month, 1), "M Y")


def esc(value) -> str:
    return html.escape(str(value))


def availability_html(program) -> str:
    status = program.accepting_clients
    beds = program.open_beds
    text = (
        f'<span class="availability availability--{esc(status)}">'
        f"<strong>{esc(program.get_accepting_clients_display())}</strong>"
    )
    if beds is not None and status != "unknown":
        text += f", {esc(beds)} open bed{'' if beds == 1 else 's'}"
    text += "</span>"
    if status != "unknown":
        updated = program.availability_updated_at
        if program.availability_is_stale:
            since = f" (last updated {esc(age(updated))})" if updated else ""
            text += f' · <span class="availability-stale">not confirmed recently{since}</span>'
        else:
            text += f' · <span class="muted">updated {esc(age(updated))}</span>'
    return text


@register.simple_tag
def availability(program):
    """Availability and its age, in one wording everywhere."""
    return mark_safe(availability_html(program))  # noqa: S308 (every value escaped by esc())


@register.simple_tag
def program_card(program, place=None):
    """One search result card (<li>); `place` set shows the distance."""
    parts = [
        '<li class="card program-card">\n'
        f'  <h3 class="program-card__name"><a href="{esc(program.get_absolute_url())}">'
        f"{esc(program.name)}</a></h3>\n"
    ]
    if program.is_sample:
        parts.append('  <span class="badge badge--sample">Sample listing</span>\n')
    if program.verified_at:
        verified = esc(month_year(program.verified_at))
        parts.append(f'  <span class="badge badge--verified">Verified {verified}</span>\n')
    distance = f"<strong>{esc(miles(program.distance))}</strong> · " if place else ""
    street = f"{esc(program.street1)}, " if program.street1 else ""
    parts.append(
        f'  <p class="program-card__meta">{distance}{street}{esc(program.city)}, '
        f"{esc(program.state)} {esc(program.zip_code)}</p>\n"
    )
    if program.phone:
        phone, href = esc(program.phone), esc(tel(program.phone))
        parts.append(f'  <p class="program-card__phone"><a href="{href}">Call {phone}</a></p>\n')
    for attribute, label, limit in CARD_TERMS:
        terms = getattr(program, attribute, None) or []
        if terms:
            names = esc(", ".join(term.name for term in terms[:limit]))
            more = " and more" if limit and len(terms) > limit else ""
            parts.append(f'  <p><span class="label-inline">{label}:</span> {names}{more}</p>\n')
    parts.append(f"  <p>{availability_html(program)}</p>\n</li>")
    return mark_safe("".join(parts))  # noqa: S308 (every value escaped by esc())
