"""The directory's task-queue tasks (django-tasks; ids as arguments only,
never health information or addresses)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task
from wagtail.models import ModelLogEntry

from config.site_url import absolute_url

from .importing.jobs import import_job_run
from .models import Program
from .review.contact_alert import contact_field_label, restore_token
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
