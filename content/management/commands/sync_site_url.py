"""Point Wagtail's default Site at SITE_URL by hand. `migrate` already does
this in production (config/site_url.py); the command stays as a tool."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from config.site_url import host_and_port, sync_default_site


class Command(BaseCommand):
    help = "Set the default Wagtail Site's hostname and port from SITE_URL."

    def handle(self, *args, **options):
        try:
            hostname, port = host_and_port(settings.SITE_URL)
        except ValueError as error:
            raise CommandError(f"SITE_URL: {error}") from None
        sync_default_site(settings.SITE_URL)
        self.stdout.write(f"Default site is now {hostname}:{port}.")
