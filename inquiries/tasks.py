"""Background work for inquiries. Tasks take only the inquiry id: never
anything the family typed."""

from django_tasks import task

from . import services


@task()
def deliver_inquiry(inquiry_id: int) -> str | None:
    state = services.inquiry_deliver(inquiry_id=inquiry_id)
    return state and str(state)


@task()
def send_inquiry_confirmation(inquiry_id: int) -> bool:
    return services.inquiry_send_confirmation(inquiry_id=inquiry_id)
