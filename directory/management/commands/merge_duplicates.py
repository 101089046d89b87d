"""manage.py merge_duplicates [--apply]: find listings already stored that
are one facility (the importer's identity rule: same normalised address,
and a similar name or the same phone) and merge them. A dry run by default:
it prints the clusters it would merge and the pairs it is unsure of. With
--apply it merges the certain clusters (directory/merging.py) and queues
the unsure pairs for staff in the admin's match review."""

from django.core.management.base import BaseCommand

from directory.duplicates import duplicate_clusters, queue_unsure_pairs
from directory.merging import programs_merge


class Command(BaseCommand):
    help = "Merge stored listings that are one facility (dry run unless --apply)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--apply", action="store_true", help="Merge, and queue the unsure pairs for staff."
        )
        parser.add_argument("--limit", type=int, default=50, help="Clusters and pairs printed (default 50).")

    def handle(self, *args, apply=False, limit=50, **options):
        found = duplicate_clusters()
        verb = "Merged" if apply else "Would merge"
        for cluster in found.clusters[:limit]:
            survivor, *others = cluster.programs
            names = "; ".join(f"{p.slug}" for p in others)
            self.stdout.write(f"{verb} into {survivor.slug}: {names} ({cluster.reason})")
        if len(found.clusters) > limit:
            self.stdout.write(f"... and {len(found.clusters) - limit} more clusters")
        for pair in found.unsure[:limit]:
            self.stdout.write(f"Unsure: {pair.first.slug} / {pair.second.slug} ({pair.reason})")
        merged = queued = 0
        if apply:
            for cluster in found.clusters:
                survivor, *others = cluster.programs
                programs_merge(survivor=survivor, merged=others)
                merged += len(others)
            queued = queue_unsure_pairs(found.unsure)
        listings = sum(len(c.programs) - 1 for c in found.clusters)
        if apply:
            self.stdout.write(
                f"Merged {merged} listings in {len(found.clusters)} clusters; "
                f"queued {queued} unsure pairs for the match review."
            )
        else:
            self.stdout.write(
                f"Dry run, nothing written: {len(found.clusters)} clusters ({listings} listings to merge), "
                f"{len(found.unsure)} unsure pairs. Run with --apply to merge them."
            )
