"""Cron: remind centers whose availability was not confirmed for 30 days.
Idempotent: at most one reminder per listing per 30 days (each reminder is a
log entry on the listing). Emails go through the task queue."""

from django.core.management.base import BaseCommand

from portal.reminders import programs_remind_stale_availability


class Command(BaseCommand):
    help = "Queue availability reminders for listings not confirmed in 30 days."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="At most this many reminders this run.")

    def handle(self, *args, limit=None, **options):
        count = programs_remind_stale_availability(limit=limit)
        self.stdout.write(f"{count} reminder(s) queued.")
