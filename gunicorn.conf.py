"""gunicorn settings for FindCare: `gunicorn -c gunicorn.conf.py config.wsgi`
(the config adds `site/` to the import path). Every value can be
overridden on the command line or with GUNICORN_CMD_ARGS.

Access logs carry the method and the path only, never the query string:
a search URL holds the visitor's location and the care they look for; and
secrets in paths (inquiry status links, invitations, email confirmations,
password resets) are replaced with [redacted] by the same filter as
Django's logs (site/config/log_redaction.py). tests/site/test_gunicorn_conf.py
checks both."""

import multiprocessing
import os
import sys
from pathlib import Path

from gunicorn.glogging import Logger

SITE_DIR = str(Path(__file__).resolve().parent / "site")
if SITE_DIR not in sys.path:  # gunicorn applies `pythonpath` only after reading this file
    sys.path.insert(0, SITE_DIR)

from config.log_redaction import RedactSecrets  # noqa: E402

pythonpath = "site"
wsgi_app = "config.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# A request that takes longer than this is killed; the CSV download of
# 20,000 rows streams in well under it (docs/hardening.md).
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


class RedactingLogger(Logger):
    """gunicorn's logger with the secrets filter on its access and error logs
    (a filter on the logger, so it holds whatever handlers gunicorn sets up)."""

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.access_log, self.error_log):
            if not any(isinstance(existing, RedactSecrets) for existing in log.filters):
                log.addFilter(RedactSecrets())


logger_class = RedactingLogger


# Import Django and the app once in the master and fork workers from it:
# the ~100 MB of modules (Django, Wagtail, allauth, ninja) and the offline
# ZIP/city tables are then shared copy-on-write instead of loaded once per
# worker, and a recycled worker (max_requests) starts in milliseconds.
# Nothing opens a database connection at import (the master never holds
# one); each worker builds its own search index after forking.
preload_app = True


def when_ready(server):
    """In the master, after the app is loaded and before any fork: load the
    offline place tables (no database) so every worker shares them, and move
    everything alive into the collector's permanent generation so no
    collection in a worker writes to (and so copies) these shared pages."""
    from directory.search.warmup import settle, warm_up_tables

    warm_up_tables()
    settle()


def post_worker_init(worker):
    """Build the search index before the worker takes requests, then freeze
    what it holds: a full collection otherwise rescans every long-lived
    object every few seconds (100-400 ms pauses at 100,000 listings before
    the index was made compact), and hand the build's temporary memory
    back to the operating system."""
    from directory.search.warmup import settle, warm_up

    warm_up()
    settle()
