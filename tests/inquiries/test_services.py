"""inquiries/services.py and delivery.py: durable create, delivery with retries, the
program's side, the family's side, purge and key rotation."""

from datetime import timedelta

import pytest
from cryptography.fernet import Fernet
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from wagtail.models import ModelLogEntry

from inquiries import crypto, delivery, services
from inquiries.models import Inquiry
from tests.inquiries.conftest import CANARY, inquiry_data

pytestmark = pytest.mark.django_db


def create(program, key="key-1", **overrides):
    return services.inquiry_create(program=program, data=inquiry_data(**overrides), idempotency_key=key)


def raw_row(inquiry):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, email, message, for_whom FROM inquiries_inquiry WHERE id = %s", [inquiry.pk]
        )
        return cursor.fetchone()


def test_create_saves_and_delivers_on_commit(unjoined_program, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        inquiry = create(unjoined_program)
    inquiry.refresh_from_db()
    assert inquiry.delivery_state == Inquiry.Delivery.SENT
    assert inquiry.delivery_attempts == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["intake@example.org"]
    assert inquiry.reference in mail.outbox[0].body
    assert f"/for-centers/claim/listing/{unjoined_program.slug}/" in mail.outbox[0].body
    assert "does not use the FindCare center portal yet" in mail.outbox[0].body


def test_same_idempotency_key_gives_one_inquiry_and_same_token(program):
    first = create(program)
    second = create(program, name="Someone else")
    assert first.pk == second.pk
    assert first.family_token == second.family_token
    assert Inquiry.objects.count() == 1


def test_raw_columns_hold_no_plaintext(program):
    inquiry = create(program, name=f"Name {CANARY}", message=f"Message {CANARY}")
    for value in raw_row(inquiry):
        assert CANARY not in value
        assert "sam@example.org" not in value
    inquiry.refresh_from_db()
    assert inquiry.message == f"Message {CANARY}"


def test_token_is_stored_only_as_hash(program):
    inquiry = create(program)
    assert inquiry.family_token not in str(Inquiry.objects.filter(pk=inquiry.pk).values().get())


def test_mail_failure_keeps_inquiry_and_a_later_run_sends_once(program, django_capture_on_commit_callbacks):
    failing = override_settings(EMAIL_BACKEND="tests.inquiries.backends.FailingBackend")
    with failing, django_capture_on_commit_callbacks(execute=True):
        inquiry = create(program)
    inquiry.refresh_from_db()
    assert inquiry.delivery_state == Inquiry.Delivery.PENDING
    assert inquiry.delivery_attempts == 1
    assert "SMTPServerDisconnected" in inquiry.last_error
    assert inquiry.next_attempt_at > timezone.now()
    # Not due yet: nothing happens.
    assert delivery.inquiry_claim_due() == []
    Inquiry.objects.filter(pk=inquiry.pk).update(next_attempt_at=timezone.now())
    for pk in delivery.inquiry_claim_due():
        delivery.inquiry_send_claimed(inquiry_id=pk)
    for pk in delivery.inquiry_claim_due():  # a second run finds nothing
        delivery.inquiry_send_claimed(inquiry_id=pk)
    inquiry.refresh_from_db()
    assert inquiry.delivery_state == Inquiry.Delivery.SENT
    assert inquiry.delivery_attempts == 2
    assert len(mail.outbox) == 1


@override_settings(EMAIL_BACKEND="tests.inquiries.backends.FailingBackend", INQUIRY_DELIVERY_MAX_ATTEMPTS=2)
def test_gives_up_after_max_attempts(program):
    inquiry = create(program)
    assert delivery.inquiry_deliver(inquiry_id=inquiry.pk) == Inquiry.Delivery.PENDING
    Inquiry.objects.filter(pk=inquiry.pk).update(next_attempt_at=timezone.now())
    assert delivery.inquiry_deliver(inquiry_id=inquiry.pk) == Inquiry.Delivery.FAILED
    assert list(Inquiry.objects.undeliverable()) == [inquiry]


def test_no_address_is_undeliverable_until_fixed_and_resent(
    unjoined_program, admin_user, django_capture_on_commit_callbacks
):
    inquiry = create(unjoined_program)
    unjoined_program.inquiry_email = ""
    unjoined_program.save()
    with override_settings(INQUIRY_DELIVERY_MAX_ATTEMPTS=1):
        assert delivery.inquiry_deliver(inquiry_id=inquiry.pk) == Inquiry.Delivery.FAILED
    unjoined_program.inquiry_email = "fixed@example.org"
    unjoined_program.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.inquiry_resend(inquiry=inquiry, user=admin_user)
    inquiry.refresh_from_db()
    assert inquiry.delivery_state == Inquiry.Delivery.SENT
    assert mail.outbox[-1].to == ["fixed@example.org"]


def test_backoff_grows_and_is_capped():
    assert [delivery.retry_delay(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert delivery.retry_delay(30) == timedelta(hours=6)


def test_open_records_first_opening_and_logs_every_viewing(program, admin_user, django_user_model):
    inquiry = create(program, name=CANARY)
    contents = services.inquiry_open(inquiry=inquiry, user=admin_user)
    assert contents.name == CANARY
    assert contents.for_whom == "Myself"
    other = django_user_model.objects.create_user("other")
    services.inquiry_open(inquiry=inquiry, user=other)
    inquiry.refresh_from_db()
    assert inquiry.opened_by == admin_user
    assert inquiry.family_status == "opened"
    logs = ModelLogEntry.objects.filter(action="inquiries.view_contents", object_id=str(inquiry.pk))
    assert logs.count() == 2
    assert all(CANARY not in str(log.data) + log.label for log in logs)


def test_set_status_contacted_sets_answered_once(program, admin_user):
    inquiry = create(program)
    services.inquiry_set_status(inquiry=inquiry, status="contacted", user=admin_user)
    answered = inquiry.answered_at
    assert answered and inquiry.family_status == "answered"
    services.inquiry_set_status(inquiry=inquiry, status="closed", user=admin_user)
    services.inquiry_set_status(inquiry=inquiry, status="contacted", user=admin_user)
    assert inquiry.answered_at == answered


def test_note_is_encrypted(program, admin_user):
    inquiry = create(program)
    services.inquiry_set_note(inquiry=inquiry, note=f"Called back {CANARY}", user=admin_user)
    with connection.cursor() as cursor:
        cursor.execute("SELECT center_note FROM inquiries_inquiry WHERE id = %s", [inquiry.pk])
        assert CANARY not in cursor.fetchone()[0]
    inquiry.refresh_from_db()
    assert inquiry.center_note == f"Called back {CANARY}"


def test_confirmation_only_when_asked_and_without_message(
    unjoined_program, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        create(unjoined_program, key="a", message=CANARY)
    assert [m.to for m in mail.outbox] == [["intake@example.org"]]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        inquiry = create(unjoined_program, key="b", message=CANARY, send_confirmation=True)
    confirmation = [m for m in mail.outbox if m.to == ["sam@example.org"]]
    assert len(confirmation) == 1
    assert inquiry.reference in confirmation[0].body
    assert CANARY not in confirmation[0].body


def test_delete_by_family(program):
    inquiry = create(program)
    services.inquiry_delete_by_family(inquiry=inquiry)
    assert not Inquiry.objects.exists()


def test_purge_removes_only_old_inquiries(program):
    old = create(program, key="old")
    Inquiry.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=91))
    recent = create(program, key="recent")
    assert services.inquiry_purge() == 1
    assert list(Inquiry.objects.all()) == [recent]


def test_rotate_keys(program, settings):
    inquiry = create(program, message=CANARY)
    old_raw = raw_row(inquiry)
    new_key = Fernet.generate_key().decode()
    settings.INQUIRY_ENCRYPTION_KEYS = [new_key, *settings.INQUIRY_ENCRYPTION_KEYS]
    assert services.inquiry_rotate_keys() == 1
    new_raw = raw_row(inquiry)
    assert new_raw != old_raw
    # Readable with the new key alone: the old one can be retired.
    settings.INQUIRY_ENCRYPTION_KEYS = [new_key]
    inquiry.refresh_from_db()
    assert inquiry.message == CANARY
    assert Fernet(new_key).decrypt(new_raw[2].encode()).decode() == CANARY


def test_unreadable_value_degrades(program, settings):
    inquiry = create(program)
    settings.INQUIRY_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    inquiry.refresh_from_db()
    assert inquiry.name == crypto.UNREADABLE


def test_the_confirmation_carries_the_private_status_link_then_forgets_it(
    program, settings, caplog, django_capture_on_commit_callbacks
):
    """The status link was shown once on the thank-you page; the family who
    asks for a confirmation gets it by email too. The token is kept
    (encrypted) only until that email is sent, and never logged."""
    settings.SITE_URL = "https://findcare.example.org"
    caplog.set_level("DEBUG")
    with django_capture_on_commit_callbacks(execute=True):
        inquiry = create(program, key="c", send_confirmation=True)
    token = inquiry.family_token
    [confirmation] = [m for m in mail.outbox if m.to == ["sam@example.org"]]
    assert f"https://findcare.example.org/inquiries/status/{token}/" in confirmation.body
    assert "delivered to the program's FindCare inbox" in confirmation.body
    inquiry.refresh_from_db()
    assert inquiry.confirmation_sent_at is not None and inquiry.confirmation_token == ""
    assert token not in caplog.text


def test_the_status_link_waits_encrypted_and_only_when_a_confirmation_was_asked(program):
    waiting = create(program, key="d", send_confirmation=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT confirmation_token FROM inquiries_inquiry WHERE id = %s", [waiting.pk])
        [stored] = cursor.fetchone()
    assert stored and waiting.family_token not in stored
    waiting.refresh_from_db()
    assert waiting.confirmation_token == waiting.family_token
    without = create(program, key="e", send_confirmation=False)
    without.refresh_from_db()
    assert without.confirmation_token == ""
