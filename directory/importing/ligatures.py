"""PDF-scrape ligature damage in names, streets and cities.

Text scraped from SAMHSA's annual directory PDF loses its ligatures: "ff",
"fi", "fl", "ft", "ffi" and "ffl" come out as a stray glyph ("Je˜erson"
for "Jefferson", "Spring˝eld" for "Springfield", "Cli˝on" for "Clifton").
Real ligature characters (U+FB00-FB06) are expanded as they stand for one
spelling only. A damaged word is repaired when exactly one way of reading
its glyphs gives a known word: the city, county and place words of the ZIP
table plus the words of facility names and streets below. Otherwise the
text is kept as it is and the caller flags it."""

import re
from dataclasses import dataclass
from functools import cache
from itertools import product

from directory import geo

# Glyphs seen in place of a ligature in PDF-scraped text.
DAMAGE_GLYPHS = "˝˜˚˙ˆˇ˘˛"
# What each glyph can stand for.
READINGS = ("ff", "fi", "fl", "ft", "ffi", "ffl")
# Real ligature characters: one reading each.
LIGATURES = {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "ft", "ﬆ": "st"}

_WORD = re.compile(rf"[A-Za-z{DAMAGE_GLYPHS}]*[{DAMAGE_GLYPHS}][A-Za-z{DAMAGE_GLYPHS}]*")
_LIGATURE = re.compile("[" + "".join(LIGATURES) + "]")

# Words with an f-ligature in facility names and street addresses (the ZIP
# table brings the place names: Jefferson, Springfield, Clifton, Bluffton...).
_COMMON_WORDS = """
affair affairs affiliate affiliated affiliates affirm affordable after aftercare afternoon airfield
benefit benefits bluff bluffs buffalo certified chief cliff cliffs clifford clifton confidential
craft crafts croft crofton cuff daffodil deerfield different difficult drift duffy effective
effort efforts fairfield fiddler field fields fiesta fifteenth fifth fiftieth fifty fig filbert
final finance financial find fine finest fir fire firehouse firm first fish fisher fisk fitness
gift gifts five flag flagler flat flats fleet flight flint floor flora floral flower flowers fluff
griffin griffith hartford hayloft hoffman huffman jefferson kauffman left lifeline lift lifting
lofts loft mansfield marshfield mifflin office officer offices official offutt official pacific
plainfield profile ridgefield ruffin safflower scaffold shaft shaffer sheffield sheriff sheriffs
shift shifts shiftwork sniffen soft specific springfield staff stafford staffing stiff suffolk
summerfield swift taft terrific thrift tiffany tiffin traffic trafford truffle tuft waffle westfield
wharf whiff wolff
"""
COMMON_WORDS = frozenset(_COMMON_WORDS.split())


@cache
def known_words() -> frozenset[str]:
    words = set(COMMON_WORDS)
    for info in geo.zip_table().values():
        for text in (info.city, info.county):
            words.update(w for w in re.split(r"[^a-z]+", text.casefold()) if len(w) > 1)
    return frozenset(words)


@dataclass
class Repair:
    text: str  # the text with what could be repaired repaired
    repaired: list[tuple[str, str]]  # (damaged word, repair)
    unsure: list[str]  # damaged words left as they are


def _cased(reading: str, word: str, position: int) -> str:
    """The reading in the case of the word around it."""
    letters = [c for c in word if c.isalpha() and c not in DAMAGE_GLYPHS]
    if letters and all(c.isupper() for c in letters):
        return reading.upper()
    if position == 0 and letters:
        return reading.capitalize()  # "˝rst Street": the word's first letters
    return reading


def _readings(word: str) -> set[str]:
    """Every spelling of the word with each glyph read as a ligature, that
    is a known word (compared without case)."""
    glyphs = [i for i, c in enumerate(word) if c in DAMAGE_GLYPHS]
    if len(glyphs) > 3:
        return set()
    found = set()
    words = known_words()
    for choice in product(READINGS, repeat=len(glyphs)):
        parts, last = [], 0
        for index, reading in zip(glyphs, choice, strict=True):
            parts.append(word[last:index])
            parts.append(_cased(reading, word, index))
            last = index + 1
        parts.append(word[last:])
        candidate = "".join(parts)
        if candidate.casefold() in words:
            found.add(candidate)
    return found


def repair(text: str) -> Repair:
    """Real ligature characters expanded; each damaged word repaired when
    exactly one reading is a known word, else kept and listed as unsure."""
    result = Repair(_LIGATURE.sub(lambda m: LIGATURES[m.group()], text or ""), [], [])
    if not any(glyph in result.text for glyph in DAMAGE_GLYPHS):
        return result

    def fix(match: re.Match) -> str:
        word = match.group()
        readings = _readings(word)
        if len(readings) == 1:
            (fixed,) = readings
            result.repaired.append((word, fixed))
            return fixed
        result.unsure.append(word)
        return word

    result.text = _WORD.sub(fix, result.text)
    return result
