"""Location search in memory, for the search index (index.py).

The FilterSet's SQL (filters.within_radius: a bounding box, then the
haversine distance) is the definition of "within N miles"; this module
answers the same question from the index, without a query. At 100,000
listings the SQL fetched 3,000-16,000 candidate ids per search (20-30 ms
of SQLite) and Python then turned each id into a bit.

The index stores programs in grid order: positions sorted by cell (rows of
1/CELLS_PER_DEGREE degree of latitude, columns of the same in longitude),
so the programs of a run of neighbouring cells in one row are one range of
positions. A radius search then marks whole ranges for cells that lie
entirely inside the circle and the box (a slice assignment), and tests
each program only in the cells on the circle's edge, with the same
arithmetic, in the same order, as the SQL.

Programs that moved since the index was built, or were added after it,
sit outside the grid order; they are "loose" and tested one by one (a
rebuild folds them back). Sorting by distance finds the nearest matches
in a small circle first, widening it only until enough are found."""

import math
from array import array
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from operator import itemgetter

from django.db.models import F
from django.db.models.functions import Floor

from directory.geo import EARTH_RADIUS_MILES, bounding_box

CELLS_PER_DEGREE = 40  # cells of 1/40 degree: ~1.7 miles north-south
ROW_WIDTH = 1 << (360 * CELLS_PER_DEGREE).bit_length()  # column numbers are below this
COLUMN_OFFSET = 180 * CELLS_PER_DEGREE  # so column numbers are never negative
TWO_RADII = 2 * EARTH_RADIUS_MILES  # the SQL's constant, computed the same way
MARGIN = 1e-9  # cells this close to the circle's edge are tested program by program


def cell_row(latitude: float) -> int:
    return math.floor(latitude * CELLS_PER_DEGREE)


def cell_column(longitude: float) -> int:
    return math.floor(longitude * CELLS_PER_DEGREE) + COLUMN_OFFSET


def cell_key(latitude, longitude) -> int | None:
    """The grid cell of a point, as one number that sorts like (row, column);
    None without coordinates."""
    if latitude is None or longitude is None:
        return None
    return cell_row(latitude) * ROW_WIDTH + cell_column(longitude)


@dataclass
class GeoGrid:
    """Coordinates by position and the grid's cells. Immutable for readers:
    changes make a copy (with_point)."""

    latitude: array = field(default_factory=lambda: array("d"))  # position -> latitude (NaN: none)
    longitude: array = field(default_factory=lambda: array("d"))
    keys: array = field(default_factory=lambda: array("i"))  # cell keys in grid order
    starts: array = field(default_factory=lambda: array("i", [0]))  # cell i: starts[i] .. starts[i+1]-1
    loose: frozenset = frozenset()  # positions not where the grid order says: tested one by one

    def copy(self) -> "GeoGrid":
        """A copy whose coordinates can be changed (set_point) without
        touching this grid, which readers may hold."""
        lats, lngs = array("d", self.latitude), array("d", self.longitude)
        return GeoGrid(lats, lngs, self.keys, self.starts, self.loose)

    def set_point(self, pos: int, latitude, longitude) -> None:
        """Put the program at pos (pos == size appends) at (latitude,
        longitude); it is loose until the next build. Only on a copy()."""
        missing = latitude is None or longitude is None
        lat, lng = (math.nan, math.nan) if missing else (float(latitude), float(longitude))
        if pos == len(self.latitude):
            self.latitude.append(lat)
            self.longitude.append(lng)
        else:
            self.latitude[pos], self.longitude[pos] = lat, lng
        self.loose = self.loose | {pos}

    def point(self, pos: int) -> tuple[float, float] | None:
        lat = self.latitude[pos]
        return None if math.isnan(lat) else (lat, self.longitude[pos])


