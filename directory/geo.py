"""Offline geography: ZIP centroids (the `zipcodes` package), distances and
checks on coordinates that arrive with imports and edits. Pure functions;
services.py applies them to programs. Never calls a network geocoder."""

import math
import re
from dataclasses import dataclass
from functools import cache

FAR_MILES = 100.0
EARTH_RADIUS_MILES = 3958.8

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


@cache
def zip_table() -> dict[str, ZipInfo]:
    """Every ZIP code with a centroid, loaded once per process: querying the
    package row by row costs about half a second per call."""
    import zipcodes

    table = {}
    for row in zipcodes.list_all():
        try:
            lat, lng = float(row["lat"]), float(row["long"])
        except (TypeError, ValueError):
            continue
        table[row["zip_code"]] = ZipInfo(
            zip_code=row["zip_code"],
            city=row["city"],
            state=row["state"],
            county=row.get("county") or "",
            latitude=lat,
            longitude=lng,
            zip_type=row.get("zip_code_type") or "",
        )
    return table


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
    info = zip_info(zip_code)
    return (info.latitude, info.longitude) if info else None


def haversine_miles(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in miles."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lng2 - lng1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(math.sqrt(min(1.0, a)))


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
