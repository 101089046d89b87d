"""A hijacked listing, end to end: a center's contact change is approved,
the previous inquiry address follows the alert's "This was not us" link,
finds the old contact restored and a case open, and the center's portal
refuses further changes to the contact details while it is locked."""

import re
from http import HTTPStatus

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from directory.models import ListingSafetyCase, Program

from .factories import center
from .test_listing_edit import edit_data

pytestmark = pytest.mark.django_db


def approve(program, reviewer):
    state = program.current_workflow_state
    state.current_task_state.task.specific.on_action(state.current_task_state, reviewer, "approve")


@override_settings(LISTING_SAFETY_EMAIL="safety@findcare.example.org")
def test_this_was_not_us_restores_the_old_contact_and_locks_it(
    client, django_user_model, django_capture_on_commit_callbacks
):
    user, org, (program, _) = center()
    Program.objects.filter(pk=program.pk).update(inquiry_email="front-desk@example.org")
    program.refresh_from_db()
    old_phone = program.phone
    reviewer = django_user_model.objects.create_superuser("staff", "staff@example.org", "pw")
    edit = reverse("portal:listing_edit", kwargs={"slug": program.slug})

    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit, edit_data(program, phone="(615) 555-0177", inquiry_email="new@example.net"))
        approve(program, reviewer)
    program.refresh_from_db()
    assert program.phone == "(615) 555-0177"
    alert = next(m for m in mail.outbox if m.to == ["front-desk@example.org"])
    assert alert.reply_to == ["safety@findcare.example.org"]
    link = re.search(r"/listing-safety/not-us/\S+/", alert.body).group(0)

    client.logout()
    assert client.get(link).status_code == HTTPStatus.OK
    client.post(link)
    program.refresh_from_db()
    assert (program.phone, program.inquiry_email) == (old_phone, "front-desk@example.org")
    assert ListingSafetyCase.objects.get(program=program).status == "open"

    # The center may still save other fields, but not a contact detail.
    client.force_login(user)
    response = client.post(edit, edit_data(program, phone="(615) 555-0188"))
    assert response.status_code == HTTPStatus.BAD_REQUEST
    errors = response.context["form"].errors
    assert list(errors) == ["phone"]
    assert "Contact details are locked" in errors["phone"][0]
    assert "safety@findcare.example.org" in errors["phone"][0]
    program.refresh_from_db()
    assert program.phone == old_phone and not program.has_unpublished_changes
    saved = client.post(edit, edit_data(program, description="Still editable."), follow=True)
    assert "Saved. Your changes are on the public page now." in saved.content.decode()


@override_settings(LISTING_SAFETY_EMAIL="safety@findcare.example.org")
def test_the_edit_page_says_up_front_that_contact_details_are_locked(client):
    user, org, (program, other) = center()
    Program.objects.filter(pk=program.pk).update(contact_changes_frozen=True)
    client.force_login(user)
    page = client.get(reverse("portal:listing_edit", kwargs={"slug": program.slug})).content.decode()
    assert "Contact details locked" in page
    assert "safety@findcare.example.org" in page
    assert "Locked: " in page and "The other fields can be changed as usual." in page
    unlocked = client.get(reverse("portal:listing_edit", kwargs={"slug": other.slug})).content.decode()
    assert "Contact details locked" not in unlocked


def test_safety_cases_cannot_be_added_by_hand_in_the_admin(client, django_user_model):
    """A case is opened by the alert's link only (it needs the alert and the
    values put back); the admin offered "Add" to superusers, whose form
    could only fail."""
    from directory.wagtail_hooks import ListingSafetyCaseViewSet

    viewset = ListingSafetyCaseViewSet()
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.org", "pw"))
    index = client.get(reverse(viewset.get_url_name("list")))
    assert index.status_code == HTTPStatus.OK
    add_url = reverse(viewset.get_url_name("add"))
    assert add_url not in index.content.decode()
    assert client.get(add_url).status_code in (HTTPStatus.FOUND, HTTPStatus.FORBIDDEN)
    response = client.post(add_url, {"status": "open", "staff_note": "by hand"})
    assert response.status_code in (HTTPStatus.FOUND, HTTPStatus.FORBIDDEN)
    assert not ListingSafetyCase.objects.exists()
