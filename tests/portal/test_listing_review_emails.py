"""Who is emailed about a listing change review, and what they get.

Center users (portal members, no admin access) submit held changes into the
"Listing change review" workflow. Wagtail's own workflow emails link into
/admin/, which they cannot open: they get none, and the center's members get
our own plain email through the task queue, linking to the portal. Reviewers
get our own email, one per submission (not Wagtail's two "submitted" ones),
and one when the center withdraws the change; staff who submit their own
edits keep Wagtail's approved/rejected emails."""

from http import HTTPStatus

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from wagtail.models import ModelLogEntry, Workflow

from directory.models import LevelOfCare, Program
from directory.review.workflow import program_submit_changes
from portal.models import Membership, Role
from tests.portal.factories import MembershipFactory, UserFactory, center

pytestmark = pytest.mark.django_db

REVIEWERS = "Listing reviewers"


@pytest.fixture
def reviewer():
    user = UserFactory(username="reviewer", email="reviewer@findcare.example.org", first_name="Rita")
    user.groups.add(Group.objects.get(name=REVIEWERS))
    return user


@pytest.fixture
def listing():
    """A center manager, a staff-role colleague, and one of their listings."""
    user, org, (program, _) = center()
    colleague = MembershipFactory(organization=org, role=Role.STAFF).user
    return user, colleague, program


def submit(program, user, captured, **data):
    data = data or {"phone": "555-0199"}
    with captured(execute=True):
        program_submit_changes(program=program, data=data, user=user)
    program.refresh_from_db()
    return program


def act(client, reviewer, program, action, captured, comment=""):
    """What the reviewer's action modal posts in the admin."""
    program.refresh_from_db()
    state = program.current_workflow_state
    url = reverse(
        "wagtailsnippets_directory_program:workflow_action",
        args=[program.pk, action, state.current_task_state.pk],
    )
    client.force_login(reviewer)
    with captured(execute=True):
        response = client.post(url, {"comment": comment})
    assert response.status_code == HTTPStatus.FOUND, response.content[:500]
    program.refresh_from_db()
    return program


def sent_to(user):
    return [message for message in mail.outbox if user.email in message.to]


def admin_links(message):
    return "/admin/" in message.body or "/admin/" in "".join(
        body for body, _ in getattr(message, "alternatives", [])
    )


# Wagtail's own emails


