"""The directory's task-queue tasks (django-tasks; ids as arguments only,
never health information or addresses)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django_tasks import task
from wagtail.models import ModelLogEntry

from .importing.jobs import import_job_run
from .models import Program
from .services import programs_search_index

CONTACT_CHANGE_ACTION = "directory.contact_change"


@task()
def programs_search_index_task(program_ids: list[int]) -> int:
    """programs_search_index in the task queue (ids only as arguments), for
    changes that touch many programs at once, such as a renamed term."""
    return programs_search_index(ids=program_ids)


@task()
def send_contact_change_notice(log_entry_id: int) -> None:
    """Tell the previous inquiry address that the listing's contact details
    changed, so a hijack cannot happen quietly. Ids only as arguments: the
    previous address is in the log entry. Contains no inquiry data."""
    entry = ModelLogEntry.objects.get(pk=log_entry_id, action=CONTACT_CHANGE_ACTION)
    program = Program.objects.get(pk=int(entry.object_id))
    context = {
        "program": program,
        "listing_url": settings.SITE_URL + program.get_absolute_url(),
        "help_email": settings.DEFAULT_FROM_EMAIL,
    }
    send_mail(
        subject=render_to_string("directory/email/contact_change_subject.txt", context).strip(),
        message=render_to_string("directory/email/contact_change_message.txt", context),
        from_email=None,
        recipient_list=[entry.data["previous_inquiry_email"]],
    )


@task()
def import_job_check_task(job_id: int) -> str:
    """The dry run of a facility file staff uploaded (the job's id only:
    the file stays in private storage)."""
    return import_job_run(job_id, dry_run=True)


@task()
def import_job_apply_task(job_id: int) -> str:
    """The real import of a checked upload, when staff pressed "Apply"."""
    return import_job_run(job_id, dry_run=False)
