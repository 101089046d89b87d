"""manage.py check_links: check the reference URLs and body links of every
live article (content/link_check.py) and store the results for the admin's
Reports -> Broken links. Prints the problems found. Meant for an editor, or
for cron, e.g. weekly:

    0 6 * * 1 cd /srv/findcare && .venv/bin/python manage.py check_links --queue
"""

from django.core.management.base import BaseCommand, CommandError

from content.link_check import DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT, link_check_run
from content.tasks import check_links


class Command(BaseCommand):
    help = "Check the links of live articles (references, body) and store the results for the admin report."

    def add_arguments(self, parser):
        parser.add_argument(
            "--timeout", type=float, default=DEFAULT_TIMEOUT, help="Seconds to wait for each request."
        )
        parser.add_argument(
            "--concurrency", type=int, default=DEFAULT_CONCURRENCY, help="Requests under way at once."
        )
        parser.add_argument(
            "--queue", action="store_true", help="Queue the check as a background task, not run it here."
        )

    def handle(self, *args, timeout, concurrency, queue, **options):
        if timeout <= 0 or concurrency < 1:
            raise CommandError("--timeout must be above 0 and --concurrency at least 1.")
        if queue:
            result = check_links.enqueue()
            self.stdout.write(f"Link check queued (task {result.id}).")
            return
        summary = link_check_run(timeout=timeout, concurrency=concurrency)
        for link, verdict in summary.problems:
            self.stdout.write(f"{verdict.status.upper():<10} page {link.page_id}, {link.where}: {link.url}")
            if verdict.message:
                self.stdout.write(f"           {verdict.message}")
        counts = ", ".join(f"{count} {status}" for status, count in sorted(summary.counts.items())) or "none"
        self.stdout.write(f"Checked {summary.links} link(s) on {summary.pages} live article(s): {counts}.")
