"""The contact-change alert and its "This was not us" link: the previous
inquiry address is told which contact details changed, from what to what
and when; the link (signed, time-limited, single use; a GET changes
nothing) puts them back, locks them for the center and opens a case for
staff."""

import re
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group
from django.core import mail, signing
from django.test import override_settings
from django.urls import reverse
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from config.log_redaction import redact
from directory.models import FieldProvenance, ListingSafetyCase, Program
from directory.review.contact_alert import RESTORE_SALT, restore_token
from directory.review.contacts import listing_safety_case_close
from directory.review.workflow import program_submit_changes
from tests.directory.factories import OrganizationFactory, ProgramFactory

pytestmark = pytest.mark.django_db

SAFETY = "Listing safety <safety@findcare.example.org>"


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user("center", "center@example.org", "pw")


@pytest.fixture
def reviewer(django_user_model):
    return django_user_model.objects.create_superuser("staff", "staff@example.org", "pw")


@pytest.fixture
def program():
    return ProgramFactory(
        phone="(615) 555-0131",
        intake_phone="(615) 555-0132",
        website="https://harbor.example.org/",
        inquiry_email="old-intake@example.org",
        organization=OrganizationFactory(),
    )


def approve(program, reviewer):
    state = program.current_workflow_state
    state.current_task_state.task.specific.on_action(state.current_task_state, reviewer, "approve")


def change_and_approve(program, user, reviewer, capture, **data):
    with capture(execute=True):
        program_submit_changes(program=program, data=data, user=user)
        approve(program, reviewer)
    alerts = [m for m in mail.outbox if m.to == ["old-intake@example.org"]]
    assert len(alerts) == 1
    return alerts[0]


def restore_link(message) -> str:
    return re.search(r"https?://\S+/listing-safety/not-us/\S+/", message.body).group(0)


def path_of(url: str) -> str:
    return url.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


@override_settings(LISTING_SAFETY_EMAIL=SAFETY)
def test_alert_names_each_change_with_old_and_new_values_and_the_date(
    program, user, reviewer, django_capture_on_commit_callbacks
):
    """Before, the alert named no field and said "New inquiries are now sent
    to the listing's current inquiry address" when only the phone changed;
    its reply address was the no-reply sender."""
    message = change_and_approve(
        program, user, reviewer, django_capture_on_commit_callbacks,
        phone="(615) 555-0177", website="https://elsewhere.example.com/",
    )  # fmt: skip
    assert "- Main phone: (615) 555-0131 -> (615) 555-0177" in message.body
    assert "- Website: https://harbor.example.org/ -> https://elsewhere.example.com/" in message.body
    assert "Intake phone" not in message.body
    assert "inquiries about this listing are now sent" not in message.body  # the address did not change
    entry = ModelLogEntry.objects.for_instance(program).get(action="directory.contact_change")
    assert f"{entry.timestamp:%B} {entry.timestamp.day}, {entry.timestamp.year}" in message.body
    assert message.reply_to == [SAFETY]
    assert restore_link(message).startswith("http")


def test_alert_says_where_inquiries_go_only_when_the_address_changed(
    program, user, reviewer, django_capture_on_commit_callbacks
):
    message = change_and_approve(
        program, user, reviewer, django_capture_on_commit_callbacks, inquiry_email="new@example.net"
    )
    assert "- Inquiry email: old-intake@example.org -> new@example.net" in message.body
    assert "New inquiries about this listing are now sent to new@example.net" in message.body


def test_this_was_not_us_restores_locks_and_opens_a_case(
    client, program, user, reviewer, django_capture_on_commit_callbacks
):
    message = change_and_approve(
        program, user, reviewer, django_capture_on_commit_callbacks,
        phone="(615) 555-0177", inquiry_email="thief@example.net",
    )  # fmt: skip
    link = path_of(restore_link(message))
    mail.outbox.clear()

    # Opening the link (a mail scanner does) changes nothing.
    page = client.get(link)
    assert page.status_code == HTTPStatus.OK
    html = page.content.decode()
    assert "(615) 555-0131" in html and "old-intake@example.org" in html
    assert 'method="post"' in html
    program.refresh_from_db()
    assert program.phone == "(615) 555-0177" and not program.contact_changes_frozen
    assert not ListingSafetyCase.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(link)
    assert done.status_code == HTTPStatus.OK
    assert "Contact details restored" in done.content.decode()
    program.refresh_from_db()
    assert (program.phone, program.inquiry_email) == ("(615) 555-0131", "old-intake@example.org")
    assert program.contact_changes_frozen
    assert not program.has_unpublished_changes
    case = ListingSafetyCase.objects.get(program=program)
    assert case.status == ListingSafetyCase.Status.OPEN
    assert case.restored == {
        "phone": ["(615) 555-0177", "(615) 555-0131"],
        "inquiry_email": ["thief@example.net", "old-intake@example.org"],
    }
    assert case.reported_by_email == "old-intake@example.org"
    # In the history, and the staff's provenance; the reported address is
    # not sent another alert (with a link that would undo the restore).
    actions = list(ModelLogEntry.objects.for_instance(program).values_list("action", flat=True))
    assert "directory.contact_restored" in actions
    assert program.live_revision.content["phone"] == "(615) 555-0131"
    stamp = FieldProvenance.objects.get(program=program).fields["phone"]
    assert (stamp["source"], stamp["file"]) == ("staff", "restored after a report")
    assert mail.outbox == []

    # Single use: the link now says so and changes nothing more.
    Program.objects.filter(pk=program.pk).update(phone="(615) 555-0199")
    again = client.post(link)
    assert "Already reported" in again.content.decode()
    assert Program.objects.get(pk=program.pk).phone == "(615) 555-0199"
    assert ListingSafetyCase.objects.count() == 1


