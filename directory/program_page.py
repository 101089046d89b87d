"""What apps built on the directory add to a program's public page, without
the directory knowing them (directory imports none of portal, inquiries or
content, and its templates name none of their URLs or tags). They register
from their AppConfig.ready():

- `program_page_viewed`: sent once per view of a program page, with
  `program`. The center portal counts views per month for its statistics.
- `add_part(slot, template, provider)`: a template the page includes at a
  named place, with `provider(program) -> dict | None` as its extra context
  (None leaves the part out). Slots: "contact" (after the phones and
  directions: the inquiry form), "verification" (an item of the "Licensing
  and verification" list: "Managed by the center since ..."), "end" (after
  "Report a problem": "Is this your program? Claim it").

A provider or receiver must not fail the page: the page is what a family in
crisis came for, so an error is logged and the page shows without that part."""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.dispatch import Signal

logger = logging.getLogger(__name__)

SLOTS = ("contact", "verification", "end")

program_page_viewed = Signal()  # sender=Program, program=<Program>


@dataclass(frozen=True)
class Part:
    template: str
    context: dict


_parts: dict[str, list[tuple[str, Callable]]] = {slot: [] for slot in SLOTS}


def add_part(slot: str, template: str, provider: Callable) -> None:
    """Register a part of the page (once per slot and template)."""
    if slot not in _parts:
        raise ValueError(f"Unknown program page slot {slot!r}: one of {', '.join(SLOTS)}")
    if all(registered != template for registered, _ in _parts[slot]):
        _parts[slot].append((template, provider))


def parts(program) -> dict[str, list[Part]]:
    """Every registered part for this program's page, by slot, in
    registration order."""
    found = {}
    for slot, registered in _parts.items():
        found[slot] = []
        for template, provider in registered:
            try:
                context = provider(program)
            except Exception:
                logger.exception("program page: the %s part failed for program %s", template, program.pk)
                continue
            if context is not None:
                found[slot].append(Part(template, context))
    return found


def page_viewed(program) -> None:
    for receiver, error in program_page_viewed.send_robust(sender=type(program), program=program):
        if error is not None:
            logger.error("program page: %r failed for program %s", receiver, program.pk, exc_info=error)
