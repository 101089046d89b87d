"""manage.py purge_import_files: delete the facility files staff uploaded in
the admin, and their reports, once they are DIRECTORY_IMPORT_RETENTION_DAYS
old (run daily from cron). The import jobs and their summaries stay."""

from django.conf import settings
from django.core.management.base import BaseCommand

from directory.importing.jobs import import_files_purge


class Command(BaseCommand):
    help = "Delete uploaded facility files and import reports older than DIRECTORY_IMPORT_RETENTION_DAYS."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=None,
            help=f"Default: DIRECTORY_IMPORT_RETENTION_DAYS ({settings.DIRECTORY_IMPORT_RETENTION_DAYS}).",
        )  # fmt: skip

    def handle(self, *args, days=None, **options):
        purged = import_files_purge(days=days)
        self.stdout.write(f"Deleted the files of {purged} import(s).")
