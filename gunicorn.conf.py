"""Gunicorn settings (`gunicorn -c gunicorn.conf.py --pythonpath site
config.wsgi`). This file holds the worker warm-up; other settings (access
logs) may sit beside it."""

import gc


def post_worker_init(worker):
    """Load the ZIP/city tables and the search index before the worker
    takes requests, then move everything alive into the garbage
    collector's permanent generation: a full collection otherwise rescans
    these hundreds of thousands of objects every few seconds (100-400 ms
    pauses at 100,000 listings)."""
    from directory.warmup import warm_up

    warm_up()
    gc.collect()
    gc.freeze()
