"""Compact, copy-on-write columns for the search index (facets.py).

At 100,000 listings a Python list of strings, a dict of ids and lists of
positions cost ~45 MB and ~600,000 objects the garbage collector walks.
These hold the same data in a few flat buffers (arrays and one bytes blob),
~10 MB and a handful of objects. Each column is immutable from a reader's
point of view: changes make a new column that shares the big buffers and
carries the few changed values in a small overlay, so a request holding
the old index never sees a half-applied change."""

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
        self.offsets = array("q", [0])

    def append(self, text: str) -> None:
        self.blob += text.replace("\x00", "").encode()
        self.blob += SEPARATOR
        self.offsets.append(len(self.blob))

    def build(self) -> Texts:
        return Texts(bytes(self.blob), self.offsets, {}, len(self.offsets) - 1)
