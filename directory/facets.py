"""Facet counts for the directory search, from an in-memory bitset index.

Counting "how many results would choosing this option give" for ~100
options with SQL costs one GROUP BY scan per vocabulary, which at 100,000
programs takes hundreds of milliseconds on SQLite. Instead each process
keeps, for every vocabulary term and flag, the set of published programs
that have it as a Python integer bitset (bit i = i-th published program).
A search's counts are then ANDs and popcounts: microseconds. The index also
holds the vocabulary terms, so a search does not query them either.

Freshness: saving a program or a term bumps a version in the shared cache
(Redis in production, so every app server sees it) and each process
rebuilds when the version changes. Bulk writers (the importer, demo data)
call invalidate() too; as a safety net a process also compares a database
fingerprint of the published programs once a minute.

When the cache is unreachable, search keeps its local index: it stops
reading the version and checks the database fingerprint every
LOCAL_RECHECK_SECONDS instead (a cheap aggregate), and the outage is logged
once per CACHE_RETRY_SECONDS, not per request."""

import logging
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import date

from django.core.cache import cache
from django.db.models import Count, Max

from config.cache import cache_available

from .models import Accreditation, Language, LevelOfCare, Medication, PaymentOption, Population, Program

logger = logging.getLogger(__name__)

VERSION_KEY = "directory:search-index-version"
RECHECK_SECONDS = 60
LOCAL_RECHECK_SECONDS = 5  # while the cache is unreachable
CACHE_RETRY_SECONDS = 15
LOCAL_VERSION = "local"  # the version of an index built while the cache was down
TERM_MODELS = [LevelOfCare, Medication, PaymentOption, Population, Language, Accreditation]

_lock = threading.Lock()
_index: "FacetIndex | None" = None
_cache_down_until = 0.0


