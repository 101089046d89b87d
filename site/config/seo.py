"""schema.org data rendered as JSON-LD, for any page of the site (articles,
program pages).

A `<script type="application/ld+json">` block is data the browser never runs,
so the strict script-src of the Content-Security-Policy does not apply to it."""

import json

from django.utils.safestring import mark_safe

# The characters that could end the <script> element early, escaped as
# JSON allows (the same set Django's json_script escapes).
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld_script_content(data):
    """`data` as the content of a JSON-LD <script> element, safe to insert."""
    return mark_safe(json.dumps(data, ensure_ascii=False, indent=1).translate(_SCRIPT_ESCAPES))  # noqa: S308
