"""Workers warm up (ZIP table, search index) and freeze what they hold, and
the ZIP table is compact yet says what the zipcodes package says."""

import gc
import runpy
from pathlib import Path

import pytest
import zipcodes

from directory import geo, places
from directory.search import freshness
from directory.search.warmup import PLACE_TABLES
from tests.directory.factories import ProgramFactory

CONF = Path(__file__).resolve().parents[3] / "gunicorn.conf.py"


@pytest.mark.django_db
def test_gunicorn_worker_warms_up_then_freezes_the_collector():
    ProgramFactory()
    hooks = runpy.run_path(str(CONF))
    try:
        hooks["post_worker_init"](None)
        assert gc.get_freeze_count() > 0
        assert freshness._index is not None and freshness._index.size == 1
    finally:
        gc.unfreeze()


def test_gunicorn_master_preloads_the_app_and_shares_the_place_tables(monkeypatch):
    """The master loads the app and the offline tables once, then freezes
    them, so forked workers share those pages instead of copying them."""
    hooks = runpy.run_path(str(CONF))
    assert hooks["preload_app"] is True
    loaded = []
    monkeypatch.setattr(geo, "zip_table", lambda: loaded.append("zip_table"))
    for table in PLACE_TABLES:
        monkeypatch.setattr(places, table, lambda table=table: loaded.append(table))
    try:
        hooks["when_ready"](None)
        assert loaded == ["zip_table", *PLACE_TABLES]
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


@pytest.mark.parametrize("zip_code", ["10001", "00501", "60601", "99501", "96799", "00926"])
def test_compact_zip_table_matches_the_package(zip_code):
    (row,) = zipcodes.matching(zip_code)
    info = geo.zip_info(zip_code)
    assert (info.city, info.state, info.county, info.zip_type) == (
        row["city"], row["state"], row["county"], row["zip_code_type"],
    )  # fmt: skip
    assert (info.latitude, info.longitude) == (float(row["lat"]), float(row["long"]))
    assert geo.zip_centroid(zip_code) == (info.latitude, info.longitude)


def test_zip_table_holds_no_per_zip_python_objects():
    table = geo.zip_table()
    assert len(table) > 40_000
    assert not any(type(obj) is geo.ZipInfo for obj in gc.get_referents(*gc.get_referents(table)))
    assert places.resolve("Saint Louis, MO") is not None
