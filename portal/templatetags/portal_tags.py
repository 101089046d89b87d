"""Template tags for the center portal's pages."""

from django import template

from portal import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def portal_inbox_links(context):
    """(organization, unread inquiries) for each of the signed-in user's
    organizations, for the portal navigation on every portal page."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    return selectors.inbox_links(user=user)


@register.simple_tag
def availability_choices(program):
    """The three availability buttons of a listing, in order; the one shown
    now carries the date it was last set or confirmed."""
    return selectors.availability_choices(program=program)


@register.filter
def end_sentence(text):
    """Close a sentence with a full stop unless the text already ends with
    one: a time like "7:03 a.m." at the end of a sentence takes no second
    stop."""
    text = str(text)
    return text if text.endswith(".") else f"{text}."
