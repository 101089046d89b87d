"""The facet index when the cache raises (any backend): search keeps its
local index, logs once per interval, and rebuilds after a change."""

import logging

import pytest

from directory import facets
from directory.filters import ProgramFilter

from .factories import ProgramFactory

pytestmark = pytest.mark.django_db


class BrokenCache:
    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("cache is down")

        return fail


def test_index_survives_a_raising_cache(monkeypatch, caplog):
    ProgramFactory(name="Before", zip_code="10001")
    monkeypatch.setattr(facets, "cache", BrokenCache())
    with caplog.at_level(logging.WARNING, logger="directory.facets"):
        first = facets.current_index(flags=ProgramFilter.FLAGS)
        assert facets.current_index(flags=ProgramFilter.FLAGS) is first
        facets.invalidate()  # a save while the cache is down must not raise
    assert len(first.ids) == 1
    assert len([r for r in caplog.records if r.name == "directory.facets"]) == 1
    ProgramFactory(name="After", zip_code="10001")
    assert len(facets.current_index(flags=ProgramFilter.FLAGS).ids) == 2
