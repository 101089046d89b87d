"""Write the compact ZIP centroid table (directory/data/zip_centroids.tsv.gz)
from the `zipcodes` package. Run after upgrading that package."""

from django.core.management.base import BaseCommand

from directory import geo


class Command(BaseCommand):
    help = "Rebuild directory/data/zip_centroids.tsv.gz from the zipcodes package."

    def handle(self, *args, **options):
        count = geo.write_zip_table()
        self.stdout.write(f"Wrote {count:,} ZIP codes to {geo.ZIP_TABLE_PATH}.")
