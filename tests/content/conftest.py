import pytest
from django.core.cache import cache

from content.models import ArticleIndexPage

from .factories import UserFactory


@pytest.fixture(autouse=True)
def _clear_cache():
    # Each test starts from an empty cache.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def learn_page(db):
    return ArticleIndexPage.objects.get(slug="learn")


@pytest.fixture
def editor(db):
    return UserFactory(username="editor", groups=["Editors"])


@pytest.fixture
def second_editor(db):
    return UserFactory(username="copyeditor", groups=["Editors"])


@pytest.fixture
def reviewer(db):
    return UserFactory(
        username="reviewer", first_name="Maya", last_name="Ellison", groups=["Medical reviewers"]
    )
