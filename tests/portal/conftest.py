import pytest

from directory import facets


@pytest.fixture(autouse=True)
def fresh_facet_index():
    facets.reset()
    yield
    facets.reset()