class GeoGridBuilder:
    """Points appended in grid order (the build query sorts by cell_row,
    cell_column; see grid_order). A point that arrives out of order, or a
    program without coordinates among those with, becomes loose rather
    than breaking the ranges."""

    def __init__(self):
        self.grid = GeoGrid()
        self.last_key = None
        self.end = 0  # one past the last point in grid order
        self.unplaced: list[int] = []

    def append(self, latitude, longitude) -> None:
        grid = self.grid
        pos = len(grid.latitude)
        key = cell_key(latitude, longitude)
        grid.latitude.append(math.nan if key is None else float(latitude))
        grid.longitude.append(math.nan if key is None else float(longitude))
        if key is None or (self.last_key is not None and key < self.last_key):
            self.unplaced.append(pos)
            return
        if key != self.last_key:
            grid.keys.append(key)
            grid.starts[-1] = pos
            grid.starts.append(pos + 1)
            self.last_key = key
        grid.starts[-1] = pos + 1
        self.end = pos + 1

    def build(self) -> GeoGrid:
        # Unplaced programs inside a cell's range must be cleared and tested
        # on their own; those after the last cell are in no range at all.
        self.grid.loose = frozenset(pos for pos in self.unplaced if pos < self.end)
        return self.grid


def grid_order():
    """ORDER BY terms that put programs in grid order (the same floor of the
    same product as cell_row / cell_column), programs without coordinates
    last, ties by id."""
    return [
        Floor(F("latitude") * CELLS_PER_DEGREE).asc(nulls_last=True),
        Floor(F("longitude") * CELLS_PER_DEGREE).asc(nulls_last=True),
        "pk",
    ]


class Circle:
    """'Within `miles` of a place' as the SQL says it: inside the bounding
    box (geo.bounding_box) and at most `miles` by the haversine formula."""

    def __init__(self, latitude: float, longitude: float, miles: float):
        self.latitude, self.longitude, self.miles = latitude, longitude, miles
        (self.south, self.north), self.lng_ranges = bounding_box(latitude, longitude, miles)
        self.lat1 = math.radians(latitude)
        self.lng1 = math.radians(longitude)
        self.cos1 = math.cos(self.lat1)
        self.sin1 = math.sin(self.lat1)

    def distance(self, lat: float, lng: float) -> float:
        """geo.haversine_miles and filters.haversine, operation for operation."""
        lat2 = math.radians(lat)
        a = (
            math.sin((lat2 - self.lat1) / 2) ** 2
            + self.cos1 * math.cos(lat2) * math.sin((math.radians(lng) - self.lng1) / 2) ** 2
        )
        return TWO_RADII * math.asin(math.sqrt(min(1.0, a)))

    def contains(self, lat: float, lng: float) -> bool:
        if not self.south <= lat <= self.north:  # NaN (no coordinates) fails too
            return False
        if not any(west <= lng <= east for west, east in self.lng_ranges):
            return False
        return self.distance(lat, lng) <= self.miles

    def inner_columns(self, row: int, west: float, east: float) -> tuple[int, int]:
        """The first and last column of this row whose cells lie wholly inside
        the box and the circle (first > last: none). A cell's farthest point
        from the centre is one of its corners (along a parallel the distance
        grows with the longitude difference, along a meridian it has one
        minimum), so the corners decide; cells within MARGIN of the edge are
        left to the per-program test."""
        south, north = row / CELLS_PER_DEGREE, (row + 1) / CELLS_PER_DEGREE
        if south <= self.south or north >= self.north:
            return 1, 0
        # Strictly inside the box's longitudes (a whole cell past each end).
        first = math.floor(west * CELLS_PER_DEGREE) + 1 + COLUMN_OFFSET
        last = math.ceil(east * CELLS_PER_DEGREE) - 2 + COLUMN_OFFSET
        # Widest longitude difference inside the circle at both edges of the row.
        reach = min(self._reach(south), self._reach(north))
        if reach <= 0:
            return 1, 0
        centre = self.longitude * CELLS_PER_DEGREE + COLUMN_OFFSET
        first = max(first, math.ceil(centre - reach * CELLS_PER_DEGREE))
        last = min(last, math.floor(centre + reach * CELLS_PER_DEGREE) - 1)
        limit = self.miles - MARGIN
        while first <= last and not self._cell_inside(south, north, first, limit):
            first += 1
        while first <= last and not self._cell_inside(south, north, last, limit):
            last -= 1
        return first, last

    def _reach(self, lat: float) -> float:
        """Largest longitude difference (degrees) within `miles` at latitude lat."""
        lat2 = math.radians(lat)
        cos_angle = (math.cos(self.miles / EARTH_RADIUS_MILES) - self.sin1 * math.sin(lat2)) / (
            self.cos1 * math.cos(lat2) or 1e-12
        )
        if cos_angle >= 1:
            return 0.0
        return 180.0 if cos_angle <= -1 else math.degrees(math.acos(cos_angle))

    def _cell_inside(self, south, north, column, limit) -> bool:
        west = (column - COLUMN_OFFSET) / CELLS_PER_DEGREE
        east = (column + 1 - COLUMN_OFFSET) / CELLS_PER_DEGREE
        return all(self.distance(lat, lng) <= limit for lat in (south, north) for lng in (west, east))