@pytest.mark.parametrize("action", ["approve", "reject"])
def test_center_user_gets_no_wagtail_admin_email(
    client, listing, reviewer, action, django_capture_on_commit_callbacks
):
    user, _, program = listing
    submit(program, user, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    act(client, reviewer, program, action, django_capture_on_commit_callbacks, comment="Checked.")
    assert sent_to(user), "the center is told of the outcome"
    assert not [message for message in sent_to(user) if admin_links(message)]


@pytest.fixture
def superuser():
    return UserFactory(username="boss", email="boss@findcare.example.org", is_superuser=True, is_staff=True)


def test_reviewers_get_one_email_per_submission_in_our_words(
    listing, reviewer, superuser, django_capture_on_commit_callbacks
):
    """Wagtail sent two stock emails (the stage's and the workflow's) to
    superusers: now each reviewer gets one, ours, linking to the review page."""
    user, colleague, program = listing
    old_phone = program.phone
    submit(program, user, django_capture_on_commit_callbacks, phone="(212) 555-0177")
    for person in (reviewer, superuser):
        [message] = sent_to(person)
        assert message.subject == f"FindCare: listing change to review: {program.name}"
        assert message.to == [person.email]  # one each, no list of the others
        body = message.body
        assert f"A center asked to change {program.name}" in body
        assert f"by {user.username} <{user.email}>" in body
        assert f"- Main phone: {old_phone} -> (212) 555-0177\n" in body
        assert f"{settings.WAGTAILADMIN_BASE_URL}/admin/listing-reviews/{program.pk}/" in body
        assert "submitted for approval to moderation stage" not in body
        assert "notification preferences" not in body
    assert not sent_to(user) and not sent_to(colleague)


def test_a_staff_submission_keeps_one_email_too(
    listing, reviewer, superuser, django_capture_on_commit_callbacks
):
    _, _, program = listing
    editor = UserFactory(username="staffeditor2")
    editor.groups.add(Group.objects.get(name="Editors"))
    program.phone = "(212) 555-0178"
    program.save_revision(user=editor)
    with django_capture_on_commit_callbacks(execute=True):
        Workflow.objects.get(name="Listing change review").start(program, editor)
    for person in (reviewer, superuser):
        [message] = sent_to(person)
        assert "Someone on our staff asked" in message.body
    assert not sent_to(editor)


def test_changing_a_waiting_change_tells_the_reviewers_once_more(
    listing, reviewer, django_capture_on_commit_callbacks
):
    user, _, program = listing
    submit(program, user, django_capture_on_commit_callbacks, phone="(212) 555-0177")
    mail.outbox.clear()
    submit(program, user, django_capture_on_commit_callbacks, phone="(212) 555-0179")
    [message] = sent_to(reviewer)
    assert message.subject == f"FindCare: updated listing change to review: {program.name}"
    assert "-> (212) 555-0179" in message.body and "0177" not in message.body
    mail.outbox.clear()
    # A save that leaves the waiting change as it is tells nobody.
    submit(program, user, django_capture_on_commit_callbacks, phone="(212) 555-0179", hours="Daily 8-8")
    assert not sent_to(reviewer)


def test_withdrawing_tells_the_reviewers(listing, reviewer, superuser, django_capture_on_commit_callbacks):
    user, _, program = listing
    old_phone = program.phone
    submit(program, user, django_capture_on_commit_callbacks, phone="(212) 555-0177")
    mail.outbox.clear()
    submit(program, user, django_capture_on_commit_callbacks, phone=old_phone)
    for person in (reviewer, superuser):
        [message] = sent_to(person)
        assert message.subject == f"FindCare: listing change withdrawn: {program.name}"
        assert "Nothing is waiting for review on this listing any more" in message.body
    assert not sent_to(user)


def test_withdrawing_while_publishing_other_changes_tells_the_reviewers(
    listing, reviewer, django_capture_on_commit_callbacks
):
    """The save's publish ends the review first; the withdrawal is still told."""
    user, _, program = listing
    old_phone = program.phone
    submit(program, user, django_capture_on_commit_callbacks, phone="(212) 555-0177")
    mail.outbox.clear()
    submit(program, user, django_capture_on_commit_callbacks, phone=old_phone, hours="Daily 8-8")
    [message] = sent_to(reviewer)
    assert message.subject == f"FindCare: listing change withdrawn: {program.name}"
    assert program.hours == "Daily 8-8" and program.current_workflow_state is None


def test_reviewer_emails_go_through_the_task_queue_with_ids_only(
    listing, reviewer, django_capture_on_commit_callbacks, monkeypatch
):
    from directory.review import signals as review_signals

    user, _, program = listing
    queued = []

    class Queue:
        def __init__(self, name):
            self.name = name

        def enqueue(self, *args, **kwargs):
            queued.append((self.name, args, kwargs))

    monkeypatch.setattr(review_signals, "send_review_request_email", Queue("request"))
    monkeypatch.setattr(review_signals, "send_review_withdrawn_email", Queue("withdrawn"))
    old_phone = program.phone
    submit(program, user, django_capture_on_commit_callbacks, phone="(212) 555-0177")
    submit(program, user, django_capture_on_commit_callbacks, phone=old_phone)
    state = program.workflow_states.get()
    assert queued == [
        ("request", (state.current_task_state_id,), {}),
        ("withdrawn", (state.pk,), {}),
    ]


def test_staff_submitting_their_own_edit_keep_wagtails_emails(
    client, listing, reviewer, django_capture_on_commit_callbacks
):
    _, colleague, program = listing
    editor = UserFactory(username="staffeditor")
    editor.groups.add(Group.objects.get(name="Editors"))  # may open the admin
    # "Submit for review" in the admin: a plain revision, no center marker.
    program.phone = "555-0199"
    program.save_revision(user=editor)
    with django_capture_on_commit_callbacks(execute=True):
        Workflow.objects.get(name="Listing change review").start(program, editor)
    mail.outbox.clear()
    act(client, reviewer, program, "reject", django_capture_on_commit_callbacks, comment="Which phone?")
    [message] = sent_to(editor)
    assert "/admin/" in message.body and "Which phone?" in message.body
    assert not sent_to(colleague)  # not the center's change: nothing to the center


# Our email to the center


def test_approval_tells_every_member_what_went_live(
    client, listing, reviewer, django_capture_on_commit_callbacks
):
    user, colleague, program = listing
    detox = LevelOfCare.objects.get(slug="detox")
    submit(
        program,
        user,
        django_capture_on_commit_callbacks,
        phone="555-0199",
        levels_of_care=[detox],
        description="Live at once, not reviewed.",
    )
    mail.outbox.clear()
    act(
        client, reviewer, program, "approve", django_capture_on_commit_callbacks, comment="Called to confirm."
    )
    assert program.phone == "555-0199"
    messages = [m for m in mail.outbox if set(m.to) & {user.email, colleague.email}]
    assert sorted(address for m in messages for address in m.to) == sorted([user.email, colleague.email])
    message = messages[0]
    assert message.subject == f"FindCare: changes to {program.name} approved"
    body = message.body
    assert "Approved, now on the public listing:\n- Levels of care\n- Main phone\n" in body
    assert "Not approved" not in body and "Description" not in body
    assert 'Comment from our reviewer: "Called to confirm."' in body
    assert f"{settings.SITE_URL}/for-centers/listings/{program.slug}/" in body
    assert "/admin/" not in body and "Rita" not in body and reviewer.email not in body


def test_changes_requested_say_what_waits_and_why(
    client, listing, reviewer, django_capture_on_commit_callbacks
):
    user, colleague, program = listing
    submit(
        program, user, django_capture_on_commit_callbacks, phone="555-0199", website="https://new.example.org"
    )
    mail.outbox.clear()
    act(
        client,
        reviewer,
        program,
        "reject",
        django_capture_on_commit_callbacks,
        comment="The new number does not answer.",
    )
    assert program.current_workflow_state.status == "needs_changes"
    messages = [m for m in mail.outbox if set(m.to) & {user.email, colleague.email}]
    assert len(messages) == 2
    body = messages[0].body
    assert messages[0].subject == f"FindCare: changes to {program.name} need another look"
    assert "Not approved yet:\n- Main phone\n- Website\n" in body
    assert 'Comment from our reviewer: "The new number does not answer."' in body
    assert f"/for-centers/listings/{program.slug}/edit/" in body
    assert "/admin/" not in body


def test_reviewer_changing_a_value_before_approving_declines_that_field(
    client, listing, reviewer, django_capture_on_commit_callbacks
):
    """Per-field decisions in Wagtail: the reviewer edits the draft (sets the
    website back) and approves the rest."""
    user, _, program = listing
    old_website = program.website
    submit(
        program, user, django_capture_on_commit_callbacks, phone="555-0199", website="https://new.example.org"
    )
    draft = program.get_latest_revision_as_object()
    draft.website = old_website
    draft.save_revision(user=reviewer)
    mail.outbox.clear()
    act(client, reviewer, program, "approve", django_capture_on_commit_callbacks)
    assert (program.phone, program.website) == ("555-0199", old_website)
    [message] = sent_to(user)
    assert "Approved, now on the public listing:\n- Main phone\n" in message.body
    assert "Not approved:\n- Website\n" in message.body
    assert "Comment" not in message.body


def test_the_task_gets_ids_only_and_the_outcome_is_in_the_history(
    client, listing, reviewer, django_capture_on_commit_callbacks, monkeypatch
):
    from portal import services, tasks

    user, _, program = listing
    submit(program, user, django_capture_on_commit_callbacks)
    queued = []

    class Queue:
        def enqueue(*args, **kwargs):
            queued.append((args[1:], kwargs))

    monkeypatch.setattr(tasks, "send_listing_review_email", Queue())
    act(client, reviewer, program, "approve", django_capture_on_commit_callbacks, comment="Fine.")
    entry = ModelLogEntry.objects.for_instance(program).get(action=services.REVIEW_OUTCOME_ACTION)
    assert queued == [((entry.pk,), {})]
    assert entry.data["approved"] == ["phone"] and entry.data["declined"] == []
    response = client.get(reverse("wagtailsnippets_directory_program:history", args=[program.pk]))
    assert b"Center told of the review" in response.content


def test_former_members_are_not_told(client, listing, reviewer, django_capture_on_commit_callbacks):
    user, colleague, program = listing
    submit(program, user, django_capture_on_commit_callbacks)
    Membership.objects.filter(user=user).delete()
    mail.outbox.clear()
    act(client, reviewer, program, "approve", django_capture_on_commit_callbacks)
    assert not sent_to(user)
    assert len(sent_to(colleague)) == 1


def test_a_withdrawn_change_sends_nothing(listing, reviewer, django_capture_on_commit_callbacks):
    user, _, program = listing
    old_phone = program.phone
    submit(program, user, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    submit(program, user, django_capture_on_commit_callbacks, phone=old_phone)
    assert program.current_workflow_state is None
    assert not sent_to(user)


def test_resubmission_after_changes_requested_is_reviewed_again(
    client, listing, reviewer, django_capture_on_commit_callbacks
):
    user, _, program = listing
    submit(program, user, django_capture_on_commit_callbacks)
    act(client, reviewer, program, "reject", django_capture_on_commit_callbacks, comment="Typo?")
    mail.outbox.clear()
    submit(program, user, django_capture_on_commit_callbacks, phone="555-0198")
    assert len(sent_to(reviewer)) == 1  # the reviewers are told again, once
    act(client, reviewer, program, "approve", django_capture_on_commit_callbacks)
    assert program.phone == "555-0198"
    [message] = sent_to(user)
    assert "approved" in message.subject and "Typo?" not in message.body
    assert Program.objects.get(pk=program.pk).phone == "555-0198"


def test_a_save_not_touching_held_fields_does_not_tell_reviewers_again(
    client, listing, reviewer, django_capture_on_commit_callbacks
):
    """After "Request changes", a description change is published and the
    review stays with the center: no "submitted" email to the reviewers
    until the center changes a held value or submits again."""
    user, colleague, program = listing
    submit(program, user, django_capture_on_commit_callbacks)
    act(client, reviewer, program, "reject", django_capture_on_commit_callbacks, comment="Typo?")
    mail.outbox.clear()
    submit(program, user, django_capture_on_commit_callbacks, description="Evening groups now.")
    assert program.description == "Evening groups now."
    assert program.current_workflow_state.status == "needs_changes"
    assert not mail.outbox
    client.force_login(user)
    edit = reverse("portal:listing_edit", kwargs={"slug": program.slug})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit, {**edit_form_data(client, edit), "resubmit": "1"})
    assert response.status_code == HTTPStatus.FOUND
    assert len(sent_to(reviewer)) == 1  # the reviewers are told again, once
    assert not sent_to(user) and not sent_to(colleague)


def edit_form_data(client, url):
    """The portal edit form as shown (its current values, unchanged)."""
    form = client.get(url).context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, list | tuple):
            data[name] = [str(item) for item in value]
        elif value not in (None, False):
            data[name] = value
    return data
