"""Writes for inquiries: create (durably, then queue the delivery), resend,
open/answer/note by the program, delete by the family, purge and key
rotation. The sending itself is inquiries.delivery, run by inquiries.tasks."""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from wagtail.log_actions import log

from directory.models import Program

from . import crypto, tasks
from .models import Inquiry
from .selectors import token_hash

CONTENT_FIELDS = ["name", "email", "phone", "message", "contact_method", "best_time", "for_whom"]
ENCRYPTED_FIELDS = [*CONTENT_FIELDS, "center_note"]
ROTATED_FIELDS = [*ENCRYPTED_FIELDS, "confirmation_token"]  # every encrypted column
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
    confirm = bool(data.get("send_confirmation")) and bool(data.get("email"))
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
                    confirmation_requested=confirm,
                    confirmation_token=token if confirm else "",
                )
                _enqueue_after_commit(existing)
        except IntegrityError:
            # The same key committed by a concurrent request (double click).
            existing = Inquiry.objects.get(idempotency_key_hash=key_hash)
    existing.family_token = token
    return existing


def _enqueue_after_commit(inquiry: Inquiry) -> None:
    pk = inquiry.pk
    transaction.on_commit(lambda: tasks.enqueue(tasks.deliver_inquiry, pk))
    if inquiry.confirmation_requested:
        transaction.on_commit(lambda: tasks.enqueue(tasks.send_inquiry_confirmation, pk))


# Delivery ------------------------------------------------------------------
# (the sending itself: inquiries.delivery, run by inquiries.tasks)


def inquiry_resend(*, inquiry: Inquiry, user) -> None:
    """Staff: send again now (after fixing the program's address)."""
    Inquiry.objects.filter(pk=inquiry.pk).update(
        delivery_state=Inquiry.Delivery.PENDING, next_attempt_at=timezone.now(), last_error=""
    )
    log(instance=inquiry, action="inquiries.resend", user=user)
    pk = inquiry.pk
    transaction.on_commit(lambda: tasks.enqueue(tasks.deliver_inquiry, pk))


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
    model_fields = {field: Inquiry._meta.get_field(field) for field in ROTATED_FIELDS}
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
