"""The search a family came from, carried to the pages they open from it.

A result card links to the program page with the search's own query string
in one parameter (`?search=location%3D10001%26medication%3Dmethadone`); the
program page hands it on to its similar programs' cards, its "Report a
problem" link and its inquiry form (a hidden field), and from there to the
thank-you pages. The program page's "Similar programs nearby" and the
inquiry thank-you page's nearby programs keep the search's care filters
(query.nearby_programs), and "Back to search" returns to it.

Nothing but what the /find/ URL itself held is carried (only search
parameters, in the search's own words), and it is read back through the
FilterSet like any search, so a hand-made link can do no more than a
hand-made /find/ URL. The pages that carry it keep their canonical URL
without it, and the site's Referrer-Policy (strict-origin-when-cross-origin)
sends other sites the origin only."""

from dataclasses import dataclass
from functools import cached_property
from urllib.parse import quote

from django.http import QueryDict
from django.urls import reverse

from directory import vocabularies

PARAM = "search"  # the query parameter (and form field) that carries a search
MAX_LENGTH = 1500  # longer than any search the form can make: a longer value is dropped
MAX_VALUE_LENGTH = 100  # the longest value a search field takes (the name, the place)


@dataclass(frozen=True)
class SearchContext:
    """One search, as the query string of its /find/ page (known search
    parameters only, empty ones left out, the page number kept)."""

    query_string: str

    @cached_property
    def data(self) -> QueryDict:
        return QueryDict(self.query_string)

    @property
    def search_url(self) -> str:
        """The /find/ page of this search ("Back to search")."""
        return f"{reverse('directory:search')}?{self.query_string}"

    @property
    def param(self) -> str:
        """`search=...`, for a link to a page that carries the search."""
        return f"{PARAM}={quote(self.query_string, safe='')}"

    @property
    def link_query(self) -> str:
        """`?search=...`, appended to a page's address."""
        return f"?{self.param}"


def search_context(params) -> SearchContext | None:
    """The context of a /find/ page from its own query string (None when it
    holds no search or is longer than any search made by the form)."""
    kept = QueryDict(mutable=True)
    known = vocabularies.search_params() | {"page"}
    for key in params:
        if key not in known:
            continue
        values = [str(value)[:MAX_VALUE_LENGTH] for value in params.getlist(key) if value not in ("", None)]
        if key == "page":
            values = [value for value in values[:1] if value != "1"]
        if values:
            kept.setlist(key, values)
    if not vocabularies.is_search(kept):
        return None
    query_string = kept.urlencode()
    if len(query_string) > MAX_LENGTH:
        return None
    return SearchContext(query_string)


def carried_search(params) -> SearchContext | None:
    """The search a link or form carried in its `search` parameter (a GET's
    query or a POST's fields), read as search_context reads /find/'s
    query string; None without one, or with one that holds no search."""
    value = params.get(PARAM) or ""
    if not isinstance(value, str) or not value or len(value) > MAX_LENGTH:
        return None
    return search_context(QueryDict(value))
