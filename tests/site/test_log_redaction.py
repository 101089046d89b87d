"""Secrets carried in URL paths (a family's inquiry status link, portal
invitations, email confirmations, password resets) never reach a log line:
not through a 404, a CSRF failure, a sign-in logged by django-axes, nor
runserver's request lines (gunicorn's access log: test_gunicorn_conf.py)."""

import io
import logging
import re
from http import HTTPStatus

import pytest
from django.core import mail
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from config.log_redaction import REDACTED, RedactSecrets, redact

CANARY = "c0ffee" * 10 + "beef"  # 64 hex characters, like a real status token
SECRET_ARGS = {"token", "key", "uidb36", "uidb64"}


@pytest.fixture
def log_output():
    """Everything the configured handlers (settings.LOGGING) write, in one
    string; pytest's own capture handlers are left out."""
    handlers = {
        handler
        for name in ("", "django", "django.request", "django.security.csrf", "django.server", "axes")
        for handler in logging.getLogger(name).handlers
        if type(handler) is logging.StreamHandler
    }
    buffer = io.StringIO()
    previous = {handler: handler.setStream(buffer) for handler in handlers}
    yield buffer
    for handler, stream in previous.items():
        handler.setStream(stream)


def test_every_handler_redacts():
    """Every handler a request's log record can reach, walking up from the
    loggers that log paths, carries the filter."""
    for name in ("django.request", "django.security.csrf", "django.server", "axes.handlers.database"):
        logger = logging.getLogger(name)
        while logger:
            for handler in logger.handlers:
                if type(handler).__module__.startswith("_pytest"):
                    continue
                assert any(isinstance(f, RedactSecrets) for f in handler.filters), (name, handler)
            logger = logger.parent if logger.propagate else None


@pytest.mark.django_db
def test_status_token_through_a_404_is_redacted(client, log_output):
    response = client.get(f"/inquiries/status/{CANARY}/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    output = log_output.getvalue()
    assert f"Not Found: /inquiries/status/{REDACTED}" in output
    assert CANARY not in output


@pytest.mark.django_db
@pytest.mark.parametrize("path", [f"/inquiries/status/{CANARY}/", f"/for-centers/invitations/MQ:{CANARY}/"])
def test_token_through_a_csrf_failure_is_redacted(path, log_output):
    response = Client(enforce_csrf_checks=True).post(path, {"delete": "1"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    output = log_output.getvalue()
    assert "Forbidden (CSRF cookie not set.)" in output
    assert REDACTED in output and CANARY not in output


@pytest.mark.django_db
def test_email_confirmation_key_in_the_sign_in_log_is_redacted(client, log_output):
    password = "correct-horse-battery-staple"  # noqa: S105
    client.post(
        reverse("account_signup"),
        {"email": "new.center@example.org", "password1": password, "password2": password},
    )
    # Under SITE_URL (tests: http://127.0.0.1:8000), like every email's links.
    link = re.search(
        r"http://127\.0\.0\.1:8000(/for-centers/account/confirm-email/(\S+)/)", mail.outbox[-1].body
    )
    assert client.post(link.group(1)).status_code == HTTPStatus.FOUND
    assert "_auth_user_id" in client.session  # signed in: django-axes logged it, with the path
    output = log_output.getvalue()
    assert "/for-centers/account/confirm-email/" + REDACTED in output
    assert link.group(2) not in output


def test_runserver_request_lines_are_redacted(log_output):
    logging.getLogger("django.server").info(
        '"%s" %s %s', f"GET /for-centers/account/password/reset/key/2-{CANARY}/ HTTP/1.1", "200", "512"
    )
    output = log_output.getvalue()
    assert f"GET /for-centers/account/password/reset/key/{REDACTED} HTTP/1.1" in output
    assert CANARY not in output


def test_traceback_text_is_redacted():
    try:
        raise ValueError(f"while serving /inquiries/status/{CANARY}/")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), exc_info=True)
        import sys

        record.exc_info = sys.exc_info()
    RedactSecrets().filter(record)
    assert CANARY not in logging.Formatter().format(record)


def _secret_routes(patterns=None, prefix="", namespace="", args=()):
    """(URL name, secret kwargs) of every pattern that takes a token-like value."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        pattern = entry.pattern
        names = tuple(getattr(pattern, "converters", {}) or pattern.regex.groupindex)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _secret_routes(entry.url_patterns, prefix + str(pattern), inner, args + names)
        elif isinstance(entry, URLPattern) and entry.name and SECRET_ARGS & set(args + names):
            yield namespace + entry.name, args + names


def test_every_url_with_a_secret_is_redacted():
    """Fails when a URL with a token, key or uid is added (or moved) without
    its prefix in config.log_redaction.SECRET_PATH_PREFIXES."""
    routes = dict(_secret_routes())
    assert {"inquiries:status", "portal:invitation_accept", "account_confirm_email"} <= set(routes)
    for name, kwargs in routes.items():
        path = reverse(name, kwargs={kwarg: f"Canary0{kwarg}0Secret" for kwarg in kwargs})
        line = f'GET {path} HTTP/1.1" 404'
        assert "Canary0" not in redact(line), name
        assert REDACTED in redact(line)
        # In a query string (a sign-in page's ?next=), URL-encoded.
        encoded = f"/for-centers/account/login/?next={path.replace('/', '%2F').replace(':', '%3A')}"
        assert "Canary0" not in redact(encoded), name


@pytest.mark.parametrize(
    "text",
    [
        "Not Found: /programs/harbor-recovery-sample/",
        "Not Found: /inquiries/thanks/",
        "GET /find/ HTTP/1.1",
        "Not Found: /for-centers/organizations/harbor/inbox/12/",
    ],
)
def test_ordinary_paths_are_left_alone(text):
    assert redact(text) == text
