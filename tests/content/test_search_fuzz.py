"""Site search (/search/) never fails on what a person (or a scanner)
types: quotes, brackets and every search backend's query syntax are
neutralised before the backend sees them (content.selectors.search_words).
Fuzzed like the API (tests/directory/test_api_schema.py): a fixed list of
hostile strings, then generated text; no answer is a 5xx, on SQLite and
PostgreSQL alike."""

from http import HTTPStatus

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from content.selectors import search_words
from tests.directory.factories import ProgramFactory

from .factories import ArticlePageFactory

pytestmark = pytest.mark.django_db

HOSTILE = [
    'a"b',
    '"',
    "detox¿'\"(",
    "'",
    "''",
    '""',
    "(",
    ")",
    "()",
    "a OR b",
    "a AND b",
    "NOT a",
    "a NOT",
    "AND",
    "OR",
    "NOT",
    "NEAR",
    "NEAR(a b)",
    "NEAR(a b, 2)",
    "a NEAR b",
    "*",
    "a*",
    "*a",
    "^",
    "^a",
    "a^2",
    ":",
    "name:a",
    "term_names:methadone",
    "{a b}",
    "{name}: a",
    "a + b",
    "-a",
    "+a",
    "a & b",
    "a | b",
    "!a",
    "a <-> b",
    "a:*",
    "a:AB",
    "~a",
    "a~2",
    "\\",
    "a\\",
    "\\'",
    "%",
    "_",
    "%_%",
    "';--",
    "1' OR '1'='1",
    "<script>alert(1)</script>",
    "méthadone",
    "Ñandú",
    "中文",
    "مرحبا",
    "🙂",
    "a\u200bb",
    "\u0301",
    "ﬁ",
    "ß",
    "İ",
    "x" * 200,
    ("long " * 40).strip(),
    ("word" * 50),
    '"' * 200,
    "(" * 200,
    "a " * 100,
    "heroin " * 40,
    "mat aa rehab 12 step " * 10,
    'suboxone"detox"(heroin)',
    "detox" + "\u00a0" * 10,
]


@pytest.fixture
def content(learn_page):
    ArticlePageFactory(title="Methadone explained")
    ProgramFactory(name="Harbor Clinic", medications=["methadone"], levels_of_care=["detox"])


def answer(client, query):
    return client.get("/search/", {"q": query}).status_code


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_are_answered(client, content, query):
    assert answer(client, query) == HTTPStatus.OK


def test_the_reported_queries_answer_200(client, content):
    """Issue 27: each was an OperationalError (unterminated string) on SQLite."""
    for query in ['a"b', '"', "detox¿'\"("]:
        assert answer(client, query) == HTTPStatus.OK


@given(query=st.text(max_size=220))
@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_any_text_is_answered_without_a_server_error(client, content, query):
    # NUL bytes are refused site-wide with a 400 (config.middleware).
    assert answer(client, query) < HTTPStatus.INTERNAL_SERVER_ERROR


SYNTAX = ['"', "'", "(", ")", "*", "^", ":", "AND", "OR", "NOT", "NEAR", "-", "+", "methadone", " "]


@given(query=st.lists(st.sampled_from(SYNTAX), max_size=12).map("".join))
@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_query_syntax_in_any_order_is_answered(client, content, query):
    assert answer(client, query) < HTTPStatus.INTERNAL_SERVER_ERROR


def test_quotes_do_not_hide_the_words_around_them(client, content):
    """Neutralised, not refused: `"methadone"` still finds what methadone finds."""
    response = client.get("/search/", {"q": '"methadone"'})
    assert b"Methadone explained" in response.content
    assert b"Harbor Clinic" in response.content


def test_search_words_keeps_only_words():
    assert search_words("detox¿'\"(") == ["detox"]
    assert search_words("NEAR(a b, 2)") == ["a", "b", "2"]
    assert search_words("a OR b AND NOT c") == ["a", "b", "c"]
    assert search_words('"') == []
    assert search_words("Méthadone") == ["Méthadone"]
