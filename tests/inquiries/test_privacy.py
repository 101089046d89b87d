"""A canary typed into every field never appears in an email, a log record
(including django.request / django.security on failed POSTs), a URL or a
task argument, through submit, delivery and the staff view."""

import logging
from http import HTTPStatus

import pytest
from django.core import mail
from django.urls import reverse
from django_tasks.signals import task_enqueued

from inquiries.models import Inquiry
from tests.inquiries.conftest import CANARY, post_data

pytestmark = pytest.mark.django_db(transaction=True)


class Capture(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.records = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def captured_logs():
    handler = Capture()
    loggers = [logging.getLogger(name) for name in ("", "django", "django.request", "django.security")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    yield handler.records
    for logger, level in zip(loggers, levels, strict=True):
        logger.removeHandler(handler)
        logger.setLevel(level)


@pytest.fixture
def task_args():
    seen = []

    def record(sender, task_result, **kwargs):
        seen.append((task_result.task.module_path, list(task_result.args), task_result.kwargs))

    task_enqueued.connect(record)
    yield seen
    task_enqueued.disconnect(record)


def canary_form(**overrides):
    values = {
        "name": f"N{CANARY}",
        "email": f"{CANARY.lower()}@example.org",
        "phone": "212-555-0123",
        "message": f"My message {CANARY}",
    }
    return post_data(**(values | overrides))


def test_canary_never_leaks(client, program, admin_user, captured_logs, task_args):
    url = reverse("inquiries:create", args=[program.slug])
    seen_urls = [url]
    # A failed POST (bad phone), a CSRF failure, a rejected bot-like one, then the real one.
    client.post(url, canary_form(phone=f"x{CANARY}"))
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    assert csrf_client.post(url, canary_form()).status_code == HTTPStatus.FORBIDDEN
    client.post(url, canary_form(fax_extension=CANARY))
    response = client.post(url, canary_form())
    assert response.status_code == HTTPStatus.FOUND
    seen_urls.append(response["Location"])
    thanks = client.get(response["Location"])
    inquiry = Inquiry.objects.get()
    # Staff read it in the admin.
    client.force_login(admin_user)
    detail = reverse("inquiries_admin:inspect", args=[inquiry.pk])
    assert CANARY in client.get(detail).content.decode()  # the allowed place
    seen_urls.append(detail)
    # And a 404 on a made-up status link.
    client.get(reverse("inquiries:status", args=["not-a-real-token"]))

    assert len(mail.outbox) == 1
    for message in mail.outbox:
        assert CANARY.lower() not in (message.subject + message.body + " ".join(message.to)).lower()
    for record in captured_logs:
        text = record.getMessage() + str(record.args) + str(getattr(record, "request", ""))
        assert CANARY not in text, record.name
    assert task_args and all(CANARY not in repr(args) for args in task_args)
    assert [args for args in task_args if args[0].startswith("inquiries.")] == [
        ("inquiries.tasks.deliver_inquiry", [inquiry.pk], {})
    ]
    for seen in [*seen_urls, *(u for u in thanks.content.decode().split('"') if u.startswith("http"))]:
        assert CANARY not in seen
    assert any(record.name == "django.security.csrf" for record in captured_logs)
