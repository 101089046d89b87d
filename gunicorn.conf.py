"""gunicorn settings for FindCare: `gunicorn -c gunicorn.conf.py config.wsgi`
(the config adds `site/` to the import path). Every value can be
overridden on the command line or with GUNICORN_CMD_ARGS.

Access logs carry the method and the path only, never the query string:
a search URL holds the visitor's location and the care they look for
(tests/site/test_gunicorn_conf.py checks this)."""

import multiprocessing
import os

pythonpath = "site"
wsgi_app = "config.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# A request that takes longer than this is killed; the CSV download of
# 20,000 rows streams in well under it (README, "Hardening").
timeout = 30
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak cannot grow without bound.
max_requests = 2000
max_requests_jitter = 200
# Reject oversized request lines and headers early.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190

accesslog = "-"
errorlog = "-"
# %(U)s is the path without the query string; %(q)s (query) and %(r)s
# (full request line) must never appear here.
access_log_format = '%(h)s - %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'


def post_worker_init(worker):
    """Load the ZIP/city tables and the search index before the worker
    takes requests, then move everything alive into the garbage
    collector's permanent generation: a full collection otherwise rescans
    these hundreds of thousands of objects every few seconds (100-400 ms
    pauses at 100,000 listings)."""
    import gc

    from directory.warmup import warm_up

    warm_up()
    gc.collect()
    gc.freeze()
