"""The site's own base URL, with no manual step to forget.

- Production (`SITE_URL_MODE=setting`, the default): SITE_URL is the truth.
  Every `migrate` (part of every deployment) points Wagtail's default Site
  at it, so canonical, og:url, JSON-LD, sitemap and the links in emails agree.
- Development (`config.settings.dev`: `SITE_URL_MODE=request`): the address
  the site is actually served at wins. Each request's scheme and host (for
  example `runserver 127.0.0.1:8166`) become the default Site and the admin's
  base URL as soon as they differ from the current ones.
- Tests (`off`): nothing changes by itself.
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


def site_base_url():
    """The base URL for links in emails and feeds (no trailing slash)."""
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "") or ""
    if base:
        return base.rstrip("/")
    site = Site.objects.filter(is_default_site=True).first()
    return site.root_url if site else ""


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
