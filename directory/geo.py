"""Offline geography: ZIP centroids (the `zipcodes` package), distances and
checks on coordinates that arrive with imports and edits. Pure functions;
services.py applies them to programs. Never calls a network geocoder."""

import csv
import gzip
import math
import re
from array import array
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

FAR_MILES = 100.0
EARTH_RADIUS_MILES = 3958.8
MILES_PER_DEGREE_LAT = 69.05

_ZIP_RE = re.compile(r"^\s*(\d{5})(?:[-\s]?\d{4})?\s*$")


@dataclass(frozen=True)
class ZipInfo:
    zip_code: str
    city: str
    state: str
    county: str
    latitude: float
    longitude: float
    zip_type: str = "STANDARD"  # or PO BOX, UNIQUE (one organization), MILITARY


ZIP_TABLE_PATH = Path(__file__).resolve().parent / "data" / "zip_centroids.tsv.gz"
ZIP_COLUMNS = ["zip_code", "zip_type", "city", "state", "county", "latitude", "longitude"]


class ZipTable(Mapping):
    """Every ZIP code with a centroid, in a few flat arrays (a few MB
    instead of 165 MB and 214,000 Python objects for the package's rows):
    a ZIP's slot is found by its number in a 100,000-entry array, and a
    ZipInfo is made only when one is asked for."""

    def __init__(self, rows):
        self._slots = array("i", [-1]) * 100_000  # ZIP number -> slot
        self._zips = array("i")  # slot -> ZIP number
        self._latitude, self._longitude = array("d"), array("d")
        self._words: list[str] = []  # city, state, county and type strings, each stored once
        word_ids: dict[str, int] = {}
        self._fields = array("I")  # 4 word ids per ZIP: city, state, county, type
        for zip_code, zip_type, city, state, county, lat, lng in rows:
            number = int(zip_code)
            self._slots[number] = len(self._zips)
            self._zips.append(number)
            self._latitude.append(float(lat))
            self._longitude.append(float(lng))
            for word in (city, state, county, zip_type):
                found = word_ids.get(word)
                if found is None:
                    found = word_ids[word] = len(self._words)
                    self._words.append(word)
                self._fields.append(found)

    def _slot(self, zip_code) -> int:
        if isinstance(zip_code, str) and len(zip_code) == 5 and zip_code.isdigit():
            return self._slots[int(zip_code)]
        return -1

    def __getitem__(self, zip_code: str) -> ZipInfo:
        slot = self._slot(zip_code)
        if slot < 0:
            raise KeyError(zip_code)
        city, state, county, zip_type = (self._words[i] for i in self._fields[slot * 4 : slot * 4 + 4])
        return ZipInfo(zip_code, city, state, county, self._latitude[slot], self._longitude[slot], zip_type)

    def __contains__(self, zip_code) -> bool:
        return self._slot(zip_code) >= 0

    def __iter__(self):
        return (f"{number:05d}" for number in self._zips)

    def __len__(self) -> int:
        return len(self._zips)

    def places(self):
        """(city, state, county, latitude, longitude) for every ZIP, without
        making a ZipInfo each (the place tables are built from these)."""
        words, fields = self._words, self._fields
        for slot, (lat, lng) in enumerate(zip(self._latitude, self._longitude, strict=True)):
            base = slot * 4
            yield words[fields[base]], words[fields[base + 1]], words[fields[base + 2]], lat, lng

    def point(self, zip_code: str) -> tuple[float, float] | None:
        slot = self._slot(zip_code)
        return None if slot < 0 else (self._latitude[slot], self._longitude[slot])


def package_rows():
    """ZIP rows from the `zipcodes` package (slow, ~150 MB while it runs):
    used to write ZIP_TABLE_PATH (manage.py build_zip_table)."""
    import zipcodes

    for row in zipcodes.filter_by():
        try:
            lat, lng = float(row["lat"]), float(row["long"])
        except (TypeError, ValueError):
            continue
        yield (
            row["zip_code"], row.get("zip_code_type") or "", row["city"], row["state"],
            row.get("county") or "", repr(lat), repr(lng),
        )  # fmt: skip


def file_rows(path=ZIP_TABLE_PATH):
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t")
        if next(reader) != ZIP_COLUMNS:
            raise ValueError(f"{path}: unexpected columns")
        yield from reader


