"""Compact, copy-on-write columns for the search index (index.py).

At 100,000 listings a Python list of strings, a dict of ids and lists of
positions cost ~45 MB and ~600,000 objects the garbage collector walks.
These hold the same data in a few flat buffers (arrays and one bytes blob),
~10 MB and a handful of objects. Each column is immutable from a reader's
point of view: changes make a new column that shares the big buffers and
carries the few changed values in a small overlay, so a request holding
the old index never sees a half-applied change."""

import re
from array import array
from bisect import bisect_right

SEPARATOR = b"\x00"  # ends each text in the blob; never part of a name


class Positions:
    """Program id -> position in the index. A flat array indexed by id (4
    bytes per id up to the largest) when ids are dense, as database ids
    are; ids past its end, and every id of a sparse directory, in a dict."""

    __slots__ = ("slots", "extra")

    def __init__(self, slots: array, extra: dict[int, int]):
        self.slots = slots
        self.extra = extra

    @classmethod
    def of(cls, ids) -> "Positions":
        top = max(ids, default=-1)
        if top < 4 * len(ids) + 100_000:
            slots = array("i", [-1]) * (top + 1)
            for pos, pk in enumerate(ids):
                slots[pk] = pos
            return cls(slots, {})
        return cls(array("i"), {pk: pos for pos, pk in enumerate(ids)})

    def get(self, pk, default=None):
        if 0 <= pk < len(self.slots):
            pos = self.slots[pk]
            return pos if pos >= 0 else default
        return self.extra.get(pk, default)

    def __getitem__(self, pk) -> int:
        pos = self.get(pk)
        if pos is None:
            raise KeyError(pk)
        return pos

    def __contains__(self, pk) -> bool:
        return self.get(pk) is not None

    def with_position(self, pk: int, pos: int) -> "Positions":
        """A copy that also maps pk to pos (the array is copied only when
        pk falls inside it: 4 bytes per id, well under a millisecond)."""
        if 0 <= pk < len(self.slots):
            slots = array("i", self.slots)
            slots[pk] = pos
            return Positions(slots, self.extra)
        return Positions(self.slots, {**self.extra, pk: pos})


class Texts:
    """Strings by position: one UTF-8 blob (each text followed by a NUL)
    with an offsets array, plus an overlay of texts changed or added since
    the blob was built. `find` scans the blob in C (bytes.find)."""

    __slots__ = ("blob", "offsets", "overlay", "length")

    def __init__(self, blob: bytes, offsets: array, overlay: dict[int, str], length: int):
        self.blob, self.offsets, self.overlay, self.length = blob, offsets, overlay, length

    @classmethod
    def of(cls, texts) -> "Texts":
        builder = TextsBuilder()
        for text in texts:
            builder.append(text)
        return builder.build()

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, pos: int) -> str:
        if pos in self.overlay:
            return self.overlay[pos]
        if not 0 <= pos < len(self.offsets) - 1:
            raise IndexError(pos)
        return self.blob[self.offsets[pos] : self.offsets[pos + 1] - 1].decode()

    def with_text(self, pos: int, text: str) -> "Texts":
        """A copy with the text at pos replaced (pos == len appends)."""
        length = max(self.length, pos + 1)
        return Texts(self.blob, self.offsets, {**self.overlay, pos: text.replace("\x00", "")}, length)

    def find(self, needle: str) -> list[int]:
        """Positions whose text contains needle, in position order."""
        found = []
        if not needle:
            return list(range(self.length))
        if "\x00" in needle:  # texts never hold one; in the blob it ends a text
            return found
        encoded = needle.encode()
        blob, offsets, overlay = self.blob, self.offsets, self.overlay
        start = blob.find(encoded)
        while start != -1:
            pos = bisect_right(offsets, start) - 1
            if pos not in overlay:
                found.append(pos)
            start = blob.find(encoded, offsets[pos + 1])
        if overlay:
            found.extend(pos for pos, text in overlay.items() if needle in text)
            found.sort()
        return found


class TextsBuilder:
    """Texts appended one at a time straight into the blob (no list of
    100,000 strings while an index is built)."""

    def __init__(self):
        self.blob = bytearray()
        self.offsets = array("I", [0])  # 4 bytes each: a blob stays far below 4 GB

    def append(self, text: str) -> None:
        self.blob += text.replace("\x00", "").encode()
        self.blob += SEPARATOR
        self.offsets.append(len(self.blob))

    def build(self) -> Texts:
        return Texts(bytes(self.blob), self.offsets, {}, len(self.offsets) - 1)


WORD_RE = re.compile(r"\w+")
FREQUENT = 64  # a word in more than 1/64 of the texts keeps a bitset instead of a list


class Words:
    """Which texts contain each word, so a name search reads a few lists
    instead of scanning every text (a 4.7 MB blob at 100,000 programs took
    5-8 ms to scan, whatever the needle). Words are maximal runs of \\w in
    the texts as built; each distinct word is stored once, in a NUL
    separated blob searched in C. Frequent words keep a bitset, the others
    their positions in one flat array (CSR)."""

    __slots__ = ("blob", "offsets", "postings", "posting_offsets", "bitsets", "size")

    def __init__(self, blob, offsets, postings, posting_offsets, bitsets, size):
        self.blob, self.offsets = blob, offsets
        self.postings, self.posting_offsets = postings, posting_offsets
        self.bitsets, self.size = bitsets, size

    def containing(self, piece: str, limit: int) -> int | None:
        """Bitset of the texts (as built) with a word containing piece, or
        None when more than `limit` word occurrences would have to be read
        (a piece of a letter or two: scanning the texts is cheaper)."""
        encoded = piece.encode()
        blob, offsets, posting_offsets = self.blob, self.offsets, self.posting_offsets
        bits, rare, read = 0, [], 0
        start = blob.find(encoded)
        while start != -1:
            word = bisect_right(offsets, start) - 1
            if word in self.bitsets:
                bits |= self.bitsets[word]
                read += self.size // FREQUENT
            else:
                rare.append(word)
                read += posting_offsets[word + 1] - posting_offsets[word]
            if read > limit:
                return None
            start = blob.find(encoded, offsets[word + 1])
        if rare:
            marks = bytearray(self.size // 8 + 1)
            postings = self.postings
            for word in rare:
                for pos in postings[posting_offsets[word] : posting_offsets[word + 1]]:
                    marks[pos >> 3] |= 1 << (pos & 7)
            bits |= int.from_bytes(marks, "little")
        return bits


class WordsBuilder:
    """Texts' words added one text at a time (positions in order)."""

    def __init__(self):
        self.lists: dict[str, array] = {}
        self.size = 0

    def add(self, pos: int, text: str) -> None:
        for word in set(WORD_RE.findall(text)):
            found = self.lists.get(word)
            if found is None:
                found = self.lists[word] = array("i")
            found.append(pos)
        self.size = pos + 1

    def build(self) -> Words:
        blob, offsets = bytearray(), array("I", [0])
        postings, posting_offsets, bitsets = array("i"), array("I", [0]), {}
        frequent = self.size // FREQUENT
        for number, word in enumerate(sorted(self.lists)):
            positions = self.lists.pop(word)
            blob += word.encode() + SEPARATOR
            offsets.append(len(blob))
            if len(positions) > frequent:
                marks = bytearray(self.size // 8 + 1)
                for pos in positions:
                    marks[pos >> 3] |= 1 << (pos & 7)
                bitsets[number] = int.from_bytes(marks, "little")
            else:
                postings.extend(positions)
            posting_offsets.append(len(postings))
        return Words(bytes(blob), offsets, postings, posting_offsets, bitsets, self.size)
