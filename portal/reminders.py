"""Availability reminders: a listing whose availability was not confirmed
for AVAILABILITY_FRESH_DAYS shows families "not confirmed recently", so the
center is asked to confirm it in the portal (one click). Reminded are the
listing's inquiry address and the organization's active portal members; a
listing nobody can receive a reminder for is not reminded (and not logged
as reminded). At most one reminder per listing per REMINDER_EVERY_DAYS: each
is a log entry on the listing, which is what makes the daily command
idempotent. Emails go through the task queue with the listing's id only."""

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from config.site_url import absolute_url
from directory.models import AVAILABILITY_FRESH_DAYS, Program

from .members import member_emails, organization_ids_with_members

REMINDER_ACTION = "directory.availability_reminder"  # a log action on the listing (kept from before the move)
REMINDER_EVERY_DAYS = AVAILABILITY_FRESH_DAYS


def availability_reminder_recipients(program: Program) -> list[str]:
    """The listing's inquiry address and the organization's active portal members."""
    recipients = [program.inquiry_email] if program.inquiry_email else []
    emails = member_emails(program.organization_id, active=True)
    return recipients + [email for email in emails if email not in recipients]


def stale_availability_programs(*, now=None):
    """Published listings whose availability is older than REMINDER_EVERY_DAYS
    (or never given), that someone can be reminded for, and that were not
    reminded in the last REMINDER_EVERY_DAYS."""
    now = now or timezone.now()
    cutoff = now - timezone.timedelta(days=REMINDER_EVERY_DAYS)
    reminded = ModelLogEntry.objects.filter(
        content_type__app_label="directory",
        content_type__model="program",
        action=REMINDER_ACTION,
        timestamp__gte=cutoff,
    ).values_list("object_id", flat=True)
    someone_to_tell = Q(organization_id__in=organization_ids_with_members(active=True))
    return (
        Program.objects.published()
        .filter(~Q(inquiry_email="") | someone_to_tell)
        .filter(Q(availability_updated_at__lt=cutoff) | Q(availability_updated_at=None))
        .exclude(pk__in=[int(pk) for pk in reminded])
    )


def programs_remind_stale_availability(*, now=None, limit=None) -> int:
    """Queue a reminder per stale listing and log it; returns how many."""
    sent = 0
    for program in stale_availability_programs(now=now)[:limit]:
        with transaction.atomic():
            log(instance=program, action=REMINDER_ACTION, data={}, content_changed=False)
            transaction.on_commit(lambda pk=program.pk: send_availability_reminder.enqueue(pk))
        sent += 1
    return sent


@task()
def send_availability_reminder(program_id: int) -> None:
    program = Program.objects.get(pk=program_id)
    recipients = availability_reminder_recipients(program)
    if not recipients:
        return
    context = {
        "program": program,
        "days": REMINDER_EVERY_DAYS,
        "portal_url": absolute_url(reverse("portal:dashboard")),
    }
    send_mail(
        subject=render_to_string("portal/email/availability_reminder_subject.txt", context).strip(),
        message=render_to_string("portal/email/availability_reminder_message.txt", context),
        from_email=None,
        recipient_list=recipients,
    )
