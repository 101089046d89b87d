from django import template
from django.conf import settings

from ..forms import InquiryForm
from ..selectors import program_accepts_inquiries

register = template.Library()


@register.inclusion_tag("inquiries/includes/inquiry_box.html", takes_context=True)
def inquiry_box(context, program, form=None, standalone=False):
    """The inquiry form for a program that can receive inquiries, else a
    note saying so with its phone numbers."""
    accepts = program_accepts_inquiries(program)
    if accepts and form is None:
        form = InquiryForm(program=program)
    return {
        "program": program,
        "accepts": accepts,
        "standalone": standalone,
        "form": form,
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
        "search_context": context.get("search_context"),  # the search the family came from, handed on
        "retention_days": settings.INQUIRY_RETENTION_DAYS,
    }
