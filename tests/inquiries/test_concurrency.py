"""Concurrency: simultaneous submissions, simultaneous delivery runs, and a
POST that never waits for the mail server. Real threads, real database
transactions (SQLite serialises them; PostgreSQL locks rows)."""

import threading
from http import HTTPStatus

import pytest
from django.core import mail
from django.db import close_old_connections, connection
from django.test import Client, override_settings
from django.urls import reverse

from inquiries import delivery, services
from inquiries.models import Inquiry
from tests.inquiries.conftest import inquiry_data, post_data

pytestmark = pytest.mark.django_db(transaction=True)
threaded = pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="the in-memory SQLite test database locks whole tables across threads; run on PostgreSQL",
)


def in_threads(count, target):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run(index):
        try:
            barrier.wait()
            results.append(target(index))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors
    return results


@threaded
@override_settings(RATELIMIT_ENABLE=False)
def test_fifty_simultaneous_submissions_all_stored_once(program):
    url = reverse("inquiries:create", args=[program.slug])
    forms = [post_data(name=f"Person {i}") for i in range(50)]

    def submit(index):
        client = Client()
        first = client.post(url, forms[index]).status_code
        again = client.post(url, forms[index]).status_code  # and a double click
        return first, again

    results = in_threads(50, submit)
    assert set(results) == {(HTTPStatus.FOUND, HTTPStatus.FOUND)}
    assert Inquiry.objects.filter(program=program).count() == 50
    assert sorted(i.name for i in Inquiry.objects.all()) == sorted(f"Person {i}" for i in range(50))


@threaded
def test_two_delivery_runs_at_once_send_each_once(program, monkeypatch, settings):
    from tests.inquiries.backends import SlowBackend

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # queued only
    for i in range(6):
        services.inquiry_create(program=program, data=inquiry_data(), idempotency_key=f"k{i}")
    settings.EMAIL_BACKEND = "tests.inquiries.backends.SlowBackend"
    monkeypatch.setattr(SlowBackend, "delay", 0.2)

    def deliver(_):
        return [delivery.inquiry_send_claimed(inquiry_id=pk) for pk in delivery.inquiry_claim_due(limit=100)]

    in_threads(2, deliver)
    assert len(mail.outbox) == 6
    assert set(Inquiry.objects.values_list("delivery_state", "delivery_attempts")) == {("sent", 1)}


def test_post_never_waits_on_smtp(client, program, settings):
    """With the database task backend, the POST only queues the delivery:
    the 5-second mail server is met by the worker, not the request (timings
    in `manage.py bench_inquiry_submit`)."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.EMAIL_BACKEND = "tests.inquiries.backends.SlowBackend"
    response = client.post(reverse("inquiries:create", args=[program.slug]), post_data())
    assert response.status_code == HTTPStatus.FOUND
    assert mail.outbox == []
    inquiry = Inquiry.objects.get()
    queued = DBTaskResult.objects.filter(task_path="inquiries.tasks.deliver_inquiry")
    assert [row.args_kwargs for row in queued] == [{"args": [inquiry.pk], "kwargs": {}}]
