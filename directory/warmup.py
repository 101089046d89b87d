"""Warm a fresh worker before it serves: the ZIP and city tables and the
search index, so no visitor pays for them (gunicorn.conf.py calls this,
then gc.freeze() so the collector never rescans these long-lived objects)."""

import logging

logger = logging.getLogger(__name__)


def warm_up() -> None:
    from . import facets, geo, places

    geo.zip_table()
    places.city_table()
    try:
        facets.current_index()
    except Exception:  # the database may be down at start; the first search builds it
        logger.exception("warm-up: could not build the search index")
