"""Secrets that travel in URL paths never reach a log line: a family's
inquiry status link, portal invitations, email confirmations, password
resets and the contact-change alert's "This was not us" link. Django logs
the path of every 4xx (`django.request`), of CSRF failures
(`django.security.csrf`) and of sign-ins (django-axes); runserver and
gunicorn log every request line. Each of those goes through
`RedactSecrets` (LOGGING in settings/base.py; gunicorn.conf.py's logger
class), which keeps the path's prefix and replaces the secret with
`[redacted]`.

Plain Python, no Django import: gunicorn loads it before the app.
tests/site/test_log_redaction.py walks every URL pattern and fails when one
with a token-like argument (token, key, uidb36, uidb64) is not covered."""

import logging
import re

REDACTED = "[redacted]"

# Path prefixes followed by a secret (everything up to the next space,
# quote, query string or fragment is replaced).
SECRET_PATH_PREFIXES = (
    "/inquiries/status/",  # the family's private status link
    "/for-centers/invitations/",  # portal invitations (signed)
    "/for-centers/account/confirm-email/",  # allauth email confirmation key
    "/for-centers/account/password/reset/key/",  # allauth password reset (uid + key)
    "/admin/password_reset/confirm/",  # Wagtail admin password reset (uid + token)
    "/listing-safety/not-us/",  # a contact-change alert's "This was not us" link (signed)
)


def _pattern(prefix: str) -> str:
    # A prefix inside a query string (?next=%2Ffor-centers%2Finvitations%2F...)
    # is URL-encoded: match "/" and "%2F" alike.
    return "(?:/|%2[fF])".join(re.escape(part) for part in prefix.split("/"))


SECRET_IN_PATH = re.compile(
    "(" + "|".join(_pattern(prefix) for prefix in SECRET_PATH_PREFIXES) + r")[^\s\"'<>?#&]+"
)


def redact(text: str) -> str:
    """The text with every secret after a known path prefix replaced."""
    return SECRET_IN_PATH.sub(lambda match: match.group(1) + REDACTED, text)


class RedactSecrets(logging.Filter):
    """A logging filter (on handlers, or on a logger) that rewrites the
    record's message, and its traceback text, without the secrets. It never
    drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to the formatter's own error
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True
