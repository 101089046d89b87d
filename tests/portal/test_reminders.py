"""Availability reminders (portal/reminders.py): a listing whose availability
was not confirmed for 30 days is reminded at most once per 30 days, and
only when someone can receive the reminder."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from directory.availability import program_set_availability
from directory.models import Program
from portal import reminders
from tests.directory.factories import OrganizationFactory, ProgramFactory
from tests.portal.factories import center

pytestmark = pytest.mark.django_db


@pytest.fixture
def program():
    return ProgramFactory(
        phone="555-0101",
        inquiry_email="old-intake@example.org",
        description="Old description.",
        levels_of_care=["outpatient"],
        organization=OrganizationFactory(),
    )


def make_stale(program):
    Program.objects.filter(pk=program.pk).update(
        availability_updated_at=timezone.now() - datetime.timedelta(days=40)
    )


def test_remind_stale_availability_is_idempotent(program, django_capture_on_commit_callbacks):
    Program.objects.filter(pk=program.pk).update(
        availability_updated_at=timezone.now() - datetime.timedelta(days=40)
    )
    fresh = ProgramFactory(inquiry_email="fresh@example.org")
    program_set_availability(program=fresh, accepting=Program.Accepting.YES)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_stale_availability")
    assert [m.to for m in mail.outbox] == [["old-intake@example.org"]]
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_stale_availability")
    assert len(mail.outbox) == 1
    later = timezone.now() + datetime.timedelta(days=31)
    assert reminders.stale_availability_programs(now=later).filter(pk=program.pk).exists()


def test_a_listing_nobody_can_receive_a_reminder_for_is_not_counted_as_reminded(
    django_capture_on_commit_callbacks, capsys
):
    """Its only member was deactivated and it has no inquiry address: the
    command used to log a reminder (and count it as queued) that went to
    nobody, and then stayed quiet for 30 days."""
    user, _org, listings = center(programs=2)
    for listing in listings:
        Program.objects.filter(pk=listing.pk).update(inquiry_email="")
        make_stale(listing)
    user.is_active = False
    user.save(update_fields=["is_active"])
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_stale_availability")
    assert "0 reminder(s) queued." in capsys.readouterr().out
    assert mail.outbox == []
    assert not reminders.stale_availability_programs().filter(pk=listings[0].pk).exists()
    user.is_active = True  # someone is back: the listing is reminded
    user.save(update_fields=["is_active"])
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_stale_availability")
    assert sorted(m.to for m in mail.outbox) == [[user.email], [user.email]]
