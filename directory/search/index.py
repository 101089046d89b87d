"""The directory search's in-memory index: facet counts, name search and
result order without SQL.

Counting "how many results would choosing this option give" for ~100
options with SQL costs one GROUP BY scan per vocabulary, which at 100,000
programs takes hundreds of milliseconds on SQLite. Instead each process
keeps, for every vocabulary term and flag (directory/vocabularies.py), the
set of listed programs (published and contactable: ProgramQuerySet.listed,
the same rule as the FilterSet's base queryset) that have it as a Python
integer bitset (bit i = the program at position i). A search's counts are then ANDs and popcounts:
microseconds. The index also holds the vocabulary terms, so a search does
not query them either.

Keeping it fresh is freshness.py's job (the change log, catch-up,
background rebuilds)."""

import bisect
import copy
import re
import time
from array import array
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Case, Count, Max, Value, When

from directory import vocabularies
from directory.models import Program, SearchIndexChange, name_order_key

from .columns import WORD_RE, Positions, Texts, TextsBuilder, Words, WordsBuilder
from .geo_grid import GeoGrid, GeoGridBuilder, grid_order

VERIFY_SHARE = 20  # a name search testing more than 1/20 of the texts one by one scans them all instead


def _ordinal(day) -> int:
    """A verification date as a day number (0 = never verified)."""
    return day.toordinal() if day else 0


def _verified_key(verified: int, name, pk):
    return (-(verified or 1), *name_order_key(name), pk)


