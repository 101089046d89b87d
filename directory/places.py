"""Offline place lookup for search: a US ZIP code, "City, ST", a city
alone, or a county becomes a point, from the ZIP centroids in
geo.zip_table() (loaded once per process). When the text is ambiguous
("Springfield") or misspelled ("Atlnta"), `suggest` offers "City, ST"
choices instead of a dead end."""

import difflib
import re
from array import array
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from . import geo

COORDS_RE = re.compile(r"^\s*(-?\d{1,2}(?:\.\d{1,6})?)\s*,\s*(-?\d{1,3}(?:\.\d{1,6})?)\s*$")
CITY_STATE_RE = re.compile(r"^\s*(?P<city>[A-Za-z][A-Za-z .'\-]{0,60}?)\s*,?\s+(?P<state>[A-Za-z]{2})\s*$")
CITY_RE = re.compile(r"^\s*[A-Za-z][A-Za-z .'\-]{0,60}\s*$")
COUNTY_RE = re.compile(r"\s+(county|parish|borough)$")
MAX_SUGGESTIONS = 8
ABBREVIATIONS = {"st": "saint", "ste": "sainte", "ft": "fort", "mt": "mount"}


@dataclass(frozen=True)
class Place:
    label: str
    latitude: float
    longitude: float


def normalize_city(city: str) -> str:
    """'St. Louis', 'st louis' and 'Saint Louis' all become 'saint louis'."""
    words = city.lower().replace(".", " ").split()
    return " ".join(ABBREVIATIONS.get(word, word) for word in words)


class PlaceTable(Mapping):
    """(name, state) -> (latitude, longitude), the mean of the place's ZIP
    centroids, with how many ZIP codes it has. ~30,000 places: one dict from
    "name<TAB>ST" to a slot and three flat arrays, instead of a tuple key, a
    tuple value and two floats per place (less than half the memory, and
    every worker keeps it)."""

    def __init__(self, key_of):
        # Running sums straight into the arrays, then divided: no list of
        # points per place while building (those cost ~15 MB the process
        # then kept).
        self._slots: dict[str, int] = {}
        self._latitude, self._longitude, self._zips = array("d"), array("d"), array("i")
        for city, state, county, lat, lng in geo.zip_table().places():
            if name := key_of(city, county):
                key = f"{name}\t{state}"
                slot = self._slots.get(key)
                if slot is None:
                    self._slots[key] = len(self._zips)
                    self._latitude.append(lat)
                    self._longitude.append(lng)
                    self._zips.append(1)
                else:
                    self._latitude[slot] += lat
                    self._longitude[slot] += lng
                    self._zips[slot] += 1
        for slot, count in enumerate(self._zips):
            self._latitude[slot] /= count
            self._longitude[slot] /= count
        self.states = tuple(sorted({key.rpartition("\t")[2] for key in self._slots}))

    def __getitem__(self, key: tuple[str, str]) -> tuple[float, float]:
        slot = self._slots[f"{key[0]}\t{key[1]}"]
        return self._latitude[slot], self._longitude[slot]

    def __iter__(self):
        for key in self._slots:
            name, _, state = key.rpartition("\t")
            yield name, state

    def __len__(self) -> int:
        return len(self._slots)

    def states_of(self, name: str) -> tuple[str, ...]:
        """The states with a place of this name, the one with most ZIP codes
        first ("atlanta" -> GA, then TX, ...): a lookup per state, so no
        second table of names is kept."""
        found = []
        for state in self.states:
            slot = self._slots.get(f"{name}\t{state}")
            if slot is not None:
                found.append((-self._zips[slot], state))
        return tuple(state for _, state in sorted(found))

    def names(self, state: str | None = None) -> set[str]:
        """Every place name (in one state), for spelling suggestions."""
        names = set()
        for key in self._slots:
            name, _, in_state = key.rpartition("\t")
            if state in (None, in_state):
                names.add(name)
        return names


