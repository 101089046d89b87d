"""One CSV download at a time per client: a slot in the shared cache, taken
when a download starts and freed when the response is closed (finished,
cut off, or the client went away). The slot expires on its own after
SLOT_SECONDS in case a worker dies mid-download. While the cache is
unreachable, downloads are not limited (the site keeps working)."""

import hashlib

from django.core.cache import cache

from config.cache import cache_available
from config.client import client_ip

SLOT_SECONDS = 120


class DownloadSlot:
    def __init__(self, key: str):
        self.key = key
        self.held = False

    @classmethod
    def for_request(cls, request):
        client = client_ip(request)
        return cls("directory:csv-slot:" + hashlib.sha256(client.encode()).hexdigest()[:32])

    def acquire(self) -> bool:
        self.held = bool(cache.add(self.key, 1, SLOT_SECONDS))
        return self.held or not cache_available(cache)

    def release(self) -> None:
        if self.held:
            cache.delete(self.key)
            self.held = False

    def guard(self, lines):
        return _Guarded(lines, self)


class _Guarded:
    """Iterates the lines; Django calls close() when the response is done."""

    def __init__(self, lines, slot):
        self.lines = iter(lines)
        self.slot = slot

    def __iter__(self):
        return self

    def __next__(self):
        return next(self.lines)

    def close(self):
        close = getattr(self.lines, "close", None)
        if close:
            close()
        self.slot.release()
