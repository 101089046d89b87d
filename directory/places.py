"""Offline place lookup for search: a US ZIP code, "City, ST", a city
alone, or a county becomes a point, from the ZIP centroids in
geo.zip_table() (loaded once per process). When the text is ambiguous
("Springfield") or misspelled ("Atlnta"), `suggest` offers "City, ST"
choices instead of a dead end."""

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from statistics import fmean

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


@cache
def city_table() -> dict[tuple[str, str], tuple[float, float]]:
    """A city's point is the mean of its ZIP centroids."""
    return _centroids(lambda city, county: normalize_city(city))


@cache
def county_table() -> dict[tuple[str, str], tuple[float, float]]:
    """("fulton", "GA") -> the mean of the county's ZIP centroids."""
    return _centroids(lambda city, county: _county_key(county))


@cache
def zip_counts() -> dict[tuple[str, str], int]:
    """How many ZIP codes a city has: the larger place comes first among choices."""
    counts = defaultdict(int)
    for city, state, _county, _lat, _lng in geo.zip_table().places():
        counts[(normalize_city(city), state)] += 1
    return dict(counts)


@cache
def states_by_city() -> dict[str, list[str]]:
    """ "atlanta" -> ["GA", "TX", ...], largest first."""
    states = defaultdict(list)
    for city, state in sorted(city_table(), key=lambda key: -zip_counts()[key]):
        states[city].append(state)
    return dict(states)


@cache
def states_by_county() -> dict[str, list[str]]:
    states = defaultdict(list)
    for county, state in county_table():
        states[county].append(state)
    return dict(states)


def _centroids(key_of) -> dict[tuple[str, str], tuple[float, float]]:
    # Straight from the ZIP table's arrays: making a ZipInfo per ZIP and a
    # list of point tuples per place cost ~40 MB of short-lived objects, and
    # the process kept that memory.
    latitudes, longitudes = defaultdict(list), defaultdict(list)
    for city, state, county, lat, lng in geo.zip_table().places():
        if name := key_of(city, county):
            latitudes[(name, state)].append(lat)
            longitudes[(name, state)].append(lng)
    return {key: (fmean(lats), fmean(longitudes[key])) for key, lats in latitudes.items()}


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
        states = states_by_city().get(name, [])
        if len(states) == 1:
            return Place(_city_label(text.strip(), states[0]), *city_table()[(name, states[0])])
        county_states = states_by_county().get(_county_key(name), []) if COUNTY_RE.search(name) else []
        if not states and len(county_states) == 1:
            label = f"{text.strip().title()}, {county_states[0]}"
            return Place(label, *county_table()[(_county_key(name), county_states[0])])
    return None


def is_ambiguous(text: str) -> bool:
    """True when the text names a city or county found in several states."""
    name = normalize_city((text or "").strip()[:100])
    if COUNTY_RE.search(name):
        return len(states_by_county().get(_county_key(name), [])) > 1
    return len(states_by_city().get(name, [])) > 1


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
        return [f"{county.title()} County, {st}" for st in states_by_county().get(county, [])][
            :MAX_SUGGESTIONS
        ]
    choices = [(name, st) for st in states_by_city().get(name, []) if st != state]
    if not choices:
        names = states_by_city()
        if state:
            names = {city for city, st in city_table() if st == state}
        for close in difflib.get_close_matches(name, names, n=MAX_SUGGESTIONS, cutoff=0.8):
            choices += [(close, st) for st in states_by_city()[close] if state in (None, st)]
    return [_city_label(city, st) for city, st in choices[:MAX_SUGGESTIONS]]
