"""Point Wagtail's default Site at SITE_URL, so canonical, Open Graph,
JSON-LD and sitemap URLs use the public host instead of localhost. Run once
per deployment, after migrate."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Site


class Command(BaseCommand):
    help = "Set the default Wagtail Site's hostname and port from SITE_URL."

    def handle(self, *args, **options):
        parts = urlsplit(settings.SITE_URL)
        if not parts.hostname:
            raise CommandError(f"SITE_URL {settings.SITE_URL!r} has no host name.")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        site = Site.objects.get(is_default_site=True)
        site.hostname, site.port = parts.hostname, port
        site.save()
        self.stdout.write(f"Default site is now {parts.hostname}:{port}.")
