"""Warm a fresh worker before it serves: the ZIP and city tables and the
search index, so no visitor pays for them. gunicorn.conf.py loads the tables
in the master (shared by every worker) and the index in each worker, then
gc.freeze()s so the collector never rescans these long-lived objects."""

import ctypes
import ctypes.util
import gc
import logging

from directory import geo, places

from . import freshness

logger = logging.getLogger(__name__)


PLACE_TABLES = ["city_table", "county_table"]


def warm_up_tables() -> None:
    """The offline ZIP and place tables (no database needed)."""
    geo.zip_table()
    for table in PLACE_TABLES:
        getattr(places, table)()


def warm_up() -> None:
    warm_up_tables()
    try:
        freshness.current_index()
    except Exception:  # the database may be down at start; the first search builds it
        logger.exception("warm-up: could not build the search index")


def settle() -> None:
    """After a warm-up: collect once, move every live object into the
    collector's permanent generation (never rescanned, never written to by
    a collection, so pages shared with the master stay shared) and give
    freed memory back to the operating system."""
    gc.collect()
    gc.freeze()
    release_free_memory()


def release_free_memory() -> bool:
    """Return memory freed after a build (row buffers, sort keys) to the
    operating system: glibc keeps it in the heap otherwise, and it counts in
    the worker's resident size. No-op (False) off glibc."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return bool(libc.malloc_trim(0))
    except (OSError, AttributeError):
        return False
