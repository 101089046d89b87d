"""Reads for the guide's screens: the directory terms a suggestion names,
the search it links to, related articles. (The link to the live guide that
other pages show is in promo.py.)"""

from content.find_treatment import directory_search_url
from content.models import article_list


def terms(vocabulary, slugs):
    """Terms of a directory vocabulary (content.find_treatment.CARE, ...)
    for these slugs, in the order given."""
    if not slugs:
        return []
    by_slug = {term.slug: term for term in vocabulary.model.objects.filter(slug__in=slugs)}
    return [by_slug[slug] for slug in slugs if slug in by_slug]


def search_url(suggestion):
    """The /find/ search with the suggestion's filters and nothing else."""
    return directory_search_url(suggestion.search_filters)


def related_articles(*, page, limit=3):
    chosen = [block.value for block in page.related_articles if block.value]
    live = [article.specific for article in chosen if article.live]
    if live:
        return live[:limit]
    return list(article_list()[:limit])
