"""Encryption at rest for inquiry contents: one small model field over
cryptography's MultiFernet. The first key in INQUIRY_ENCRYPTION_KEYS encrypts,
every key decrypts, so keys rotate by putting a new one first and running
`manage.py rotate_inquiry_keys`."""

import logging
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

logger = logging.getLogger(__name__)

UNREADABLE = "(cannot be decrypted with the configured keys)"


def parse_keys(keys) -> list[Fernet]:
    """Fernet objects for the configured keys; a clear error when a key is
    missing or malformed (raised at startup in production)."""
    if not keys:
        raise ImproperlyConfigured(
            "INQUIRY_ENCRYPTION_KEYS is not set. Set it to one or more comma-separated Fernet keys "
            "(generate one with: python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())')."
        )
    fernets = []
    for position, key in enumerate(keys, start=1):
        try:
            fernets.append(Fernet(key))
        except (ValueError, TypeError):
            raise ImproperlyConfigured(
                f"INQUIRY_ENCRYPTION_KEYS: key number {position} is not a valid Fernet key "
                "(32 url-safe base64-encoded bytes)."
            ) from None
    return fernets


@lru_cache(maxsize=4)
def _multifernet(keys: tuple) -> MultiFernet:
    return MultiFernet(parse_keys(keys))


def multifernet() -> MultiFernet:
    return _multifernet(tuple(settings.INQUIRY_ENCRYPTION_KEYS))


def encrypt(plaintext: str) -> str:
    return multifernet().encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return multifernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken:
        # Never the value itself: only that a stored value could not be read.
        logger.error("An inquiry field could not be decrypted with the configured keys.")
        return UNREADABLE


def rotate(token: str) -> str:
    """The same value encrypted with the first (current) key."""
    return multifernet().rotate(token.encode("ascii")).decode("ascii")


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token: the database column never holds the
    plaintext. Empty strings stay empty (nothing to hide, and it keeps
    "was a phone given?" cheap). Not searchable or orderable by content."""

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return value
        return encrypt(value)
