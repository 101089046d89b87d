"""Rate limits for public POST forms (inquiries, problem reports), in one
place: django-ratelimit counters in the default cache (Redis in production),
per client IP and per program. A cache outage lets requests through: the
forms stay up."""

import logging
from http import HTTPStatus

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django_ratelimit.core import get_usage

from . import client as config_client

logger = logging.getLogger(__name__)


def client_ip(group, request) -> str:
    """django-ratelimit's key callable: the shared client address."""
    return config_client.client_ip(request)


def _limited(request, *, group, key, rate) -> bool:
    try:
        usage = get_usage(request, group=group, key=key, rate=rate, method="POST", increment=True)
    except Exception as exc:  # noqa: BLE001 - the cache is down: degrade, do not fail
        logger.warning("Rate limit check skipped (%s)", type(exc).__name__)
        return False
    return bool(usage and usage["should_limit"])


def public_post_limited(request, *, group: str, program=None) -> bool:
    """True when this POST is over a limit. Every POST counts against the
    client's address and, for a program's form, against that program."""
    by_ip = _limited(request, group=f"{group}:ip", key=client_ip, rate=settings.RATELIMIT_PER_IP)
    by_program = program is not None and _limited(
        request,
        group=f"{group}:program:{program.pk}",
        key=lambda g, r: "program",
        rate=settings.RATELIMIT_PER_PROGRAM,
    )
    if by_ip or by_program:
        count_rejected(group, "rate_limit")
        return True
    return False


def count_rejected(group: str, reason: str) -> None:
    """Rejected submissions are counted (cache counter and a log line with
    no content), never stored."""
    key = f"rejected:{group}:{reason}"
    try:
        if not cache.add(key, 1, timeout=None):
            cache.incr(key)
    except Exception:  # noqa: BLE001, S110 - counting must never break the form
        pass
    logger.info("Rejected %s submission: %s", group, reason)


def rejected_count(group: str, reason: str) -> int:
    try:
        return cache.get(f"rejected:{group}:{reason}", 0)
    except Exception:  # noqa: BLE001
        return 0


def too_many_requests(request, *, program=None):
    """A friendly 429 that still gives the program's phone numbers and the
    crisis lines."""
    return render(request, "429.html", {"program": program}, status=HTTPStatus.TOO_MANY_REQUESTS)
