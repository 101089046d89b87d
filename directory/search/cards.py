"""Result cards: the rows a card shows, loaded in one query per page, and
their vocabulary terms read from the in-memory index (no prefetch queries).
The markup is in the templates the directory_tags card tags render."""

from functools import lru_cache

from django.db import connection

from directory import vocabularies
from directory.models import Program

from . import freshness
from .index import as_bytes

# What a result card (templatetags program_card, availability) reads of a
# program, and its distance; loading only these costs a third less per page.
CARD_FIELDS = (
    "slug", "name", "is_sample", "verified_at", "street1", "city", "state", "zip_code", "phone",
    "accepting_clients", "open_beds", "availability_updated_at", "latitude", "longitude",
)  # fmt: skip


def with_card_details(queryset):
    """What a result card needs from SQL; its vocabulary terms come from the
    facet index (attach_card_terms), so a page costs no prefetch queries."""
    return queryset.only(*CARD_FIELDS)


def card_rows(ids) -> list[Program]:
    """The programs with these ids as result cards need them (CARD_FIELDS):
    the same query as with_card_details(), its SQL compiled once per number
    of ids (compiling it cost a third of loading a page's 20 rows)."""
    if not ids:
        return []
    return list(Program.objects.raw(_card_sql(len(ids), connection.vendor), list(ids)))


@lru_cache(maxsize=64)
def _card_sql(count: int, vendor: str) -> str:
    placeholders = list(range(1, count + 1))
    sql, params = with_card_details(Program.objects.filter(pk__in=placeholders)).query.sql_with_params()
    if list(params) != placeholders:  # the ids must be the query's only parameters, in order
        raise ValueError(f"unexpected parameters in the card query: {params!r}")
    return sql


def organization_rows(ids) -> list[Program]:
    """Every field and the organization (the API's programs)."""
    return list(Program.objects.filter(pk__in=ids).select_related("organization"))


CARD_RELATIONS = {
    "card_levels": "levels_of_care",
    "card_medications": "medications",
    "card_payments": "payment_options",
    "card_restrictions": "restrictions",  # "Serves veterans only": includes/card_restrictions.html
}  # template attribute -> relation, for result cards
TERM_RELATIONS = vocabularies.TERM_RELATIONS
ALL_RELATIONS = {f"terms_{name}": name for name in TERM_RELATIONS}


def attach_card_terms(programs, index=None, relations=CARD_RELATIONS) -> list:
    """Set card_levels / card_medications / card_payments (or the given
    attribute -> relation map) on each program from the in-memory index:
    no prefetch queries. Published programs only."""
    index = index or freshness.get()
    programs = list(programs)
    for attribute, relation in relations.items():
        bits_by_term = index.terms.get(relation, {})
        vocabulary = index.vocabularies[relation]
        # Bytes, not big ints: testing one bit of a 100,000-bit int by
        # shifting copies the whole number.
        marks = {t.pk: as_bytes(bits_by_term.get(t.pk, 0), index) for t in vocabulary}
        for program in programs:
            pos = index.positions.get(program.pk)
            terms = []
            if pos is not None:
                terms = [t for t in vocabulary if marks[t.pk][pos >> 3] >> (pos & 7) & 1]
            setattr(program, attribute, terms)
    return programs
