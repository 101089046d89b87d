import pytest
from wagtail.models import Site

from directory import facets


@pytest.fixture(autouse=True)
def fresh_search_index():
    """Each test builds its own directory; never reuse another test's
    in-memory search index (its change-log cursor belongs to rolled-back data)."""
    facets.reset()
    yield
    facets.reset()


@pytest.fixture
def home_page(db):
    return Site.objects.get(is_default_site=True).root_page.specific


@pytest.fixture(autouse=True)
def empty_cache():
    """Rate-limit counters and download slots live in the cache: every test
    starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
