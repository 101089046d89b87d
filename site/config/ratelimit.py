"""Rate limits for public POST forms (inquiries, problem reports), in one
place: django-ratelimit counters in the default cache (Redis in production),
per client IP and per program. A cache outage lets requests through: the
forms stay up.

Two limits spare a family who corrects a form several times: accepted
submissions count against RATELIMIT_PER_IP / RATELIMIT_PER_PROGRAM
(`public_post_limited`, asked once the form is valid), and every attempt,
forms sent back with errors included, against the much higher
RATELIMIT_ATTEMPTS_PER_IP (`form_attempts_limited`). The 429 page says in
about how many minutes to try again (and sends Retry-After) and can show the
form again with what was typed (`too_many_requests`)."""

import logging
import math
from http import HTTPStatus

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django_ratelimit.core import get_usage

from . import client as config_client

logger = logging.getLogger(__name__)


def client_ip(group, request) -> str:
    """django-ratelimit's key callable: the shared client address."""
    return config_client.client_ip(request)


RETRY_AFTER_ATTRIBUTE = "ratelimit_retry_after"  # seconds, set on the request when a limit is hit


def _limited(request, *, group, key, rate) -> bool:
    try:
        usage = get_usage(request, group=group, key=key, rate=rate, method="POST", increment=True)
    except Exception as exc:  # noqa: BLE001 - the cache is down: degrade, do not fail
        logger.warning("Rate limit check skipped (%s)", type(exc).__name__)
        return False
    limited = bool(usage and usage["should_limit"])
    if limited and usage.get("time_left", -1) > 0:
        waited = getattr(request, RETRY_AFTER_ATTRIBUTE, 0)
        setattr(request, RETRY_AFTER_ATTRIBUTE, max(waited, usage["time_left"]))
    return limited


def form_attempts_limited(request, *, group: str) -> bool:
    """True when this client sent the form too often, counting every POST
    (also those sent back with validation errors) against the much higher
    RATELIMIT_ATTEMPTS_PER_IP: what stops a script, never a person
    correcting their answers."""
    limited = _limited(
        request, group=f"{group}:attempts:ip", key=client_ip, rate=settings.RATELIMIT_ATTEMPTS_PER_IP
    )
    if limited:
        count_rejected(group, "rate_limit")
    return limited


def public_post_limited(request, *, group: str, program=None) -> bool:
    """True when this POST is over a limit. Every POST that asks counts
    against the client's address and, for a program's form, against that
    program (the inquiry form asks only once the form is valid: accepted
    inquiries)."""
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


def retry_minutes(seconds: float) -> int | None:
    """The limiter's time left in its window, in whole minutes (rounded up,
    at least 1), or None when the limiter did not say."""
    return max(1, math.ceil(seconds / 60)) if seconds and seconds > 0 else None


def too_many_requests(request, *, program=None, template_name="429.html", context=None):
    """A friendly 429 that still gives the program's phone numbers and the
    crisis lines, and says in how many minutes to try again ("about 12
    minutes": the time left in the limiter's window). A form's app may pass
    its own template (extending 429.html) and context to show the form again
    with what was typed; nothing is stored, and the page is never cached."""
    seconds = getattr(request, RETRY_AFTER_ATTRIBUTE, 0)
    response = render(
        request,
        template_name,
        {"program": program, "retry_minutes": retry_minutes(seconds), **(context or {})},
        status=HTTPStatus.TOO_MANY_REQUESTS,
    )
    if seconds:
        response["Retry-After"] = str(int(seconds))
    add_never_cache_headers(response)
    return response
