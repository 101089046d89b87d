"""Where a request's time goes: wall time, SQL time and garbage collection.

- `install_gc_hook()` adds a `gc.callbacks` hook that adds up, process-wide,
  the time spent in every garbage collection (`gc_seconds()`), and keeps the
  longest single collection (`gc_longest_seconds()`).
- `measure()` is a context manager: wall time of the block, the SQL time
  on every database connection of this thread (`connection.execute_wrapper`:
  the execute call and fetching that query's rows) and the number of
  queries, and the GC time spent while it ran (any thread's collection: a
  collection stops them all).
- `ServerTimingMiddleware` wraps each request in `measure()` and adds a
  standard `Server-Timing` header:
  `app;dur=12.3, sql;dur=4.1;desc="3 queries", gc;dur=0.0` (milliseconds).
  It runs only when the `SERVER_TIMING` setting is on (environment variable,
  default off: the header tells anyone how long our queries take); base
  settings then put it first in MIDDLEWARE, and otherwise it is not
  installed at all, so it costs nothing.

SQL time is the driver's time: `execute` (on PostgreSQL that receives every
row) plus the fetch calls (on SQLite most of a query runs while its rows are
fetched; on PostgreSQL fetching turns received rows into Python values).
Turning rows into model instances is Python time. For a streamed response
(CSV), `app` ends when the response starts, not when its body is sent.
Used by `manage.py bench_search` and `manage.py bench_gunicorn`."""

import gc
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import connections

_gc = {"total": 0.0, "longest": 0.0, "started": None, "collections": 0}


def _gc_callback(phase, info):
    if phase == "start":
        _gc["started"] = time.perf_counter()
    elif _gc["started"] is not None:
        pause = time.perf_counter() - _gc["started"]
        _gc["started"] = None
        _gc["total"] += pause
        _gc["collections"] += 1
        _gc["longest"] = max(_gc["longest"], pause)


def install_gc_hook() -> None:
    """Start adding up garbage collection time (idempotent)."""
    if _gc_callback not in gc.callbacks:
        gc.callbacks.append(_gc_callback)


def gc_hook_installed() -> bool:
    return _gc_callback in gc.callbacks


def gc_seconds() -> float:
    """Seconds spent in garbage collection since the hook was installed."""
    return _gc["total"]


def gc_collections() -> int:
    return _gc["collections"]


def gc_longest_seconds() -> float:
    """The longest single collection seen since the hook was installed."""
    return _gc["longest"]


@dataclass
class Timing:
    """One measured block, in milliseconds (filled in when it ends)."""

    wall_ms: float = 0.0
    sql_ms: float = 0.0
    queries: int = 0
    gc_ms: float = 0.0

    @property
    def python_ms(self) -> float:
        """Wall time minus SQL time: Python, templates, cache and GC."""
        return self.wall_ms - self.sql_ms

    def server_timing(self) -> str:
        """The value of a Server-Timing header for these figures."""
        noun = "query" if self.queries == 1 else "queries"
        return (
            f'app;dur={self.wall_ms:.1f}, sql;dur={self.sql_ms:.1f};desc="{self.queries} {noun}", '
            f"gc;dur={self.gc_ms:.1f}"
        )


class _SQLTimer:
    """An execute_wrapper: adds each query's time to a Timing, both the
    execute call and fetching its rows from the driver (the cursor's
    fetchone/fetchmany/fetchall are timed too: SQLite runs most of a query
    while its rows are fetched)."""

    FETCHES = ("fetchone", "fetchmany", "fetchall")

    def __init__(self, timing: Timing):
        self.timing = timing

    def __call__(self, execute, sql, params, many, context):
        self.time_fetches(context["cursor"])
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.timing.sql_ms += (time.perf_counter() - start) * 1000
            self.timing.queries += 1

    def time_fetches(self, cursor):
        # Django's CursorWrapper hands these out through __getattr__, so an
        # instance attribute of the same name takes their place for this
        # cursor only.
        timers = cursor.__dict__.setdefault("_timing_timers", set())
        if id(self) in timers:
            return
        timers.add(id(self))
        for name in self.FETCHES:
            setattr(cursor, name, self.timed(getattr(cursor, name)))

    def timed(self, fetch):
        def timed_fetch(*args, **kwargs):
            start = time.perf_counter()
            try:
                return fetch(*args, **kwargs)
            finally:
                self.timing.sql_ms += (time.perf_counter() - start) * 1000

        return timed_fetch


@contextmanager
def measure():
    """Measure the block: `with measure() as timing: ...`; the figures are
    in `timing` after the block. Installs the GC hook if needed."""
    install_gc_hook()
    timing = Timing()
    timer = _SQLTimer(timing)
    gc_before = _gc["total"]
    start = time.perf_counter()
    try:
        with ExitStack() as stack:
            for connection in connections.all(initialized_only=False):
                stack.enter_context(connection.execute_wrapper(timer))
            yield timing
    finally:
        timing.wall_ms = (time.perf_counter() - start) * 1000
        timing.gc_ms = (_gc["total"] - gc_before) * 1000


class ServerTimingMiddleware:
    """Adds a Server-Timing header (app, sql, gc) to every response when the
    SERVER_TIMING setting is on; otherwise Django drops it at startup."""

    def __init__(self, get_response):
        if not getattr(settings, "SERVER_TIMING", False):
            raise MiddlewareNotUsed("SERVER_TIMING is off")
        install_gc_hook()
        self.get_response = get_response

    def __call__(self, request):
        with measure() as timing:
            response = self.get_response(request)
        response["Server-Timing"] = timing.server_timing()
        return response
