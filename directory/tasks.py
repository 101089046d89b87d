"""The directory's task-queue tasks (django-tasks; ids as arguments only,
never health information or addresses)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task
from wagtail.models import ModelLogEntry, TaskState, WorkflowState

from config.site_url import absolute_url

from .importing.jobs import import_job_run
from .models import Program
from .review.contact_alert import contact_field_label, restore_token
from .review.reviewers import review_url, reviewers, send_to_reviewers
from .review.screen import held_change
from .services import programs_search_index

CONTACT_CHANGE_ACTION = "directory.contact_change"


@task()
def programs_search_index_task(program_ids: list[int]) -> int:
    """programs_search_index in the task queue (ids only as arguments), for
    changes that touch many programs at once, such as a renamed term."""
    return programs_search_index(ids=program_ids)


@task()
def send_contact_change_notice(log_entry_id: int) -> None:
    """Tell the previous inquiry address which of the listing's contact
    details changed, from what to what and when, with a signed "This was
    not us" link (directory/review/contacts.py) and our listing-safety
    inbox as the reply address, so a hijack cannot happen quietly. Ids only
    as arguments: the addresses are in the log entry. Contains no inquiry
    data."""
    entry = ModelLogEntry.objects.get(pk=log_entry_id, action=CONTACT_CHANGE_ACTION)
    program = Program.objects.get(pk=int(entry.object_id))
    old, new = entry.data.get("old") or {}, entry.data.get("new") or {}
    token = restore_token(entry.pk)
    context = {
        "program": program,
        "changes": [
            (contact_field_label(name), old.get(name) or "(none)", new.get(name) or "(none)")
            for name in entry.data["fields"]
        ],
        "changed_on": timezone.localtime(entry.timestamp),
        # Only when the inquiry address itself changed.
        "new_inquiry_email": new.get("inquiry_email") if "inquiry_email" in entry.data["fields"] else None,
        "listing_url": absolute_url(program.get_absolute_url()),
        "restore_url": absolute_url(reverse("directory:contact_restore", kwargs={"token": token})),
        "link_days": settings.CONTACT_RESTORE_LINK_DAYS,
        "safety_email": settings.LISTING_SAFETY_EMAIL,
    }
    EmailMessage(
        subject=render_to_string("directory/email/contact_change_subject.txt", context).strip(),
        body=render_to_string("directory/email/contact_change_message.txt", context),
        to=[entry.data["previous_inquiry_email"]],
        reply_to=[settings.LISTING_SAFETY_EMAIL],
    ).send()


@task()
def import_job_check_task(job_id: int) -> str:
    """The dry run of a facility file staff uploaded (the job's id only:
    the file stays in private storage)."""
    return import_job_run(job_id, dry_run=True)


@task()
def import_job_apply_task(job_id: int) -> str:
    """The real import of a checked upload, when staff pressed "Apply"."""
    return import_job_run(job_id, dry_run=False)


@task()
def send_review_request_email(task_state_id: int, updated: bool = False) -> int:
    """Tell the reviewers, once, that a listing change waits for them: which
    fields, old and new values, who asked, and the review page's link
    (directory/review/reviewers.py). `updated`: the center changed a change
    already waiting. Nothing when the review has moved on since."""
    task_state = TaskState.objects.select_related("workflow_state", "revision__user").filter(pk=task_state_id)
    task_state = task_state.first()
    if task_state is None or task_state.status != TaskState.STATUS_IN_PROGRESS:
        return 0
    program = Program.objects.filter(pk=int(task_state.workflow_state.object_id)).first()
    change = held_change(program) if program else None
    if change is None or not change.rows:
        return 0
    asker = change.requested_by
    context = {
        "program": program,
        "rows": change.rows,
        "asker": asker,
        "updated": updated,
        "center": change.is_center_change,
        "review_url": review_url(program.pk, absolute=True),
    }
    users = reviewers(task_state.task, exclude=asker)
    return send_to_reviewers(template="review_request", context=context, users=users)


@task()
def send_review_withdrawn_email(workflow_state_id: int) -> int:
    """Tell the reviewers that the center set its waiting change back:
    nothing is left to review on that listing."""
    state = WorkflowState.objects.select_related("current_task_state__task").filter(pk=workflow_state_id)
    state = state.first()
    if state is None or state.current_task_state is None:
        return 0
    program = Program.objects.filter(pk=int(state.object_id)).first()
    if program is None:
        return 0
    context = {"program": program, "withdrawn_on": timezone.localtime(state.current_task_state.finished_at)}
    users = reviewers(state.current_task_state.task, exclude=state.requested_by)
    return send_to_reviewers(template="review_withdrawn", context=context, users=users)
