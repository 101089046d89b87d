"""The site's own base URL, with no manual step to forget.

- Production (`SITE_URL_MODE=setting`, the default): SITE_URL is the truth.
  Every `migrate` (part of every deployment) points Wagtail's default Site
  at it, so canonical, og:url, JSON-LD, sitemap and the links in emails agree.
- Development (`config.settings.dev`: `SITE_URL_MODE=request`): the address
  the site is actually served at wins. Each request's scheme and host (for
  example `runserver 127.0.0.1:8166`) become the default Site and the admin's
  base URL as soon as they differ from the current ones.
  A process that serves no request (a management command such as
  `remind_reviews_due`, a task worker) uses SITE_URL when it was set in the
  environment (`make run` sets it to the address it serves), else reads the
  served address back from the default Site, so its emails link to the port the site is served at, not
  to SITE_URL's default port 8000; before the site was ever served (the Site
  is still the placeholder localhost:80 the migrations create), SITE_URL,
  which defaults to http://127.0.0.1:8000, `make run`'s address.
- Tests (`off`): nothing changes by itself; SITE_URL is the base.

Every absolute link is built here: `absolute_url(path, request)` (the
request's own address inside a request, else `site_base_url()`) and
`page_url(page, request)`. Inside a request both agree: in production the
host is one of ALLOWED_HOSTS, SITE_URL's; in development the middleware has
just made the served address the base.
`manage.py sync_site_url` (content's command) still does the production sync
by hand; content/apps.py connects the post_migrate sync (config is no app:
it has no AppConfig to connect it from)."""

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.db import DatabaseError
from wagtail.models import Site

logger = logging.getLogger(__name__)


def host_and_port(url):
    parts = urlsplit(url)
    if not parts.hostname or parts.scheme not in ("http", "https"):
        raise ValueError(f"{url!r} is not an http(s) URL with a host name.")
    return parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)


def sync_default_site(url):
    """Point the default Wagtail Site at `url`; True when it changed."""
    hostname, port = host_and_port(url)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None or (site.hostname, site.port) == (hostname, port):
        return False
    site.hostname, site.port = hostname, port
    site.save(update_fields=["hostname", "port"])
    return True


# The default Site the migrations create, before the site was ever served.
PLACEHOLDER_SITE = ("localhost", 80)


def site_base_url():
    """The base URL (no trailing slash) of links made outside a request:
    emails sent by tasks and commands. In development (SITE_URL_MODE=request)
    the address the site is served at: this process's own when it serves
    requests, else SITE_URL when set in the environment, else the one the
    serving process recorded in the default Site;
    the process's settings then follow it too, so Wagtail's own emails (its
    admin links use WAGTAILADMIN_BASE_URL) agree. Otherwise SITE_URL."""
    if getattr(settings, "SITE_URL_MODE", "setting") == "request":
        served = FollowServedAddressMiddleware.followed
        if served is None and not getattr(settings, "SITE_URL_FROM_ENV", False):
            served = _recorded_address()
        if served:
            settings.SITE_URL = settings.WAGTAILADMIN_BASE_URL = served
            return served
    return settings.SITE_URL.rstrip("/")


def _recorded_address():
    try:
        site = Site.objects.filter(is_default_site=True).first()
    except DatabaseError:  # not migrated yet
        return None
    if site is None or (site.hostname, site.port) == PLACEHOLDER_SITE:
        return None
    return site.root_url


def absolute_url(path, request=None):
    """`path` (e.g. from reverse()) as an absolute URL: on the address of
    `request` when there is one, else on site_base_url()."""
    if request is not None:
        return request.build_absolute_uri(path)
    return site_base_url() + path


def page_url(page, request=None):
    """A Wagtail page's absolute URL on the same base as every other link
    (Page.get_full_url() reads the default Site, which outside a request in
    development may not be the address served); None when not routable."""
    parts = page.get_url_parts(request=request)
    if parts is None:
        return None
    return absolute_url(parts[2], request)


def sync_site_on_migrate(sender, **kwargs):
    """post_migrate: in production, the default Site follows SITE_URL."""
    if getattr(settings, "SITE_URL_MODE", "setting") != "setting" or not settings.SITE_URL:
        return
    try:
        sync_default_site(settings.SITE_URL)
    except ValueError as error:
        logger.warning("SITE_URL not applied to the default site: %s", error)


class FollowServedAddressMiddleware:
    """Development only (SITE_URL_MODE=request): the site's base URL is the
    address the browser used, so links in emails and metadata work on any port."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if getattr(settings, "SITE_URL_MODE", "setting") == "request":
            self.follow(f"{request.scheme}://{request.get_host()}")
        return self.get_response(request)

    followed = None  # the base URL last applied by this process

    @classmethod
    def follow(cls, base):
        if base == cls.followed:
            return
        settings.SITE_URL = settings.WAGTAILADMIN_BASE_URL = base
        try:
            sync_default_site(base)
        except (DatabaseError, ValueError):  # not migrated yet, or an odd host
            logger.warning("Could not point the default site at %s", base)
            return
        cls.followed = base
