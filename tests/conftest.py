import pytest
from wagtail.models import Site

from content.models import ArticleIndexPage
from directory.search import freshness
from tests.content.factories import UserFactory


@pytest.fixture(autouse=True)
def fresh_search_index():
    """Each test builds its own directory; never reuse another test's
    in-memory search index (its change-log cursor belongs to rolled-back data)."""
    freshness.reset()
    yield
    freshness.reset()


@pytest.fixture
def home_page(db):
    return Site.objects.get(is_default_site=True).root_page.specific


# Editorial content (tests/content, tests/guide): /learn/ and the people of
# the editorial workflow (groups made by content's migrations).


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


@pytest.fixture(autouse=True)
def empty_cache():
    """Rate-limit counters and download slots live in the cache: every test
    starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
