import pytest
from django.core.cache import cache

from content.models import ArticleIndexPage


@pytest.fixture(autouse=True)
def _clear_cache():
    # Program counts are cached; each test starts from an empty cache.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def learn_page(db):
    return ArticleIndexPage.objects.get(slug="learn")