def write_zip_table(path=ZIP_TABLE_PATH) -> int:
    rows = sorted(package_rows())
    with gzip.open(path, "wt", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(ZIP_COLUMNS)
        writer.writerows(rows)
    return len(rows)


@cache
def zip_table() -> ZipTable:
    """Every ZIP code with a centroid, loaded once per process from the
    project's compact copy of the `zipcodes` package's data."""
    return ZipTable(file_rows() if ZIP_TABLE_PATH.exists() else package_rows())


def normalize_zip(value: str | int | None) -> str:
    """'12345-6789', '123456789' and '12345' all give '12345'; a ZIP that
    lost its leading zero in a spreadsheet ('2134') is padded back.
    Anything else gives ''."""
    if value is None:
        return ""
    text = str(value).strip()
    if text.isdigit() and 3 <= len(text) <= 4:
        text = text.zfill(5)
    match = _ZIP_RE.match(text)
    return match.group(1) if match else ""


def zip_info(zip_code: str) -> ZipInfo | None:
    return zip_table().get(normalize_zip(zip_code))


def zip_centroid(zip_code: str) -> tuple[float, float] | None:
    return zip_table().point(normalize_zip(zip_code))


def haversine_miles(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in miles."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lng2 - lng1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(math.sqrt(min(1.0, a)))


def bounding_box(latitude: float, longitude: float, miles: float):
    """Latitude and longitude ranges around a point (the prefilter of a
    radius search). Longitude ranges that cross the 180th meridian are
    returned as two ranges."""
    dlat = miles / MILES_PER_DEGREE_LAT
    cos_lat = max(math.cos(math.radians(latitude)), 0.01)
    dlng = min(miles / (MILES_PER_DEGREE_LAT * cos_lat), 180)
    lat_range = (latitude - dlat, latitude + dlat)
    west, east = longitude - dlng, longitude + dlng
    if west < -180:
        return lat_range, [(west + 360, 180), (-180, east)]
    if east > 180:
        return lat_range, [(west, 180), (-180, east - 360)]
    return lat_range, [(west, east)]


def parse_coordinate(value) -> float | None:
    """Locator files carry coordinates as strings, sometimes empty or '0'."""
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if math.isnan(number) or number == 0.0:
        return None
    return number


def in_us_box(lat: float, lng: float) -> bool:
    """Inside the broad box holding the states and territories (Guam and the
    Northern Marianas lie east of 180°, hence the positive longitudes)."""
    return (-15.0 <= lat <= 72.0) and (lng <= -60.0 or lng >= 140.0)


def looks_swapped(lat: float, lng: float) -> bool:
    """US latitudes are positive and longitudes (nearly all) negative: a
    negative 'latitude' beside a positive 'longitude' that fits as a US
    latitude means the two columns were exchanged."""
    return not in_us_box(lat, lng) and in_us_box(lng, lat)


@dataclass(frozen=True)
class CoordinateCheck:
    latitude: float | None
    longitude: float | None
    flag: str  # one of Program.CoordinateFlag values
    note: str = ""


def check_coordinates(*, latitude, longitude, zip_code: str, replace_far: bool = True) -> CoordinateCheck:
    """Decide which coordinates to keep for an address and why.

    - none given: the ZIP centroid (flag zip_centroid), else missing;
    - swapped: exchanged back (flag swapped_fixed);
    - more than 100 miles from the ZIP centroid, or outside the US: kept
      when the ZIP is unknown, else replaced by the centroid (flag far_from_zip)
      so the listing shows up near where it really is; with replace_far=False
      (a person typed them) they are kept and only flagged.
    """
    lat, lng = parse_coordinate(latitude), parse_coordinate(longitude)
    centroid = zip_centroid(zip_code)
    if lat is None or lng is None or not (_valid(lat, lng) or _valid(lng, lat)):
        if centroid:
            return CoordinateCheck(*centroid, "zip_centroid", "no coordinates: used the ZIP centroid")
        return CoordinateCheck(None, None, "missing", "no coordinates and unknown ZIP")
    flag, note = "", ""
    if looks_swapped(lat, lng):
        lat, lng = lng, lat
        flag, note = "swapped_fixed", "latitude and longitude were swapped: fixed"
    miles = haversine_miles(lat, lng, *centroid) if centroid else 0.0
    if miles > FAR_MILES:
        note = f"coordinates {miles:.0f} miles from ZIP {zip_code}"
        if not replace_far:
            return CoordinateCheck(lat, lng, "far_from_zip", note)
        return CoordinateCheck(*centroid, "far_from_zip", f"{note}: used the centroid")
    return CoordinateCheck(lat, lng, flag, note)


def _valid(lat: float, lng: float) -> bool:
    return -90 <= lat <= 90 and -180 <= lng <= 180