@cache
def city_table() -> PlaceTable:
    """("saint louis", "MO") -> the mean of the city's ZIP centroids."""
    return PlaceTable(lambda city, county: normalize_city(city))


@cache
def county_table() -> PlaceTable:
    """("fulton", "GA") -> the mean of the county's ZIP centroids."""
    return PlaceTable(lambda city, county: _county_key(county))


def states_by_city(name: str) -> tuple[str, ...]:
    """ "atlanta" -> ("GA", "TX", ...), largest first."""
    return city_table().states_of(name)


def states_by_county(county: str) -> tuple[str, ...]:
    return county_table().states_of(county)


def _county_key(text: str) -> str:
    """'Fulton County' and 'fulton' both become 'fulton'."""
    return COUNTY_RE.sub("", normalize_city(text or ""))


def _city_label(city: str, state: str) -> str:
    return f"{city.title()}, {state}"


def resolve(text: str) -> Place | None:
    """A Place for a ZIP code (ZIP+4 accepted), "City, ST", a city found in
    one state only, a county ("Fulton County, GA"), or "lat,lng"; else None
    (then `suggest` has the choices)."""
    text = (text or "").strip()[:100]
    if match := COORDS_RE.match(text):  # from "Use my location"
        lat, lng = float(match[1]), float(match[2])
        if -90 <= lat <= 90 and -180 <= lng <= 180:
            return Place("your location", lat, lng)
        return None
    if text[:5].isdigit():
        info = geo.zip_info(text) if geo.normalize_zip(text) and len(text) >= 5 else None
        if info:
            return Place(
                f"{info.zip_code} ({info.city.title()}, {info.state})", info.latitude, info.longitude
            )
        return None
    if match := CITY_STATE_RE.match(text):
        state = match["state"].upper()
        name = normalize_city(match["city"])
        if point := city_table().get((name, state)):
            return Place(f"{match['city'].strip().title()}, {state}", *point)
        if COUNTY_RE.search(name) and (point := county_table().get((_county_key(name), state))):
            return Place(f"{match['city'].strip().title()}, {state}", *point)
    if CITY_RE.match(text):
        name = normalize_city(text)
        states = states_by_city(name)
        if len(states) == 1:
            return Place(_city_label(text.strip(), states[0]), *city_table()[(name, states[0])])
        county_states = states_by_county(_county_key(name)) if COUNTY_RE.search(name) else []
        if not states and len(county_states) == 1:
            label = f"{text.strip().title()}, {county_states[0]}"
            return Place(label, *county_table()[(_county_key(name), county_states[0])])
    return None


def is_ambiguous(text: str) -> bool:
    """True when the text names a city or county found in several states."""
    name = normalize_city((text or "").strip()[:100])
    if COUNTY_RE.search(name):
        return len(states_by_county(_county_key(name))) > 1
    return len(states_by_city(name)) > 1


def suggest(text: str) -> list[str]:
    """ "City, ST" (or "X County, ST") choices for text that did not resolve:
    every state a city or county name is found in, else the closest
    spellings (offline, by difflib's similarity ratio)."""
    text = (text or "").strip()[:100]
    state = None
    if match := CITY_STATE_RE.match(text):
        text, state = match["city"], match["state"].upper()
    if not CITY_RE.match(text):
        return []
    name = normalize_city(text)
    if COUNTY_RE.search(name):
        county = _county_key(name)
        return [f"{county.title()} County, {st}" for st in states_by_county(county)][:MAX_SUGGESTIONS]
    choices = [(name, st) for st in states_by_city(name) if st != state]
    if not choices:
        names = city_table().names(state)
        for close in difflib.get_close_matches(name, names, n=MAX_SUGGESTIONS, cutoff=0.8):
            choices += [(close, st) for st in states_by_city(close) if state in (None, st)]
    return [_city_label(city, st) for city, st in choices[:MAX_SUGGESTIONS]]
