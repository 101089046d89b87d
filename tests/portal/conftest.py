import pytest

from directory.search import freshness


@pytest.fixture(autouse=True)
def fresh_facet_index():
    freshness.reset()
    yield
    freshness.reset()