@dataclass
class FacetIndex:
    version: str
    fingerprint: tuple
    checked_at: float
    positions: dict[int, int]
    everything: int = 0
    terms: dict[str, dict[int, int]] = field(default_factory=dict)  # relation -> term id -> bits
    flags: dict[str, int] = field(default_factory=dict)
    vocabularies: dict[type, list] = field(default_factory=dict)  # term model -> terms in order
    ids: list[int] = field(default_factory=list)  # position -> program id
    names: list[str] = field(default_factory=list)  # position -> name, for sorting name matches
    verified: list = field(default_factory=list)  # position -> verified_at
    search_text: list[str] = field(default_factory=list)  # position -> casefolded names for the text filter
    by_name: list[int] = field(default_factory=list)  # positions in name order
    by_verified: list[int] = field(default_factory=list)  # positions, most recently verified first

    def text_positions(self, text: str) -> list[int]:
        """Positions whose program, second or organization name contains
        `text` (case-insensitive): a scan of in-memory strings."""
        needle = text.casefold()
        return [pos for pos, haystack in enumerate(self.search_text) if needle in haystack]

    def bits_for_positions(self, positions) -> int:
        marks = bytearray(len(self.positions) // 8 + 1)
        for pos in positions:
            marks[pos >> 3] |= 1 << (pos & 7)
        return int.from_bytes(marks, "little")

    def bits_for(self, ids) -> int:
        marks = bytearray(len(self.positions) // 8 + 1)
        positions = self.positions
        for pk in ids:
            pos = positions.get(pk)
            if pos is not None:
                marks[pos >> 3] |= 1 << (pos & 7)
        return int.from_bytes(marks, "little")


def as_bytes(bits: int, index: FacetIndex) -> bytes:
    """A bitset as bytes (bit i is byte i >> 3, bit i & 7), for testing
    single positions cheaply."""
    return bits.to_bytes(len(index.positions) // 8 + 1, "little")


def _cache_failed(error) -> None:
    global _cache_down_until
    if time.monotonic() >= _cache_down_until:
        logger.warning(
            "Search index version unavailable (%s); using the local index for %d s.",
            type(error).__name__,
            CACHE_RETRY_SECONDS,
        )
    _cache_down_until = time.monotonic() + CACHE_RETRY_SECONDS


class CacheDown(Exception):
    pass


def invalidate() -> None:
    global _index
    try:
        cache.set(VERSION_KEY, uuid.uuid4().hex, None)
        if not cache_available(cache):
            raise CacheDown("cache reported an outage")
    except Exception as error:  # noqa: BLE001 - any cache failure: this process rebuilds on its own
        _cache_failed(error)
        _index = None  # other processes notice through their fingerprint check


def current_version() -> str | None:
    """The shared index version, or None while the cache is unreachable."""
    if time.monotonic() < _cache_down_until:
        return None
    try:
        version = cache.get(VERSION_KEY)
        if version is None:
            version = uuid.uuid4().hex
            cache.add(VERSION_KEY, version, None)
            version = cache.get(VERSION_KEY, version)
        if not cache_available(cache):
            raise CacheDown("cache reported an outage")
    except Exception as error:  # noqa: BLE001 - any cache failure means "no shared version"
        _cache_failed(error)
        return None
    return version


def fingerprint() -> tuple:
    stats = Program.objects.published().aggregate(n=Count("pk"), last=Max("updated_at"), top=Max("pk"))
    return (stats["n"], stats["last"], stats["top"])


def current_index(*, flags) -> FacetIndex:
    global _index
    version, index = current_version(), _index
    if version is None:  # cache down: keep the local index, recheck the database more often
        version = index.version if index is not None else LOCAL_VERSION
        recheck = LOCAL_RECHECK_SECONDS
    else:
        recheck = RECHECK_SECONDS
    if index is not None and index.version == version:
        if time.monotonic() - index.checked_at < recheck:
            return index
        if fingerprint() == index.fingerprint:
            index.checked_at = time.monotonic()
            return index
    with _lock:
        if _index is None or _index.version != version or _index is index:
            _index = build(version, flags=flags)
        return _index


def vocabulary(model) -> list:
    """The terms of one vocabulary, in display order, from the index."""
    from .filters import ProgramFilter

    return current_index(flags=ProgramFilter.FLAGS).vocabularies[model]


def build(version, *, flags) -> FacetIndex:
    published = Program.objects.published()
    stamp = fingerprint()
    rows = list(
        published.order_by("pk").values_list(
            "pk", "name", "alternate_name", "organization__name", "verified_at"
        )
    )
    ids = [row[0] for row in rows]
    index = FacetIndex(
        version=version,
        fingerprint=stamp,
        checked_at=time.monotonic(),
        positions={pk: i for i, pk in enumerate(ids)},
    )
    index.everything = (1 << len(ids)) - 1
    index.ids = ids
    index.names = [row[1] for row in rows]
    index.verified = [row[4] for row in rows]
    index.search_text = ["\n".join(filter(None, row[1:4])).casefold() for row in rows]
    index.by_name = sorted(range(len(ids)), key=lambda pos: (index.names[pos], ids[pos]))
    index.by_verified = sorted(index.by_name, key=lambda pos: index.verified[pos] or date.min, reverse=True)
    for model in TERM_MODELS:
        index.vocabularies[model] = list(model.objects.all())
    for relation_field in Program._meta.many_to_many:
        if relation_field.related_model not in TERM_MODELS:
            continue
        through = relation_field.remote_field.through
        by_term: dict[int, list[int]] = {}
        rows = through.objects.values_list("program_id", relation_field.m2m_reverse_name())
        for program_id, term_id in rows.iterator(10_000):
            by_term.setdefault(term_id, []).append(program_id)
        index.terms[relation_field.name] = {term_id: index.bits_for(pks) for term_id, pks in by_term.items()}
    for name, condition in flags.items():
        index.flags[name] = index.bits_for(
            published.filter(condition).values_list("pk", flat=True).iterator()
        )
    return index


def reset():
    """Forget this process's index (tests that rebuild the database)."""
    global _index, _cache_down_until
    _index = None
    _cache_down_until = 0.0
