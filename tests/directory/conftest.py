import pytest

from directory import facets


@pytest.fixture
def builds(monkeypatch):
    """Counts full builds of the search index (one entry per build)."""
    calls = []
    real = facets.build

    def counted():
        calls.append(1)
        return real()

    monkeypatch.setattr(facets, "build", counted)
    return calls
