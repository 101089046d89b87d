import pytest

from directory.search import index as search_index


@pytest.fixture
def builds(monkeypatch):
    """Counts full builds of the search index (one entry per build)."""
    calls = []
    real = search_index.build

    def counted():
        calls.append(1)
        return real()

    monkeypatch.setattr(search_index, "build", counted)
    return calls
