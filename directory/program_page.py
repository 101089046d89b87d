"""What apps built on the directory add to a program's public page, without
the directory knowing them (directory imports none of portal, inquiries or
content; they register here from their AppConfig.ready()).

- `program_page_viewed`: sent once per view of a program page, with
  `program`. The center portal counts views per month for its statistics.
- `add_context(provider)`: `provider(program) -> dict` adds template
  variables to the page. The portal adds `managed_since` (the date the
  center took the listing over, or None, which offers "Claim it").

A provider or receiver must not fail the page: the page is what a family in
crisis came for, so an error is logged and the page shows without it."""

import logging
from collections.abc import Callable

from django.dispatch import Signal

logger = logging.getLogger(__name__)

program_page_viewed = Signal()  # sender=Program, program=<Program>

_providers: list[Callable] = []


def add_context(provider: Callable) -> None:
    """Register a provider of extra template variables (once per provider)."""
    if provider not in _providers:
        _providers.append(provider)


def extra_context(program) -> dict:
    """Every registered provider's variables for this program's page."""
    context = {}
    for provider in _providers:
        try:
            context.update(provider(program))
        except Exception:
            logger.exception("program page: %s failed for program %s", provider.__qualname__, program.pk)
    return context


def page_viewed(program) -> None:
    for receiver, error in program_page_viewed.send_robust(sender=type(program), program=program):
        if error is not None:
            logger.error("program page: %r failed for program %s", receiver, program.pk, exc_info=error)
