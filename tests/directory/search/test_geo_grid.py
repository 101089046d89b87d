"""The in-memory radius search (directory/geo_grid.py) answers exactly as
the FilterSet's SQL (filters.within_radius): the same programs within a
circle, the same nearest-first order, for programs in grid order, moved
since the build (loose), added since, without coordinates, clustered on one
point, and for circles across the 180th meridian and near cell lines."""

import math
import random

import pytest

from directory.models import Program
from directory.search import freshness, geo_grid, program_base_queryset
from directory.search import index as search_index
from directory.search.filterset import within_radius

pytestmark = pytest.mark.django_db

CENTRES = [
    (41.8781, -87.6298),  # Chicago
    (40.75, -73.9967),  # New York, on a cell line (40.75 * 40 = 1630)
    (61.2181, -149.9003),  # Anchorage: wide longitude reach
    (51.88, 179.6),  # Adak (Aleutians): the box crosses the 180th meridian
    (13.4443, 144.7937),  # Guam
    (34.05, -118.25),
]
RADII = [5, 10, 25, 50, 100]


def scatter(rng: random.Random, count: int) -> list[Program]:
    """Programs around each centre at up to ~130 miles, some exactly on cell
    lines, some sharing a point, a few without coordinates."""
    programs = []
    for n in range(count):
        lat0, lng0 = CENTRES[n % len(CENTRES)]
        kind = n % 10
        if kind == 0:
            lat, lng = None, None
        elif kind == 1:  # on a cell corner
            lat = round((lat0 + rng.uniform(-1, 1)) * 40) / 40
            lng = round((lng0 + rng.uniform(-1, 1)) * 40) / 40
        elif kind == 2:  # many programs at one point (a ZIP centroid)
            lat, lng = lat0 + 0.1, lng0 + 0.1
        else:
            lat = lat0 + rng.uniform(-1.9, 1.9)
            lng = lng0 + rng.uniform(-1.9, 1.9) / max(0.3, math.cos(math.radians(lat0)))
        if lng is not None and lng > 180:
            lng -= 360
        programs.append(
            Program(
                name=f"Geo Program {n % 37:02d}",  # repeated names: ties go to the id
                slug=f"geo-program-{n}",
                status=Program.Status.PUBLISHED,
                latitude=lat,
                longitude=lng,
                zip_code="",
                phone="(555) 555-0100",  # contactable: search lists only those (issue 21)
            )
        )
    return Program.objects.bulk_create(programs)


def sql_answer(latitude, longitude, miles):
    place = geo_grid.Circle(latitude, longitude, miles)  # only for its attributes
    matching = within_radius(program_base_queryset(), place, miles)
    return list(matching.order_by("distance", "name", "pk").values_list("pk", flat=True))


def index_answer(index, latitude, longitude, miles, wanted=None):
    circle = geo_grid.Circle(latitude, longitude, miles)
    bits = int.from_bytes(geo_grid.within(index.geo, circle, index.size), "little") & index.everything
    marks = search_index.as_bytes(bits, index)
    count = bits.bit_count()
    nearest = geo_grid.nearest(index.geo, circle, marks, count, wanted or count, index.name_key)
    members = {index.ids[pos] for pos in range(index.size) if bits >> pos & 1}
    return members, [index.ids[pos] for pos in nearest]


def assert_agree(index, rng):
    for latitude, longitude in CENTRES:
        for miles in RADII:
            # Jitter the centre so circles cut cells anywhere.
            lat = latitude + rng.uniform(-0.3, 0.3)
            lng = longitude + rng.uniform(-0.3, 0.3)
            expected = sql_answer(lat, lng, miles)
            members, ordered = index_answer(index, lat, lng, miles)
            assert members == set(expected), (lat, lng, miles)
            assert ordered == expected, (lat, lng, miles)
            _, first = index_answer(index, lat, lng, miles, wanted=7)
            assert first == expected[:7], (lat, lng, miles)


def test_grid_search_equals_sql_for_built_moved_and_added_programs(settings):
    settings.DIRECTORY_INDEX_BACKGROUND = False
    rng = random.Random(20261124)
    programs = scatter(rng, 1500)
    index = freshness.current_index()
    assert not index.geo.loose, "a fresh build puts every program in grid order"
    assert len(index.geo.keys) > 100
    assert_agree(index, rng)

    # Moves (saved one by one: the change log applies them incrementally).
    for program in rng.sample(programs, 40):
        lat0, lng0 = rng.choice(CENTRES)
        lng = lng0 + rng.uniform(-1, 1)
        program.latitude, program.longitude = lat0 + rng.uniform(-1, 1), lng - 360 if lng > 180 else lng
        program.save()
    lost = rng.choice(programs)
    lost.latitude = lost.longitude = None
    lost.save()
    unpublished = rng.choice(programs)
    unpublished.status = Program.Status.DRAFT
    unpublished.save()
    Program.objects.create(name="Geo Program New", slug="geo-program-new", latitude=41.9, longitude=-87.7)
    index = freshness.current_index()
    assert len(index.geo.loose) >= 40, "moved and added programs are tested one by one"
    assert_agree(index, rng)

    freshness.reset()
    fresh = freshness.current_index()
    assert not fresh.geo.loose
    assert_agree(fresh, rng)


def test_nearby_list_is_the_nearest_with_a_shared_level(settings, client):
    from directory.search import nearby_programs
    from tests.directory.factories import ProgramFactory

    settings.DIRECTORY_INDEX_BACKGROUND = False
    here = ProgramFactory(latitude=41.88, longitude=-87.63, levels_of_care=["detox"])
    near = [
        ProgramFactory(name=f"Near {n}", latitude=41.88 + n / 100, longitude=-87.63, levels_of_care=["detox"])
        for n in range(1, 8)
    ]
    other_care = ["residential"]
    ProgramFactory(name="Nearest, other care", latitude=41.8801, longitude=-87.63, levels_of_care=other_care)
    ProgramFactory(name="Too far", latitude=43.5, longitude=-87.63, levels_of_care=["detox"])
    assert [p.name for p in nearby_programs(program=here)] == [p.name for p in near[:5]]


@pytest.mark.parametrize(
    ("start", "end"),
    [(0, 0), (0, 1), (3, 5), (7, 9), (0, 8), (5, 64), (8, 16), (13, 200), (199, 200)],
)
def test_set_range_sets_exactly_those_bits(start, end):
    marks = bytearray(26)
    geo_grid._set_range(marks, start, end)
    assert int.from_bytes(marks, "little") == ((1 << (end - start)) - 1) << start
