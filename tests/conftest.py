import pytest
from wagtail.models import Site


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
