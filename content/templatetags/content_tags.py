"""Template helpers for articles."""

import re

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

CITATION = re.compile(r"\[(\d{1,3})\]")


@register.filter
def cite_links(html):
    """Turn "[2]" in rendered rich text into a link to reference number 2."""

    def link(match):
        number = match.group(1)
        return format_html(
            '<sup class="cite">[<a href="#ref-{0}">{1}{0}</a>]</sup>',
            number,
            mark_safe('<span class="visually-hidden">reference </span>'),  # noqa: S308
        )

    return mark_safe(CITATION.sub(link, str(html)))  # noqa: S308 (input is sanitised rich text)
