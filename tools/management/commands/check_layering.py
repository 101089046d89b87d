"""manage.py check_layering: load real-shaped files of every SAMHSA source
one after another, as staff do over the years (oldest first, then again
newest first), and print what a family would meet: listings, duplicate
clusters, OTPs without methadone, published listings nobody can contact,
and whether both orders give the same directory. Each order runs in a
transaction that is rolled back, on an empty directory. Figures and how to
read them: docs/data-import.md ("Layering sources")."""

import resource
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from directory.models import Program
from tools.layering import Manifest, directory_figures, import_in_order, snapshot_differences

DEFAULT_MANIFEST = (
    Path(__file__).resolve().parents[3]
    / "tests"
    / "directory"
    / "fixtures"
    / "samhsa"
    / "layered"
    / "manifest.tsv"
)


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Layer one file of each SAMHSA source in both orders and print the directory's figures."

    def add_arguments(self, parser):
        parser.add_argument(
            "--manifest", type=Path, default=DEFAULT_MANIFEST,
            help="A TSV of file and as_of (data date) columns, oldest first. Default: the bundled fixtures.",
        )  # fmt: skip
        parser.add_argument("--order", choices=["forward", "reverse", "both"], default="both")
        parser.add_argument("--strict", action="store_true", help="Exit with an error when a goal is missed.")

    def handle(self, *args, manifest, order, strict, **options):
        if Program.objects.exists():
            raise CommandError(
                "check_layering needs an empty directory (it measures what the files alone give): run it "
                "on a scratch database, e.g. DATABASE_URL=sqlite:////tmp/layering.sqlite3 after migrate."
            )
        try:
            files = Manifest.read(manifest)
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot read {manifest}: {exc}") from exc
        orders = {"forward": [files], "reverse": [files.reversed()], "both": [files, files.reversed()]}[order]
        results = []
        for files_in_order in orders:
            try:
                with transaction.atomic():
                    notes = import_in_order(files_in_order)
                    results.append((files_in_order, notes, directory_figures()))
                    raise Rollback
            except Rollback:
                pass
        missed = []
        for files_in_order, notes, figures in results:
            self.stdout.write(f"\n{files_in_order.label()}:")
            for line in notes:
                self.stdout.write(f"  {line}")
            for label, value in figures.table():
                self.stdout.write(f"  {label:<44}{value:>8}")
            missed += [f"{files_in_order.direction}: {goal}" for goal in figures.missed_goals()]
        if len(results) == 2:
            differences = snapshot_differences(results[0][2].snapshot, results[1][2].snapshot)
            self.stdout.write(f"\nSame directory in both orders: {'yes' if not differences else 'no'}")
            for line in differences[:20]:
                self.stdout.write(f"  {line}")
            if differences:
                missed.append(f"the two orders differ in {len(differences)} listing(s)")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(f"\nPeak memory: {peak:.0f} MB")
        if missed:
            for goal in missed:
                self.stdout.write(self.style.WARNING(f"Goal missed: {goal}"))
            if strict:
                raise CommandError(f"{len(missed)} goal(s) missed")