def test_restore_ends_a_further_change_waiting_for_review(
    client, program, user, reviewer, django_capture_on_commit_callbacks
):
    message = change_and_approve(
        program, user, reviewer, django_capture_on_commit_callbacks, phone="(615) 555-0177"
    )
    program_submit_changes(program=program, data={"website": "https://thief.example.net/"}, user=user)
    client.post(path_of(restore_link(message)))
    program.refresh_from_db()
    assert program.current_workflow_state is None
    assert program.website == "https://harbor.example.org/"


@pytest.mark.parametrize("tamper", ["forged", "expired", "other-salt"])
def test_a_bad_or_expired_link_changes_nothing(client, program, tamper, settings):
    entry = log(
        instance=program,
        action="directory.contact_change",
        data={"fields": ["phone"], "previous_inquiry_email": "a@example.org",
              "old": {"phone": "(615) 555-0100"}, "new": {"phone": program.phone}},
    )  # fmt: skip
    token = {
        "forged": restore_token(entry.pk)[:-2] + "xx",
        "expired": restore_token(entry.pk),
        "other-salt": signing.dumps(entry.pk, salt=RESTORE_SALT + "x"),
    }[tamper]
    if tamper == "expired":
        settings.CONTACT_RESTORE_LINK_DAYS = -1
    response = client.post(reverse("directory:contact_restore", kwargs={"token": token}))
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "This link does not work" in response.content.decode()
    program.refresh_from_db()
    assert program.phone == "(615) 555-0131" and not program.contact_changes_frozen
    assert not ListingSafetyCase.objects.exists()


def test_the_link_is_redacted_from_logs():
    token = restore_token(12)
    line = f'"GET /listing-safety/not-us/{token}/ HTTP/1.1" 200'
    assert token not in redact(line)


def test_staff_close_the_case_and_unlock(client, program, user, reviewer, django_capture_on_commit_callbacks):
    message = change_and_approve(
        program, user, reviewer, django_capture_on_commit_callbacks, phone="(615) 555-0177"
    )
    client.post(path_of(restore_link(message)))
    case = ListingSafetyCase.objects.get()
    client.force_login(reviewer)
    listing = client.get(reverse("wagtailsnippets_directory_listingsafetycase:list"))
    assert listing.status_code == HTTPStatus.OK
    history = reverse("wagtailsnippets_directory_program:history", args=[program.pk])
    assert history in listing.content.decode()
    edit = reverse("wagtailsnippets_directory_listingsafetycase:edit", args=[case.pk])
    page = client.get(edit)
    assert "(615) 555-0177" in page.content.decode()
    response = client.post(edit, {"status": "closed", "unfreeze": "on", "staff_note": "Called the center."})
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:3000]
    case.refresh_from_db()
    program.refresh_from_db()
    assert case.status == "closed" and case.closed_by == reviewer and case.closed_at
    assert not program.contact_changes_frozen
    assert ModelLogEntry.objects.for_instance(program).filter(action="directory.contact_unfrozen").exists()


def test_closing_without_unlocking_keeps_the_lock(program, reviewer):
    program.contact_changes_frozen = True
    program.save()
    case = ListingSafetyCase.objects.create(program=program, contact_change_entry_id=1)
    listing_safety_case_close(case=case, user=reviewer, unfreeze=False)
    assert Program.objects.get(pk=program.pk).contact_changes_frozen


def test_reviewers_group_exists():
    assert Group.objects.filter(name="Listing reviewers").exists()
