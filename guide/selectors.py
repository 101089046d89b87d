"""Reads for the guide: the directory terms a suggestion names, the search
it links to, related articles, and the live guide other pages link to."""

import logging

from django.core.cache import cache

from content import selectors as content_selectors

logger = logging.getLogger(__name__)
PROMO_CACHE_KEY = "guide:promo-url"
PROMO_CACHE_SECONDS = 300


def terms(model_name, slugs):
    """Directory vocabulary terms for these slugs, in the order given."""
    model = content_selectors.directory_model(model_name)
    if model is None or not slugs:
        return []
    by_slug = {term.slug: term for term in model.objects.filter(slug__in=slugs)}
    return [by_slug[slug] for slug in slugs if slug in by_slug]


def search_url(suggestion):
    """The /find/ search with the suggestion's filters and nothing else."""
    return content_selectors.directory_search_url(suggestion.search_filters)


def related_articles(*, page, limit=3):
    chosen = [block.value for block in page.related_articles if block.value]
    live = [article.specific for article in chosen if article.live]
    if live:
        return live[:limit]
    return list(content_selectors.article_list()[:limit])


def live_guide_url():
    """The URL of the first live guide, or "" when there is none. Cached: the
    home and search pages link to it on every request."""
    try:
        url = cache.get(PROMO_CACHE_KEY)
    except Exception:  # a cache outage costs one query, never the page
        logger.warning("Cache unavailable: looking up the guide link in the database.")
        return _find_live_guide_url()
    if url is None:
        url = _find_live_guide_url()
        try:
            cache.set(PROMO_CACHE_KEY, url, PROMO_CACHE_SECONDS)
        except Exception:
            logger.warning("Cache unavailable: the guide link was not cached.")
    return url


def _find_live_guide_url():
    from .models import GuidePage

    guide = GuidePage.objects.live().public().order_by("path").first()
    return guide.url if guide else ""
