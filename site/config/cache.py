"""A Redis cache that degrades instead of failing.

The cache only ever holds things the site can do without (short-lived
counts, rate-limit counters, Wagtail's site root
paths). When Redis is unreachable, Django's RedisCache raises on every call,
so every page that touches the cache would be a 500. ResilientRedisCache
answers as an empty cache instead: reads miss, writes are dropped, `incr`
returns None (django-ratelimit reads that as "cache down" and applies
RATELIMIT_FAIL_OPEN). After a failure it does not try Redis again for
RETRY_SECONDS, so an outage costs one failed connection per process per
interval, not one per request, and it logs the outage once per interval.

`cache_available()` tells callers that must act differently during an
outage (the CSV download's rate limit and one-download-at-a-time slot,
which let downloads through rather than refuse everyone) whether the
last call reached Redis."""

import logging
import time

from django.core.cache import cache as default_cache
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger("config.cache")

RETRY_SECONDS = 15
OUTAGE_ERRORS = (RedisError, OSError)


class ResilientRedisCache(RedisCache):
    retry_seconds = RETRY_SECONDS

    def __init__(self, server, params):
        options = params.setdefault("OPTIONS", {})
        # Fail fast: a dead host must not hold a worker for the OS default.
        options.setdefault("socket_connect_timeout", 0.25)
        options.setdefault("socket_timeout", 0.5)
        super().__init__(server, params)
        self._down_until = 0.0

    @property
    def available(self) -> bool:
        return time.monotonic() >= self._down_until

    def _call(self, method, fallback, *args, **kwargs):
        if not self.available:
            return fallback
        try:
            return method(*args, **kwargs)
        except OUTAGE_ERRORS as error:
            self._down_until = time.monotonic() + self.retry_seconds
            logger.warning(
                "Cache unreachable (%s: %s); serving without it for %d s.",
                type(error).__name__,
                error,
                self.retry_seconds,
            )
            return fallback

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().add, False, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call(super().get, default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().set, None, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().touch, False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call(super().delete, False, key, version)

    def get_many(self, keys, version=None):
        return self._call(super().get_many, {}, keys, version)

    def has_key(self, key, version=None):
        return self._call(super().has_key, False, key, version)

    def incr(self, key, delta=1, version=None):
        return self._call(super().incr, None, key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().set_many, list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call(super().delete_many, None, keys, version)

    def clear(self):
        return self._call(super().clear, False)

    def ping(self) -> bool:
        """For /healthz: does Redis answer right now (ignores the back-off)."""
        try:
            return bool(self._cache.get_client(write=False).ping())
        except OUTAGE_ERRORS:
            return False


def cache_available(cache=None) -> bool:
    """False while the cache is known to be unreachable."""
    return getattr(cache or default_cache, "available", True)
