"""Keeping the search index (index.py) fresh without stalling search.

- Every program save, delete or link change writes a row to the change log
  (SearchIndexChange, signals.py). It is a database table, so it commits
  with the change, survives a cache outage and is shared by every process.
- A search reads the index once (current_index): one query for log rows
  newer than the index's cursor. A few changed programs are applied
  incrementally, copy-on-write (their bits flipped in a copy that then
  replaces the index), so a request never sees half a change.
- A full rebuild (a bulk import, a vocabulary edit, a log row with no
  program, too many changes at once, or the once-a-minute check finding
  writes that bypassed the signals) runs in a background thread while the
  old index keeps serving; only the first build of a process runs inside a
  request. Tests set DIRECTORY_INDEX_BACKGROUND = False to rebuild inline.
- Transactions may commit out of id order: ids skipped over are retried
  for a minute (pending) before being given up as rolled back."""

import copy
import logging
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connection
from django.db.models import Min
from django.utils import timezone

from directory.models import SearchIndexChange

from . import index as search_index
from .index import FacetIndex

logger = logging.getLogger(__name__)

RECHECK_SECONDS = 60  # the safety-net check for writes that bypass the signals
PENDING_SECONDS = 60  # how long a skipped change id is waited for
MAX_INCREMENTAL = 500  # more changes than this at once: rebuild in the background
MAX_OVERLAY = 5000  # texts changed or programs moved since the build: past this, rebuild in the background
LOG_RETENTION = timedelta(days=1)

_lock = threading.RLock()  # guards swapping _index
_rebuild_lock = threading.Lock()  # one background rebuild or check at a time
_index: "FacetIndex | None" = None
_rebuild_thread: threading.Thread | None = None


# Writing the change log ---------------------------------------------------
def record_changes(program_ids) -> None:
    """Log programs whose searchable data changed (signals call this)."""
    rows = [SearchIndexChange(program_id=pk) for pk in dict.fromkeys(program_ids) if pk is not None]
    if rows:
        SearchIndexChange.objects.bulk_create(rows)


def invalidate() -> None:
    """Ask every process for a full rebuild (bulk writes, vocabulary edits)."""
    SearchIndexChange.objects.create(program_id=None)


# Reading the index ----------------------------------------------------------
def background() -> bool:
    return getattr(settings, "DIRECTORY_INDEX_BACKGROUND", True)


def current_index(**_ignored) -> FacetIndex:
    """The index for one request, brought up to date with the change log
    (one query). Call it once per request and pass the result around."""
    global _index
    index = _index
    if index is None:
        with _lock:
            if _index is None:
                _index = catch_up(search_index.build())
            return _index
    try:
        updated = catch_up(index)
    except Exception:  # a database hiccup must not take search down
        logger.exception("search index: could not read the change log")
        return index
    if updated is not index:
        with _lock:
            if _index is index:
                _index = updated
            updated = _index
    if time.monotonic() - updated.checked_at >= RECHECK_SECONDS:
        updated.checked_at = time.monotonic()
        schedule(check)
    return updated


def get() -> FacetIndex:
    """This process's index without asking the database for changes (for
    code that runs after current_index() in the same request)."""
    return _index if _index is not None else current_index()


def vocabulary(relation: str) -> list:
    """The terms of one vocabulary, in display order, from the index."""
    return get().vocabularies[relation]


def catch_up(index: FacetIndex) -> FacetIndex:
    """The index with the change log applied: itself when nothing changed,
    a patched copy for a few programs; a full rebuild is started in the
    background (the given index keeps serving until it is done)."""
    rows = changes_since(index.cursor, list(index.pending))
    now = time.monotonic()
    if not rows:
        if index.pending and min(index.pending.values()) < now - PENDING_SECONDS:
            index = copy.copy(index)
            index.pending = {pk: t for pk, t in index.pending.items() if t >= now - PENDING_SECONDS}
        return index
    if len(rows) > MAX_INCREMENTAL or any(program_id is None for _, program_id in rows):
        schedule(rebuild)
        if not background():
            return _index or index
        return index
    pending = {pk: t for pk, t in index.pending.items() if t >= now - PENDING_SECONDS}
    cursor = index.cursor
    for pk, _ in rows:
        pending.pop(pk, None)
        if pk > cursor:
            pending.update((skipped, now) for skipped in range(cursor + 1, pk))
            cursor = pk
    patched = search_index.apply(index, {program_id for _, program_id in rows})
    patched.cursor, patched.pending = cursor, pending
    if max(len(patched.search_text.overlay), len(patched.geo.loose)) > MAX_OVERLAY:
        schedule(rebuild)  # fold the changed texts back into fresh blobs
    return patched


def changes_since(cursor: int, pending: list[int]) -> list[tuple[int, int | None]]:
    """Change-log rows (id, program id) after the cursor or among the ids
    still pending, in id order, at most MAX_INCREMENTAL + 1. Every search
    runs this, so it is one short statement rather than an ORM query (whose
    compilation cost more than running it)."""
    table = connection.ops.quote_name(SearchIndexChange._meta.db_table)
    where, params = "id > %s", [cursor]
    if pending:
        where += f" OR id IN ({', '.join(['%s'] * len(pending))})"
        params += pending
    sql = f"SELECT id, program_id FROM {table} WHERE {where} ORDER BY id LIMIT {MAX_INCREMENTAL + 1}"  # noqa: S608
    with connection.cursor() as cursor_:
        cursor_.execute(sql, params)
        return cursor_.fetchall()


def rebuild() -> None:
    """Build a fresh index and swap it in; the old index serves until then,
    and the next request applies the changes logged meanwhile."""
    global _index
    fresh = search_index.build()
    with _lock:
        _index = fresh


def check() -> None:
    """The once-a-minute safety net: rebuild when the published programs
    changed without a change-log row (a write that bypassed the signals)
    or this process missed pruned log rows; prune the log."""
    index = _index
    if index is None:
        return
    stamp = search_index.fingerprint()
    oldest = SearchIndexChange.objects.aggregate(low=Min("pk"))["low"]
    missed = oldest is not None and oldest > index.cursor + 1 and index.cursor > 0
    if missed or (stamp != index.fingerprint and not index.applied):
        rebuild()
        return
    index.fingerprint, index.applied = stamp, 0
    SearchIndexChange.objects.filter(created_at__lt=timezone.now() - LOG_RETENTION).delete()


def schedule(job) -> None:
    """Run a rebuild or check in a background thread (inline when
    DIRECTORY_INDEX_BACKGROUND is False); one at a time."""
    global _rebuild_thread
    if not background():
        job()
        return
    if not _rebuild_lock.acquire(blocking=False):
        return  # one is already running; it will see these changes too

    def run():
        try:
            job()
        except Exception:
            logger.exception("search index: background %s failed", job.__name__)
        finally:
            close_old_connections()
            connection.close()
            _rebuild_lock.release()

    _rebuild_thread = threading.Thread(target=run, name=f"search-index-{job.__name__}", daemon=True)
    _rebuild_thread.start()


def wait() -> None:
    """Wait for a background rebuild or check (tests, benchmarks, warm-up)."""
    thread = _rebuild_thread
    if thread is not None:
        thread.join()


def reset():
    """Forget this process's index (tests that rebuild the database)."""
    global _index
    wait()
    _index = None
