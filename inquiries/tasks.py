"""Background work for inquiries. Tasks take only the inquiry id: never
anything the family typed.

The services queue these tasks (inquiries.services imports this module);
the tasks run inquiries.delivery, never the services, so there is no cycle."""

import logging

from django_tasks import default_task_backend, task

from . import delivery
from .models import Inquiry

logger = logging.getLogger(__name__)


@task()
def deliver_inquiry(inquiry_id: int) -> str | None:
    state = delivery.inquiry_deliver(inquiry_id=inquiry_id)
    if state == Inquiry.Delivery.PENDING:
        schedule_retry(inquiry_id)
    return state and str(state)


@task()
def send_inquiry_confirmation(inquiry_id: int) -> bool:
    return delivery.inquiry_send_confirmation(inquiry_id=inquiry_id)


def enqueue(task, pk, run_after=None) -> None:
    """Queue a task; if the queue is down the inquiry is already saved and
    `deliver_pending_inquiries` sends it later."""
    try:
        if run_after is not None:
            task = task.using(run_after=run_after)
        task.enqueue(pk)
    except Exception as exc:  # noqa: BLE001 - never lose the request over the queue
        logger.warning("Could not queue %s for inquiry %s: %s", task.name, pk, type(exc).__name__)


def schedule_retry(inquiry_id: int) -> None:
    """After a failed attempt: queue the next one for when it is due (the
    inquiry's next_attempt_at). Without a backend that can defer (the
    immediate one), `deliver_pending_inquiries` retries it."""
    if not default_task_backend.supports_defer:
        return
    when = Inquiry.objects.filter(pk=inquiry_id).values_list("next_attempt_at", flat=True).first()
    if when is not None:
        enqueue(deliver_inquiry, inquiry_id, run_after=when)
