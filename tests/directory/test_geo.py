"""Offline geography: ZIP centroids, distances and coordinate checks."""

import pytest

from directory import geo
from directory.models import Program
from directory.services import program_geocode

NYC = (40.7484, -73.9967)  # ZIP 10001 centroid in the zipcodes package


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("10001", "10001"),
        ("10001-1234", "10001"),
        ("100011234", "10001"),
        (" 10001 ", "10001"),
        ("2134", "02134"),
        (2134, "02134"),
        ("ABCDE", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_normalize_zip(raw, expected):
    assert geo.normalize_zip(raw) == expected


def test_zip_centroid_from_the_offline_table():
    assert geo.zip_centroid("10001") == NYC
    assert geo.zip_centroid("10001-0001") == NYC
    assert geo.zip_centroid("00000") is None
    info = geo.zip_info("60601")
    assert (info.city, info.state) == ("Chicago", "IL")


def test_zip_table_is_loaded_once():
    assert geo.zip_table() is geo.zip_table()


def test_haversine_miles():
    assert geo.haversine_miles(*NYC, *NYC) == 0
    # New York to Los Angeles is about 2,450 miles.
    assert 2400 < geo.haversine_miles(*NYC, 34.05, -118.24) < 2500


@pytest.mark.parametrize(
    ("lat", "lng", "swapped"),
    [
        (40.7, -74.0, False),
        (-74.0, 40.7, True),
        (21.3, -157.8, False),  # Honolulu
        (-157.8, 21.3, True),
        (13.4, 144.8, False),  # Guam
        (-33.9, 151.2, False),  # Sydney: wrong, but not a swap
    ],
)
def test_looks_swapped(lat, lng, swapped):
    assert geo.looks_swapped(lat, lng) is swapped


@pytest.mark.parametrize("value", ["", None, "0", "0.0", "abc", "nan"])
def test_parse_coordinate_rejects_empty_and_zero(value):
    assert geo.parse_coordinate(value) is None


def test_check_coordinates_fine():
    check = geo.check_coordinates(latitude="40.75", longitude="-73.99", zip_code="10001")
    assert (check.latitude, check.longitude, check.flag) == (40.75, -73.99, "")


def test_check_coordinates_missing_uses_the_zip_centroid():
    check = geo.check_coordinates(latitude="", longitude=None, zip_code="10001-1234")
    assert (check.latitude, check.longitude, check.flag) == (*NYC, "zip_centroid")


def test_check_coordinates_missing_and_unknown_zip():
    check = geo.check_coordinates(latitude=None, longitude=None, zip_code="00000")
    assert (check.latitude, check.longitude, check.flag) == (None, None, "missing")


def test_check_coordinates_swapped_are_fixed():
    check = geo.check_coordinates(latitude="-73.99", longitude="40.75", zip_code="10001")
    assert (check.latitude, check.longitude, check.flag) == (40.75, -73.99, "swapped_fixed")
    assert "swapped" in check.note


def test_check_coordinates_far_from_zip_use_the_centroid():
    check = geo.check_coordinates(latitude=34.05, longitude=-118.24, zip_code="10001")
    assert (check.latitude, check.longitude, check.flag) == (*NYC, "far_from_zip")
    assert check.note.startswith("coordinates 24")


def test_check_coordinates_far_kept_when_asked():
    check = geo.check_coordinates(latitude=34.05, longitude=-118.24, zip_code="10001", replace_far=False)
    assert (check.latitude, check.longitude, check.flag) == (34.05, -118.24, "far_from_zip")


def test_check_coordinates_far_but_unknown_zip_kept():
    check = geo.check_coordinates(latitude=34.05, longitude=-118.24, zip_code="00000")
    assert (check.latitude, check.longitude, check.flag) == (34.05, -118.24, "")


def test_program_geocode_fills_missing_coordinates():
    program = Program(zip_code="10001")
    assert program_geocode(program=program)
    assert (program.latitude, program.longitude) == NYC
    assert program.coordinate_flag == Program.CoordinateFlag.FROM_ZIP


def test_program_geocode_follows_a_changed_zip_when_coordinates_came_from_the_old_one():
    program = Program(zip_code="60601", latitude=NYC[0], longitude=NYC[1], coordinate_flag="zip_centroid")
    program_geocode(program=program)
    assert (program.latitude, program.longitude) == geo.zip_centroid("60601")


def test_program_geocode_flags_far_coordinates_typed_by_a_person():
    program = Program(zip_code="10001", latitude=34.05, longitude=-118.24)
    program_geocode(program=program)
    assert (program.latitude, program.longitude) == (34.05, -118.24)
    assert program.coordinate_flag == Program.CoordinateFlag.FAR
