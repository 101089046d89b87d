from django.conf import settings
from django.core.management.base import BaseCommand

from inquiries import services


class Command(BaseCommand):
    help = "Delete inquiries older than INQUIRY_RETENTION_DAYS (run daily from cron)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="Override INQUIRY_RETENTION_DAYS.")

    def handle(self, *args, days, **options):
        days = settings.INQUIRY_RETENTION_DAYS if days is None else days
        deleted = services.inquiry_purge(older_than_days=days)
        self.stdout.write(f"deleted {deleted} inquiries older than {days} days")
