"""Writes for inquiries: create (durably, then deliver), deliver with
retries, open/answer/note by the program, delete by the family, purge and
key rotation."""

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from wagtail.log_actions import log

from directory.models import Program

from . import crypto
from .models import Inquiry
from .selectors import inquiry_read_url, inquiry_recipients, token_hash

logger = logging.getLogger(__name__)

CONTENT_FIELDS = ["name", "email", "phone", "message", "contact_method", "best_time", "for_whom"]
ENCRYPTED_FIELDS = [*CONTENT_FIELDS, "center_note"]
SEND_LEASE = timedelta(minutes=10)  # a send attempt that takes longer is assumed lost
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def family_token_for(idempotency_key: str) -> str:
    """The family's private token, derived from the form's one-time key with
    the secret key, so a repeated submit can hand back the same link while
    the database keeps only a hash of each."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"findcare.inquiry-token:{idempotency_key}".encode(), hashlib.sha256
    )
    return digest.hexdigest()


def new_reference() -> str:
    return "FC-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(7))


def inquiry_create(*, program: Program, data: dict, idempotency_key: str) -> Inquiry:
    """Save the inquiry and queue its delivery in one transaction; the same
    idempotency key always gives back the one inquiry it made. The returned
    inquiry carries `family_token` (never stored in clear)."""
    key_hash = token_hash(idempotency_key)
    token = family_token_for(idempotency_key)
    existing = Inquiry.objects.filter(idempotency_key_hash=key_hash).first()
    if existing is None:
        try:
            with transaction.atomic():
                existing = Inquiry.objects.create(
                    program=program,
                    reference=new_reference(),
                    token_hash=token_hash(token),
                    idempotency_key_hash=key_hash,
                    next_attempt_at=timezone.now(),
                    **{field: data.get(field, "") for field in CONTENT_FIELDS},
                    confirmation_requested=bool(data.get("send_confirmation")) and bool(data.get("email")),
                )
                _enqueue_after_commit(existing)
        except IntegrityError:
            # The same key committed by a concurrent request (double click).
            existing = Inquiry.objects.get(idempotency_key_hash=key_hash)
    existing.family_token = token
    return existing


def _enqueue_after_commit(inquiry: Inquiry) -> None:
    from .tasks import deliver_inquiry, send_inquiry_confirmation

    pk = inquiry.pk
    transaction.on_commit(lambda: _enqueue(deliver_inquiry, pk))
    if inquiry.confirmation_requested:
        transaction.on_commit(lambda: _enqueue(send_inquiry_confirmation, pk))


def _enqueue(task, pk, run_after=None) -> None:
    """Queue a task; if the queue is down the inquiry is already saved and
    `deliver_pending_inquiries` sends it later."""
    try:
        if run_after is not None:
            task = task.using(run_after=run_after)
        task.enqueue(pk)
    except Exception as exc:  # noqa: BLE001 - never lose the request over the queue
        logger.warning("Could not queue %s for inquiry %s: %s", task.name, pk, type(exc).__name__)


# Delivery ------------------------------------------------------------------


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
    the outcome. Mail errors are recorded, never raised."""
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
    if not gave_up:
        _schedule_retry(inquiry.pk, next_at)
    return state


def _schedule_retry(pk: int, when) -> None:
    from django_tasks import default_task_backend

    from .tasks import deliver_inquiry

    if default_task_backend.supports_defer:
        _enqueue(deliver_inquiry, pk, run_after=when)
    # Otherwise (immediate backend) `deliver_pending_inquiries` retries it.


def inquiry_deliver(*, inquiry_id: int) -> Inquiry.Delivery | None:
    """Claim and send one inquiry; None when it is not due (already sent,
    or being sent by someone else)."""
    if not inquiry_claim_for_delivery(inquiry_id=inquiry_id):
        return None
    return inquiry_send_claimed(inquiry_id=inquiry_id)


def _send_notification(inquiry: Inquiry) -> None:
    from portal.selectors import organization_has_members

    context = {
        "inquiry": inquiry,
        "program": inquiry.program,
        "read_url": inquiry_read_url(inquiry),
        "in_portal": organization_has_members(organization_id=inquiry.program.organization_id),
    }
    send_mail(
        subject=f"New inquiry for {inquiry.program.name} on FindCare",
        message=render_to_string("inquiries/email/notification.txt", context),
        from_email=None,
        recipient_list=inquiry_recipients(inquiry.program),
    )


def inquiry_resend(*, inquiry: Inquiry, user) -> None:
    """Staff: send again now (after fixing the program's address)."""
    from .tasks import deliver_inquiry

    Inquiry.objects.filter(pk=inquiry.pk).update(
        delivery_state=Inquiry.Delivery.PENDING, next_attempt_at=timezone.now(), last_error=""
    )
    log(instance=inquiry, action="inquiries.resend", user=user)
    pk = inquiry.pk
    transaction.on_commit(lambda: _enqueue(deliver_inquiry, pk))


