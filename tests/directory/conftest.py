import pytest

from directory import facets


@pytest.fixture(autouse=True)
def fresh_facet_index():
    """Each test builds its own directory; never reuse another test's index."""
    facets.reset()
    yield
    facets.reset()
