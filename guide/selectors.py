"""Reads for the guide's screens: the directory terms a suggestion names,
the place and payment read as the directory search reads them, the search
the result links to, related articles. (The link to the live guide that
other pages show is in promo.py.)"""

from django.http import QueryDict

from content.find_treatment import PAYMENT, directory_search_url, program_count
from content.models import article_list
from directory.search import ProgramFilter


def terms(vocabulary, slugs):
    """Terms of a directory vocabulary (content.find_treatment.CARE, ...)
    for these slugs, in the order given."""
    if not slugs:
        return []
    by_slug = {term.slug: term for term in vocabulary.model.objects.filter(slug__in=slugs)}
    return [by_slug[slug] for slug in slugs if slug in by_slug]


def search_filters(suggestion, *, place="", payment=()):
    """The /find/ parameters for a suggestion near a place, taking one of
    these payments: the suggestion's filters, the place as typed and the
    payment slugs, and nothing else (no answer)."""
    filters = {"location": [place]} if place else {}
    filters.update(suggestion.search_filters)
    if payment:
        filters[PAYMENT.param] = list(payment)
    return filters


def search_url(suggestion, *, place="", payment=()):
    """The /find/ search for search_filters()."""
    return directory_search_url(search_filters(suggestion, place=place, payment=payment))


def search_count(suggestion, *, place="", payment=()):
    """How many programs that search lists (None if it is not a valid search)."""
    return program_count(search_filters(suggestion, place=place, payment=payment))


def read_place(text):
    """(place, error message, suggestions) for a place as the directory
    search reads its location: the same parsing, the same "Did you mean"."""
    data = QueryDict(mutable=True)
    data["location"] = text
    form = ProgramFilter(data).form
    form.is_valid()
    errors = form.errors.get("location")
    return form.cleaned_data.get("place"), (errors[0] if errors else ""), form.place_suggestions


def payment_terms(slugs):
    return terms(PAYMENT, list(slugs))


def related_articles(*, page, limit=3):
    chosen = [block.value for block in page.related_articles if block.value]
    live = [article.specific for article in chosen if article.live]
    if live:
        return live[:limit]
    return list(article_list()[:limit])
