"""Offline place lookup for search: a US ZIP code or "City, ST" becomes a
point, from the ZIP centroids in geo.zip_table() (loaded once per process)."""

import re
from dataclasses import dataclass
from functools import cache
from statistics import fmean

from . import geo

COORDS_RE = re.compile(r"^\s*(-?\d{1,2}(?:\.\d{1,6})?)\s*,\s*(-?\d{1,3}(?:\.\d{1,6})?)\s*$")
CITY_STATE_RE = re.compile(r"^\s*(?P<city>[A-Za-z][A-Za-z .'\-]{0,60}?)\s*,?\s+(?P<state>[A-Za-z]{2})\s*$")
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
    points = {}
    for info in geo.zip_table().values():
        points.setdefault((normalize_city(info.city), info.state), []).append((info.latitude, info.longitude))
    return {key: (fmean(p[0] for p in pts), fmean(p[1] for p in pts)) for key, pts in points.items()}


def resolve(text: str) -> Place | None:
    """A Place for a ZIP code (ZIP+4 accepted), "City, ST" or "lat,lng", else None."""
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
        if point := city_table().get((normalize_city(match["city"]), state)):
            return Place(f"{match['city'].strip().title()}, {state}", *point)
    return None
