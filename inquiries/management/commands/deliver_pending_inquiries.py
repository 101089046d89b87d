from django.core.management.base import BaseCommand

from inquiries import delivery, tasks
from inquiries.models import Inquiry


class Command(BaseCommand):
    help = (
        "Send the notifications of inquiries that are due (new, waiting for a retry, or stuck in a "
        "send that never finished). Cron-safe: hosts running it at once never send one twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=500, help="At most this many per run.")

    def handle(self, *args, limit, **options):
        outcomes = {}
        for inquiry_id in delivery.inquiry_claim_due(limit=limit):
            state = delivery.inquiry_send_claimed(inquiry_id=inquiry_id)
            if state == Inquiry.Delivery.PENDING:
                tasks.schedule_retry(inquiry_id)
            outcomes[state] = outcomes.get(state, 0) + 1
        sent = outcomes.get("sent", 0)
        retry = outcomes.get("pending", 0)
        failed = outcomes.get("failed", 0)
        self.stdout.write(f"sent {sent}, will retry {retry}, undeliverable {failed}")
