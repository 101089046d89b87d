"""manage.py export_facilities: every program in the project's own format
(a backup that import_facilities reads back unchanged)."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from directory.exports import BACKUP_COLUMNS, export_queryset, write_csv, write_json


class Command(BaseCommand):
    help = "Export every program (including private fields) as CSV or JSON, for backups and round trips."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["csv", "json"], default="csv")
        parser.add_argument("-o", "--output", type=Path, help="Default: standard output.")

    def handle(self, *args, format="csv", output=None, **options):
        writer = write_json if format == "json" else write_csv
        if output is None:
            count = writer(export_queryset(), sys.stdout, columns=BACKUP_COLUMNS)
        else:
            with output.open("w", encoding="utf-8", newline="") as handle:
                count = writer(export_queryset(), handle, columns=BACKUP_COLUMNS)
        self.stderr.write(f"Exported {count} programs.")
