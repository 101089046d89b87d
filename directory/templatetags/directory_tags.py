from urllib.parse import urlencode

from django import template

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
    from directory import facets

    return facets.current_index().vocabularies["levels_of_care"]


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
