"""The directory's search engine, behind one front door.

Everything outside this package (pages, API, CSV, article counts, the
program page's nearby list) calls what is exported here:

- program_search(data=..., page_number=...): one search -> SearchResult
  (the bound FilterSet, the page of cards, the total, facet counts);
- program_count(data=...): the total the search page would show;
- search_data(params): the parameters, or None when they hold no search;
- nearby_programs(program=..., search=...): programs near a listing, for its
  page, kept to the care filters of the search the family came from;
- search_context(params) / carried_search(params): that search, as the
  /find/ page has it and as a link or form carries it (context.py);
- search_glossary(): the filter groups and their terms, for /find/terms/;
- is_search(params): whether a query string holds a search.

Inside, in the order a search flows through them:
filterset.py (the django-filter FilterSet: the one description of a search,
validation, and the SQL form used by the CSV and the agreement tests) ->
query.py (the search answered from the index: masks, totals, facet counts,
the page's ids in order) -> index.py (the in-memory index: bitsets per term
and flag), columns.py (compact names, texts and word lists) and geo_grid.py
(location search) -> cards.py (one query for the page's rows, terms from
the index). freshness.py keeps the index current (change log, catch-up,
background rebuilds); warmup.py builds it before a worker serves."""

from directory.vocabularies import is_search

from .cards import ALL_RELATIONS, CARD_RELATIONS, attach_card_terms, card_rows, organization_rows
from .context import SearchContext, carried_search, search_context
from .filterset import ProgramFilter, TermFilter
from .query import (
    MAX_PAGE,
    PAGE_SIZE,
    FacetOption,
    SearchResult,
    nearby_programs,
    program_base_queryset,
    program_count,
    program_search,
    search_data,
    search_glossary,
)

__all__ = [
    "ALL_RELATIONS",
    "CARD_RELATIONS",
    "MAX_PAGE",
    "PAGE_SIZE",
    "FacetOption",
    "ProgramFilter",
    "SearchContext",
    "SearchResult",
    "TermFilter",
    "attach_card_terms",
    "card_rows",
    "carried_search",
    "is_search",
    "nearby_programs",
    "organization_rows",
    "program_base_queryset",
    "program_count",
    "program_search",
    "search_context",
    "search_data",
    "search_glossary",
]
