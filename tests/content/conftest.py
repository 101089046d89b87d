import pytest
from django.core.cache import cache

from content.models import ArticleIndexPage


@pytest.fixture(autouse=True)
def _clear_cache():
    # Each test starts from an empty cache.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def learn_page(db):
    return ArticleIndexPage.objects.get(slug="learn")
