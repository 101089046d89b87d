"""The inquiry management commands."""

from datetime import timedelta
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from inquiries import services
from inquiries.models import Inquiry
from tests.inquiries.conftest import CANARY, inquiry_data

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def make(program, key):
    return services.inquiry_create(program=program, data=inquiry_data(message=CANARY), idempotency_key=key)


def test_deliver_pending_is_idempotent(program):
    make(program, "a")
    make(program, "b")
    assert run("deliver_pending_inquiries") == "sent 2, will retry 0, undeliverable 0\n"
    assert run("deliver_pending_inquiries") == "sent 0, will retry 0, undeliverable 0\n"
    assert len(mail.outbox) == 2


def test_deliver_pending_picks_up_a_send_that_never_finished(program):
    inquiry = make(program, "a")
    # A worker claimed it and died: the lease runs out, then it is sent.
    Inquiry.objects.filter(pk=inquiry.pk).update(
        delivery_state=Inquiry.Delivery.SENDING, next_attempt_at=timezone.now() + timedelta(minutes=5)
    )
    assert run("deliver_pending_inquiries").startswith("sent 0")
    Inquiry.objects.filter(pk=inquiry.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert run("deliver_pending_inquiries").startswith("sent 1")


def test_purge(program):
    old = make(program, "old")
    Inquiry.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=40))
    make(program, "new")
    assert run("purge_inquiries", "--days", "30") == "deleted 1 inquiries older than 30 days\n"
    assert Inquiry.objects.count() == 1


def test_rotate(program, settings):
    make(program, "a")
    new_key = Fernet.generate_key().decode()
    settings.INQUIRY_ENCRYPTION_KEYS = [new_key, *settings.INQUIRY_ENCRYPTION_KEYS]
    assert run("rotate_inquiry_keys") == "re-encrypted 1 inquiries with the current key\n"
    settings.INQUIRY_ENCRYPTION_KEYS = [new_key]
    assert Inquiry.objects.get().message == CANARY


def test_rotate_without_the_old_key_says_what_to_do(program, settings):
    from django.core.management.base import CommandError

    make(program, "a")
    settings.INQUIRY_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(CommandError, match="Put the old key back"):
        run("rotate_inquiry_keys")
