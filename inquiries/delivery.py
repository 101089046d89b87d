"""Sending an inquiry's emails: the center's notification (claimed by one
worker at a time, with retries) and the family's optional confirmation.

What the tasks in inquiries/tasks.py run, and the cron fallback
`deliver_pending_inquiries`. Nothing here queues a task: a failed attempt
records when the next one is due, and the caller (the task, or the command)
schedules it (inquiries.tasks.schedule_retry)."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from config.site_url import absolute_url

from .models import Inquiry
from .recipients import center_recipients
from .selectors import inquiry_read_url, inquiry_recipients, program_reads_inquiries

logger = logging.getLogger(__name__)

SEND_LEASE = timedelta(minutes=10)  # a send attempt that takes longer is assumed lost


def inquiry_claim_for_delivery(*, inquiry_id: int) -> bool:
    """Take the inquiry for one send attempt, atomically: a conditional
    UPDATE, so two workers never both send it."""
    now = timezone.now()
    claimed = (
        Inquiry.objects.due_for_delivery(now)
        .filter(pk=inquiry_id)
        .update(delivery_state=Inquiry.Delivery.SENDING, next_attempt_at=now + SEND_LEASE)
    )
    return claimed == 1


def inquiry_claim_due(*, limit: int = 100) -> list[int]:
    """Claim up to `limit` inquiries due for delivery. On PostgreSQL the rows
    are locked with SKIP LOCKED so hosts running this at once split the work;
    SQLite's IMMEDIATE transactions serialise it."""
    now = timezone.now()
    with transaction.atomic():
        due = Inquiry.objects.due_for_delivery(now).order_by("next_attempt_at")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("pk", flat=True)[:limit])
        Inquiry.objects.filter(pk__in=ids).update(
            delivery_state=Inquiry.Delivery.SENDING, next_attempt_at=now + SEND_LEASE
        )
    return ids


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4, 8 ... minutes, at most 6 hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def inquiry_send_claimed(*, inquiry_id: int) -> Inquiry.Delivery:
    """Send the notification for an inquiry this worker claimed and record
    the outcome. Mail errors are recorded, never raised; after a failure
    (PENDING) the inquiry's next_attempt_at says when to try again."""
    inquiry = Inquiry.objects.select_related("program").get(pk=inquiry_id)
    attempts = inquiry.delivery_attempts + 1
    try:
        if not inquiry_recipients(inquiry.program):
            raise ValueError("The program has no inquiry address and no portal members.")
        _send_notification(inquiry)
    except Exception as exc:  # noqa: BLE001 - any mail failure is retried
        return _record_failure(inquiry, attempts, exc)
    Inquiry.objects.filter(pk=inquiry_id).update(
        delivery_state=Inquiry.Delivery.SENT,
        delivery_attempts=attempts,
        delivered_at=timezone.now(),
        next_attempt_at=None,
        last_error="",
    )
    return Inquiry.Delivery.SENT


def _record_failure(inquiry: Inquiry, attempts: int, exc: Exception) -> Inquiry.Delivery:
    # The error names the exception and the mail server's answer (about the
    # program's address), never anything the family typed.
    error = f"{type(exc).__name__}: {exc}"[:300]
    gave_up = attempts >= settings.INQUIRY_DELIVERY_MAX_ATTEMPTS
    state = Inquiry.Delivery.FAILED if gave_up else Inquiry.Delivery.PENDING
    next_at = None if gave_up else timezone.now() + retry_delay(attempts)
    Inquiry.objects.filter(pk=inquiry.pk).update(
        delivery_state=state, delivery_attempts=attempts, last_error=error, next_attempt_at=next_at
    )
    logger.warning("Inquiry %s delivery attempt %s failed (%s)", inquiry.pk, attempts, type(exc).__name__)
    return state


def inquiry_deliver(*, inquiry_id: int) -> Inquiry.Delivery | None:
    """Claim and send one inquiry; None when it is not due (already sent,
    or being sent by someone else)."""
    if not inquiry_claim_for_delivery(inquiry_id=inquiry_id):
        return None
    return inquiry_send_claimed(inquiry_id=inquiry_id)


def _render(template: str, context: dict) -> tuple[str, str]:
    """(subject, body) from inquiries/email/<template>_subject.txt and _message.txt."""
    subject = render_to_string(f"inquiries/email/{template}_subject.txt", context).strip()
    return subject, render_to_string(f"inquiries/email/{template}_message.txt", context)


def _send_notification(inquiry: Inquiry) -> None:
    context = {
        "inquiry": inquiry,
        "program": inquiry.program,
        "read_url": inquiry_read_url(inquiry),
        "in_portal": center_recipients().has_members(inquiry.program.organization_id),
    }
    subject, body = _render("notification", context)
    send_mail(
        subject=subject, message=body, from_email=None, recipient_list=inquiry_recipients(inquiry.program)
    )


def inquiry_send_confirmation(*, inquiry_id: int) -> bool:
    """The family's optional confirmation: program, reference and their
    private status link, no copy of what they wrote. Sent at most once; the
    link's token (kept encrypted for this email only) is then emptied.
    Failures log the inquiry id and the error's type, never the link."""
    inquiry = Inquiry.objects.select_related("program").get(pk=inquiry_id)
    if not inquiry.confirmation_requested or inquiry.confirmation_sent_at or not inquiry.email:
        return False
    status_url = ""
    if inquiry.confirmation_token:
        path = reverse("inquiries:status", args=[inquiry.confirmation_token])
        status_url = absolute_url(path)
    context = {
        "inquiry": inquiry,
        "program": inquiry.program,
        "status_url": status_url,
        "in_inbox": program_reads_inquiries(inquiry.program),
    }
    subject, body = _render("confirmation", context)
    try:
        send_mail(subject=subject, message=body, from_email=None, recipient_list=[inquiry.email])
    except Exception as exc:  # noqa: BLE001 - a courtesy email; the inquiry itself is safe
        logger.warning("Inquiry %s confirmation email failed (%s)", inquiry.pk, type(exc).__name__)
        return False
    Inquiry.objects.filter(pk=inquiry.pk).update(confirmation_sent_at=timezone.now(), confirmation_token="")
    return True
