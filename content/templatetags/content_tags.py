"""Template helpers for articles."""

import re

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

CITATION = re.compile(r"\[(\d{1,3})\]")
# A comment or a tag, quoted attribute values included (they may hold ">").
# What lies between two matches is text.
MARKUP = re.compile(r"<!--.*?-->|<(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", re.DOTALL)
LINK_TAG = re.compile(r"<(/?)a[\s>/]", re.IGNORECASE)


def _link(match):
    number = match.group(1)
    return format_html(
        '<sup class="cite">[<a href="#ref-{0}">{1}{0}</a>]</sup>',
        number,
        mark_safe('<span class="visually-hidden">reference </span>'),  # noqa: S308
    )


@register.filter
def cite_links(html):
    """Turn "[2]" in rendered rich text into a link to reference number 2.

    Only text is rewritten: never a tag's attributes (an image's alt text or
    a URL may hold "[1]") and never text already inside a link."""
    html = str(html)
    parts = []
    position = 0
    link_depth = 0
    for markup in MARKUP.finditer(html):
        text = html[position : markup.start()]
        parts.append(text if link_depth else CITATION.sub(_link, text))
        tag = markup.group()
        if opening_or_closing := LINK_TAG.match(tag):
            link_depth = max(0, link_depth - 1) if opening_or_closing.group(1) else link_depth + 1
        parts.append(tag)
        position = markup.end()
    tail = html[position:]
    parts.append(tail if link_depth else CITATION.sub(_link, tail))
    return mark_safe("".join(parts))  # noqa: S308 (input is sanitised rich text)
