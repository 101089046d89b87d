"""manage.py remind_reviews_due: queue the email to editors and medical
reviewers about live medically reviewed pages (articles, the care guide) whose review is past
due. Meant for cron, e.g. weekly:

    0 8 * * 1 cd /srv/findcare && .venv/bin/python manage.py remind_reviews_due
"""

from django.core.management.base import BaseCommand

from content import selectors
from content.tasks import send_review_reminders


class Command(BaseCommand):
    help = (
        "Queue reminder emails to editors (who start the review) and medical reviewers "
        "(who approve it) for pages whose medical review is past due."
    )

    def handle(self, *args, **options):
        due = selectors.reviews_past_due().count()
        if not due:
            self.stdout.write("No medical review is past due: nothing to send.")
            return
        result = send_review_reminders.enqueue()
        self.stdout.write(f"{due} medical review(s) past due: reminder queued (task {result.id}).")
