"""The link to the live guide that the home and search pages show ("Not
sure which care?"), cached; signals.py forgets it when a page is published
or unpublished."""

import logging

from django.core.cache import cache

from .models import GuidePage

logger = logging.getLogger(__name__)
PROMO_CACHE_KEY = "guide:promo-url"
PROMO_CACHE_SECONDS = 300


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
    guide = GuidePage.objects.live().public().order_by("path").first()
    return guide.url if guide else ""
