"""A failed send is tried again when it is due: the task (or the cron
command) queues the next attempt for the inquiry's next_attempt_at, with
the id only."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks import task_backends

from inquiries import services, tasks
from inquiries.models import Inquiry
from tests.inquiries.conftest import inquiry_data

pytestmark = pytest.mark.django_db

DEFERRING = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}


def queued_deliveries():
    return [r for r in task_backends["default"].results if r.task.name == "deliver_inquiry"]


@override_settings(TASKS=DEFERRING, EMAIL_BACKEND="tests.inquiries.backends.FailingBackend")
def test_a_failed_delivery_queues_its_retry_for_when_it_is_due(program, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        inquiry = services.inquiry_create(program=program, data=inquiry_data(), idempotency_key="k")
    [first] = queued_deliveries()
    assert first.args == [inquiry.pk] and first.task.run_after is None

    assert tasks.deliver_inquiry.call(inquiry.pk) == "pending"
    inquiry.refresh_from_db()
    [_, retry] = queued_deliveries()
    assert retry.args == [inquiry.pk] and retry.kwargs == {}
    assert retry.task.run_after == inquiry.next_attempt_at

    Inquiry.objects.filter(pk=inquiry.pk).update(next_attempt_at=timezone.now())
    call_command("deliver_pending_inquiries", stdout=StringIO())
    inquiry.refresh_from_db()
    assert inquiry.delivery_attempts == 2
    [*_, again] = queued_deliveries()
    assert len(queued_deliveries()) == 3 and again.task.run_after == inquiry.next_attempt_at