def inquiry_send_confirmation(*, inquiry_id: int) -> bool:
    """The family's optional confirmation: program and reference, no copy of
    what they wrote. Sent at most once."""
    inquiry = Inquiry.objects.select_related("program").get(pk=inquiry_id)
    if not inquiry.confirmation_requested or inquiry.confirmation_sent_at or not inquiry.email:
        return False
    context = {"inquiry": inquiry, "program": inquiry.program}
    try:
        send_mail(
            subject=f"Your FindCare inquiry {inquiry.reference}",
            message=render_to_string("inquiries/email/confirmation.txt", context),
            from_email=None,
            recipient_list=[inquiry.email],
        )
    except Exception as exc:  # noqa: BLE001 - a courtesy email; the inquiry itself is safe
        logger.warning("Inquiry %s confirmation email failed (%s)", inquiry.pk, type(exc).__name__)
        return False
    Inquiry.objects.filter(pk=inquiry.pk).update(confirmation_sent_at=timezone.now())
    return True


# The program's side ---------------------------------------------------------


@dataclass(frozen=True)
class InquiryContents:
    name: str
    email: str
    phone: str
    message: str
    contact_method: str
    best_time: str
    for_whom: str
    center_note: str


def inquiry_open(*, inquiry: Inquiry, user) -> InquiryContents:
    """Decrypted contents for someone allowed to read them. Records the
    first opening (the family sees "opened") and logs every viewing in
    Wagtail's audit log."""
    if inquiry.opened_at is None:
        inquiry.opened_at = timezone.now()
        inquiry.opened_by = user
        first = Inquiry.objects.filter(pk=inquiry.pk, opened_at=None)
        first.update(opened_at=inquiry.opened_at, opened_by=user)
    log(instance=inquiry, action="inquiries.view_contents", user=user)
    fresh = Inquiry.objects.get(pk=inquiry.pk)
    labels = {
        "contact_method": Inquiry.ContactMethod,
        "best_time": Inquiry.BestTime,
        "for_whom": Inquiry.ForWhom,
    }
    values = {field: getattr(fresh, field) for field in ENCRYPTED_FIELDS}
    for field, choices in labels.items():
        values[field] = dict(choices.choices).get(values[field], values[field])
    return InquiryContents(**values)


def inquiry_set_status(*, inquiry: Inquiry, status: str, user) -> Inquiry:
    inquiry.status = Inquiry.Status(status)
    fields = ["status"]
    if inquiry.status == Inquiry.Status.CONTACTED and inquiry.answered_at is None:
        inquiry.answered_at = timezone.now()
        fields.append("answered_at")
    inquiry.save(update_fields=fields)
    log(instance=inquiry, action="inquiries.set_status", user=user, data={"status": inquiry.status.value})
    return inquiry


def inquiry_set_note(*, inquiry: Inquiry, note: str, user) -> Inquiry:
    inquiry.center_note = note
    inquiry.save(update_fields=["center_note"])
    log(instance=inquiry, action="inquiries.set_note", user=user)  # the note itself stays encrypted
    return inquiry


# The family's side ----------------------------------------------------------


def inquiry_delete_by_family(*, inquiry: Inquiry) -> None:
    """Delete for good: the row, and with it every encrypted field. The
    audit log keeps only that an inquiry with this reference was deleted."""
    log(instance=inquiry, action="inquiries.deleted_by_family", user=None)
    inquiry.delete()


# Housekeeping ---------------------------------------------------------------


def inquiry_purge(*, older_than_days: int | None = None, now=None) -> int:
    days = settings.INQUIRY_RETENTION_DAYS if older_than_days is None else older_than_days
    cutoff = (now or timezone.now()) - timedelta(days=days)
    _, per_model = Inquiry.objects.filter(created_at__lt=cutoff).delete()
    return per_model.get(Inquiry._meta.label, 0)


def inquiry_rotate_keys(*, batch_size: int = 500) -> int:
    """Re-encrypt every stored value with the first key; returns the number
    of inquiries rewritten. Safe to run again."""
    rotated = 0
    model_fields = {field: Inquiry._meta.get_field(field) for field in ENCRYPTED_FIELDS}
    with connection.cursor() as cursor:
        table = Inquiry._meta.db_table
        columns = ", ".join(connection.ops.quote_name(f.column) for f in model_fields.values())
        cursor.execute(f"SELECT id, {columns} FROM {connection.ops.quote_name(table)}")  # noqa: S608
        rows = cursor.fetchall()
    for start in range(0, len(rows), batch_size):
        with transaction.atomic():
            for row in rows[start : start + batch_size]:
                pk, values = row[0], row[1:]
                updates = {
                    field: crypto.rotate(value)
                    for field, value in zip(model_fields, values, strict=True)
                    if value
                }
                if updates:
                    _raw_update(pk, updates)
                    rotated += 1
    return rotated


def _raw_update(pk: int, encrypted: dict) -> None:
    """Write already-encrypted values without the field encrypting them
    again."""
    table = connection.ops.quote_name(Inquiry._meta.db_table)
    assignments = ", ".join(f"{connection.ops.quote_name(field)} = %s" for field in encrypted)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {assignments} WHERE id = %s",  # noqa: S608
            [*encrypted.values(), pk],
        )