@dataclass
class FacetIndex:
    """Compact columns (columns.py): ~10 MB and a few dozen objects
    at 100,000 programs."""

    cursor: int  # the last change-log id applied
    fingerprint: tuple
    checked_at: float
    positions: Positions  # program id -> position (kept when unpublished)
    everything: int = 0  # positions of listed programs (published and contactable)
    terms: dict[str, dict[int, int]] = field(default_factory=dict)  # relation -> term id -> bits
    flags: dict[str, int] = field(default_factory=dict)  # flag param -> bits
    vocabularies: dict[str, list] = field(default_factory=dict)  # relation -> terms in order
    ids: array = field(default_factory=lambda: array("q"))  # position -> program id
    names: Texts = field(default_factory=lambda: Texts.of([]))  # position -> name, for ordering
    verified: array = field(default_factory=lambda: array("i"))  # position -> verified day number (0 = never)
    search_text: Texts = field(default_factory=lambda: Texts.of([]))  # casefolded names, for the text filter
    words: Words = field(default_factory=lambda: WordsBuilder().build())  # the words of search_text as built
    by_name: array = field(default_factory=lambda: array("i"))  # published positions in name order
    by_verified: array = field(default_factory=lambda: array("i"))  # most recently verified first
    geo: GeoGrid = field(default_factory=GeoGrid)  # coordinates; positions are in grid order (geo_grid.py)
    pending: dict[int, float] = field(default_factory=dict)  # skipped change id -> when first missed
    applied: int = 0  # changes applied since the last check (for the safety net)

    @property
    def size(self) -> int:
        return len(self.ids)

    def name_key(self, pos: int) -> tuple:
        """The name order's key (models.PROGRAM_NAME_ORDER) of a position."""
        return *name_order_key(self.names[pos]), self.ids[pos]

    def text_positions(self, text: str) -> list[int]:
        """Positions whose program, second or organization name contains
        `text` (case-insensitive): a scan of one in-memory blob."""
        return self.search_text.find(text.casefold())

    def text_bits(self, text: str) -> int:
        """The positions of text_positions(text) as a bitset, from the word
        lists: a needle within one word ("harbor") is exactly the texts with
        a word containing it; a longer one ("st. mary") is looked for only
        in texts having a word with each of its pieces. Texts changed since
        the build (the overlay) are tested on their own; a needle of no
        word characters, or only very common pieces, scans every text."""
        needle = text.casefold()
        texts = self.search_text
        pieces = sorted(set(WORD_RE.findall(needle)), key=len, reverse=True)
        bits = None
        if "\x00" not in needle:
            for piece in pieces:
                found = self.words.containing(piece, limit=self.size)
                if found is not None:
                    bits = found if bits is None else bits & found
        exact = pieces == [needle]
        if bits is None or (not exact and bits.bit_count() > self.size // VERIFY_SHARE):
            return self.bits_for_positions(texts.find(needle))
        overlay = texts.overlay
        if not exact:
            bits = self.bits_for_positions(
                pos for pos in set_positions(bits) if pos not in overlay and needle in texts[pos]
            )
        if overlay:
            marks = bytearray(as_bytes(bits, self))
            for pos, changed in overlay.items():
                if pos < len(marks) * 8:
                    marks[pos >> 3] &= ~(1 << (pos & 7)) & 0xFF
                    if needle in changed:
                        marks[pos >> 3] |= 1 << (pos & 7)
            bits = int.from_bytes(marks, "little")
        return bits

    def bits_for_positions(self, positions) -> int:
        marks = bytearray(self.size // 8 + 1)
        for pos in positions:
            marks[pos >> 3] |= 1 << (pos & 7)
        return int.from_bytes(marks, "little")

    def published_ids(self) -> set[int]:
        marks = as_bytes(self.everything, self)
        return {pk for pos, pk in enumerate(self.ids) if marks[pos >> 3] >> (pos & 7) & 1}


def set_positions(bits: int):
    """The positions of a bitset's set bits, in order (the zero bytes are
    skipped in C)."""
    marks = bits.to_bytes((bits.bit_length() + 7) // 8 or 1, "little")
    for match in NONZERO_BYTE.finditer(marks):
        base, byte = match.start() << 3, marks[match.start()]
        for bit in range(8):
            if byte >> bit & 1:
                yield base + bit


NONZERO_BYTE = re.compile(rb"[^\x00]")


def as_bytes(bits: int, index: FacetIndex) -> bytes:
    """A bitset as bytes (bit i is byte i >> 3, bit i & 7), for testing
    single positions cheaply."""
    return bits.to_bytes(index.size // 8 + 1, "little")


def flag_annotations() -> dict:
    return {
        f"flag_{flag.param}": Case(When(flag.condition, then=Value(True)), default=Value(False))
        for flag in vocabularies.FLAGS
    }


FLAGS_START = 7  # _program_rows: id, name, second name, organization, verified, latitude, longitude, flags


def _program_rows(programs):
    flags = flag_annotations()
    return programs.annotate(**flags).values_list(
        "pk", "name", "alternate_name", "organization__name", "verified_at", "latitude", "longitude", *flags
    )


def _point(row) -> tuple[float, float] | None:
    return None if row[5] is None or row[6] is None else (row[5], row[6])


def _search_text(row) -> str:
    return "\n".join(filter(None, row[1:4])).casefold()


def program_links(program_ids) -> dict[str, dict[int, set[int]]]:
    """relation -> program id -> term ids, for a few programs, in one query
    (UNION ALL over the vocabularies' link tables)."""
    links: dict[str, dict[int, set[int]]] = {}
    program_ids = list(program_ids)
    if not program_ids:
        return links
    quote = connection.ops.quote_name
    marks = ", ".join(["%s"] * len(program_ids))
    # Identifiers come from the models' metadata; the ids are parameters.
    parts = [
        f"SELECT {number}, {quote('program_id')}, {quote(vocabulary.term_column)} "  # noqa: S608
        f"FROM {quote(vocabulary.through._meta.db_table)} WHERE {quote('program_id')} IN ({marks})"
        for number, vocabulary in enumerate(vocabularies.VOCABULARIES)
    ]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), program_ids * len(parts))
        for number, program_id, term_id in cursor.fetchall():
            relation = vocabularies.VOCABULARIES[number].relation
            links.setdefault(relation, {}).setdefault(program_id, set()).add(term_id)
    return links


def apply(index: FacetIndex, program_ids: set[int]) -> FacetIndex:
    """A copy of the index with these programs' bits and order updated
    from the database (copy-on-write: readers of `index` are unaffected;
    the order arrays are copied only when a name, verification date or new
    program changes them; texts change through small overlays). Two
    queries."""
    ids = sorted(program_ids)
    rows = {row[0]: row for row in _program_rows(Program.objects.listed().filter(pk__in=ids))}
    links = program_links(rows)

    new = copy.copy(index)
    new.terms = {relation: dict(bits) for relation, bits in index.terms.items()}
    new.flags = dict(index.flags)
    published = as_bytes(index.everything, index)
    owned = set()

    def own(*names):
        for name in names:
            if name not in owned:
                owned.add(name)
                setattr(new, name, array(getattr(index, name).typecode, getattr(index, name)))

    for pk in ids:
        row = rows.get(pk)
        pos = new.positions.get(pk)
        verified = _ordinal(row[4]) if row is not None else 0
        was_published = pos is not None and pos < index.size and published[pos >> 3] >> (pos & 7) & 1
        same_place = (
            row is not None and was_published and (new.names[pos], new.verified[pos]) == (row[1], verified)
        )
        if was_published and not same_place:
            own("by_name", "by_verified")
            new.by_name.remove(pos)
            new.by_verified.remove(pos)
        if row is None:  # unpublished or deleted: clear every bit
            if pos is not None:
                clear = ~(1 << pos)
                new.everything &= clear
                for bits_by_term in new.terms.values():
                    for term_id, bits in bits_by_term.items():
                        if bits >> pos & 1:
                            bits_by_term[term_id] = bits & clear
                for name, bits in new.flags.items():
                    new.flags[name] = bits & clear
            continue
        if pos is None:
            own("ids", "verified")
            pos = len(new.ids)
            new.positions = new.positions.with_position(pk, pos)
            new.ids.append(pk)
            new.verified.append(0)
            new.names = new.names.with_text(pos, "")
            new.search_text = new.search_text.with_text(pos, "")
        text = _search_text(row)
        if new.names[pos] != row[1]:
            new.names = new.names.with_text(pos, row[1])
        if new.search_text[pos] != text:
            new.search_text = new.search_text.with_text(pos, text)
        if new.verified[pos] != verified:
            own("verified")
            new.verified[pos] = verified
        if not same_place:
            own("by_name", "by_verified")
            names, pks = new.names, new.ids
            bisect.insort(new.by_name, pos, key=lambda p: (*name_order_key(names[p]), pks[p]))
            verified_order = new.verified
            bisect.insort(
                new.by_verified, pos, key=lambda p: _verified_key(verified_order[p], names[p], pks[p])
            )
        bit = 1 << pos
        new.everything |= bit
        for vocabulary in vocabularies.VOCABULARIES:
            bits_by_term = new.terms.setdefault(vocabulary.relation, {})
            wanted = links.get(vocabulary.relation, {}).get(pk, set())
            for term_id in set(bits_by_term) | wanted:
                bits = bits_by_term.get(term_id, 0)
                if term_id in wanted:
                    if not bits >> pos & 1:
                        bits_by_term[term_id] = bits | bit
                elif bits >> pos & 1:
                    bits_by_term[term_id] = bits & ~bit
        if pos == len(new.geo.latitude) or new.geo.point(pos) != _point(row):
            if new.geo is index.geo:
                new.geo = index.geo.copy()
            new.geo.set_point(pos, row[5], row[6])
        for flag, has_flag in zip(vocabularies.FLAGS, row[FLAGS_START:], strict=True):
            bits = new.flags.get(flag.param, 0)
            if bool(bits >> pos & 1) != bool(has_flag):
                new.flags[flag.param] = bits | bit if has_flag else bits & ~bit
    new.applied = index.applied + len(ids)
    return new


# Building ---------------------------------------------------------------------
def fingerprint() -> tuple:
    stats = Program.objects.listed().aggregate(n=Count("pk"), last=Max("updated_at"), top=Max("pk"))
    return (stats["n"], stats["last"], stats["top"])


def last_change_id() -> int:
    return SearchIndexChange.objects.aggregate(top=Max("pk"))["top"] or 0


def build() -> FacetIndex:
    """The whole index from the database. Its cursor is the last change
    logged before reading, so changes made meanwhile are applied after.
    Rows are streamed into flat columns (no list of 100,000 row tuples),
    so building costs little more memory than the index itself."""
    cursor = last_change_id()
    stamp = fingerprint()
    ids, verified = array("q"), array("i")  # day numbers fit in 4 bytes
    names, texts, words, grid = TextsBuilder(), TextsBuilder(), WordsBuilder(), GeoGridBuilder()
    flag_positions = [array("i") for _ in vocabularies.FLAGS]
    programs = Program.objects.listed().order_by(*grid_order())
    for pos, row in enumerate(_program_rows(programs).iterator(5000)):
        ids.append(row[0])
        names.append(row[1])
        verified.append(_ordinal(row[4]))
        text = _search_text(row)
        texts.append(text)
        words.add(pos, text)
        grid.append(row[5], row[6])
        for positions, has_flag in zip(flag_positions, row[FLAGS_START:], strict=True):
            if has_flag:
                positions.append(pos)
    index = FacetIndex(
        cursor=cursor, fingerprint=stamp, checked_at=time.monotonic(), positions=Positions.of(ids)
    )
    count = len(ids)
    index.everything = (1 << count) - 1
    index.ids, index.verified = ids, verified
    index.names, index.search_text, index.geo = names.build(), texts.build(), grid.build()
    index.words = words.build()
    del names, texts, words, grid
    # Positions are in grid order: sorted by id first, stable sorts by the
    # exact name and then by the name without case give (name without case,
    # name, id), and a stable sort of that by date gives (date desc, ...):
    # the same orders as name_key and _verified_key, without a key tuple per
    # program.
    by_name = sorted(range(count), key=ids.__getitem__)
    by_name.sort(key=index.names.__getitem__)
    by_name.sort(key=lambda pos: index.names[pos].lower())
    index.by_name = array("i", by_name)
    index.by_verified = array("i", sorted(by_name, key=lambda pos: -(verified[pos] or 1)))
    del by_name
    for vocabulary in vocabularies.VOCABULARIES:
        index.vocabularies[vocabulary.relation] = list(vocabulary.model.objects.all())
        marks: dict[int, bytearray] = {}
        pairs = vocabulary.through.objects.values_list("program_id", vocabulary.term_column)
        slots, extra, top = index.positions.slots, index.positions.extra, len(index.positions.slots)
        for program_id, term_id in pairs.iterator(10_000):
            pos = slots[program_id] if program_id < top else extra.get(program_id, -1)
            if pos >= 0:
                term_marks = marks.get(term_id)
                if term_marks is None:
                    term_marks = marks[term_id] = bytearray(count // 8 + 1)
                term_marks[pos >> 3] |= 1 << (pos & 7)
        index.terms[vocabulary.relation] = {
            term_id: int.from_bytes(term_marks, "little") for term_id, term_marks in marks.items()
        }
    for flag, positions in zip(vocabularies.FLAGS, flag_positions, strict=True):
        index.flags[flag.param] = index.bits_for_positions(positions)
    return index