def _set_range(marks: bytearray, start: int, end: int) -> None:
    """Set bits start..end-1."""
    if start >= end:
        return
    first_byte, last_byte = (start + 7) >> 3, end >> 3
    if first_byte >= last_byte:
        for pos in range(start, end):
            marks[pos >> 3] |= 1 << (pos & 7)
        return
    marks[first_byte:last_byte] = b"\xff" * (last_byte - first_byte)
    for pos in range(start, first_byte << 3):
        marks[pos >> 3] |= 1 << (pos & 7)
    for pos in range(last_byte << 3, end):
        marks[pos >> 3] |= 1 << (pos & 7)


def _row_cells(grid: GeoGrid, row: int, first: int, last: int, lo=0, hi=None) -> tuple[int, int]:
    """Indexes (i, j) of the grid's cells in this row from column first to
    last: their programs are positions starts[i] .. starts[j] - 1."""
    keys = grid.keys
    hi = len(keys) if hi is None else hi
    base = row * ROW_WIDTH
    i = bisect_left(keys, base + first, lo, hi)
    return i, bisect_right(keys, base + last, i, hi)


def within(grid: GeoGrid, circle: Circle, size: int) -> bytearray:
    """Bit i set for every position i whose program is within the circle
    (published or not: the caller ANDs with the published set)."""
    marks = bytearray(size // 8 + 1)
    lats, lngs, starts = grid.latitude, grid.longitude, grid.starts
    south, north, miles, distance = circle.south, circle.north, circle.miles, circle.distance
    first_row, last_row = cell_row(south), cell_row(north)

    def test(start, end, west, east):
        for pos in range(start, end):
            lat = lats[pos]
            if south <= lat <= north:
                lng = lngs[pos]
                if west <= lng <= east and distance(lat, lng) <= miles:
                    marks[pos >> 3] |= 1 << (pos & 7)

    for west, east in circle.lng_ranges:
        first_column, last_column = cell_column(west), cell_column(east)
        for row in range(first_row, last_row + 1):
            i, j = _row_cells(grid, row, first_column, last_column)
            if i == j:
                continue
            inner_first, inner_last = circle.inner_columns(row, west, east)
            if inner_first > inner_last:
                test(starts[i], starts[j], west, east)
                continue
            k, m = _row_cells(grid, row, inner_first, inner_last, i, j)
            test(starts[i], starts[k], west, east)
            _set_range(marks, starts[k], starts[m])
            test(starts[m], starts[j], west, east)
    for pos in grid.loose:
        marks[pos >> 3] &= ~(1 << (pos & 7)) & 0xFF
        if circle.contains(lats[pos], lngs[pos]):
            marks[pos >> 3] |= 1 << (pos & 7)
    return marks


def nearest(grid: GeoGrid, circle: Circle, marks: bytes, count: int, wanted: int, sort_key) -> list[int]:
    """The first `wanted` positions set in marks (all within `circle`, of
    which `count` are set), nearest first, ties by sort_key(pos). Only a
    small circle around the centre is read: its size guessed from the
    average density, then grown from the density found there until it
    holds `wanted` matches (or is the search's own circle). Everything
    within distance r of the centre lies in the bounding box of 1.1 r (the
    box's longitude span is a little short of the circle's only near the
    poles). Candidates are ranked by the haversine's inner value `a`
    (distance = 2R asin(sqrt(a)) grows with it), the exact distance is
    computed for the first few only."""
    if wanted <= 0 or count <= 0:
        return []
    lats, lngs, starts, loose = grid.latitude, grid.longitude, grid.starts, grid.loose
    lat1, lng1, cos1 = circle.lat1, circle.lng1, circle.cos1
    sin, cos, radians = math.sin, math.cos, math.radians
    miles = circle.miles
    radius = min(miles, max(0.1, 0.1 * miles * math.sqrt(min(1.0, wanted / count))))
    while True:
        final = radius >= miles  # marks already hold exactly the matches within `miles`
        limit = math.inf if final else sin(radius / TWO_RADII) ** 2  # `a` at distance `radius`
        (south, north), lng_ranges = bounding_box(circle.latitude, circle.longitude, 1.1 * radius)
        found = []
        for west, east in lng_ranges:
            first_column, last_column = cell_column(west), cell_column(east)
            for row in range(cell_row(south), cell_row(north) + 1):
                i, j = _row_cells(grid, row, first_column, last_column)
                if i < j:
                    found += [pos for pos in range(starts[i], starts[j]) if marks[pos >> 3] >> (pos & 7) & 1]
        if loose:  # a moved program may sit in its old cell's range, or none: count it once
            found = set(found).union(pos for pos in loose if marks[pos >> 3] >> (pos & 7) & 1)
        (west, east), (west2, east2) = (lng_ranges + [(math.inf, -math.inf)])[:2]
        near = []
        for pos in found:
            lat, lng = lats[pos], lngs[pos]
            if south <= lat <= north and (west <= lng <= east or west2 <= lng <= east2):
                lat2 = radians(lat)
                a = sin((lat2 - lat1) / 2) ** 2 + cos1 * cos(lat2) * sin((radians(lng) - lng1) / 2) ** 2
                if a <= limit:
                    near.append((a, pos))
        if len(near) >= wanted or final:
            exact = lambda pos: circle.distance(lats[pos], lngs[pos])  # noqa: E731
            return _first_by_distance(near, wanted, exact, sort_key)
        # Grow to where the density seen so far predicts `wanted` matches.
        growth = math.sqrt(wanted / len(near)) * 1.25 if near else 2.0
        radius = min(miles, radius * min(4.0, max(1.25, growth)))


def _first_by_distance(near: list[tuple[float, int]], wanted: int, distance_of, sort_key) -> list[int]:
    """The first `wanted` positions of (a, position) pairs by exact distance,
    then sort_key: sorted by `a`, the exact distance computed for the first
    `wanted` and for any after them as near as the last (equal distances
    are ordered by sort_key, as the SQL orders by name and id)."""
    near.sort(key=itemgetter(0))
    head = [(distance_of(pos), pos) for _, pos in near[:wanted]]
    if head:
        last = max(d for d, _ in head)
        for _, pos in near[wanted:]:
            d = distance_of(pos)
            if d > last:
                break
            head.append((d, pos))
    head.sort(key=lambda item: (item[0], sort_key(item[1])))
    return [pos for _, pos in head[:wanted]]
