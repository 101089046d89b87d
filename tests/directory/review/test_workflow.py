"""A center's changes to its listing: availability at once, held fields
through the Listing change review workflow (Wagtail drafts/revisions)."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone
from wagtail.models import ModelLogEntry, Revision, Workflow

from directory.availability import program_set_availability
from directory.models import FieldProvenance, Language, LevelOfCare, Program
from directory.review import workflow
from directory.review.contacts import duplicate_contacts
from directory.review.workflow import pending_changes, program_submit_changes
from tests.directory.factories import OrganizationFactory, ProgramFactory

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user("center", "center@example.org", "pw")


@pytest.fixture
def reviewer(django_user_model):
    return django_user_model.objects.create_superuser("staff", "staff@example.org", "pw")


@pytest.fixture
def program():
    return ProgramFactory(
        phone="555-0101",
        inquiry_email="old-intake@example.org",
        description="Old description.",
        levels_of_care=["outpatient"],
        organization=OrganizationFactory(),
    )


def to_center():
    return [m for m in mail.outbox if "intake@example.org" in " ".join(m.to)]


def approve(program, reviewer):
    state = program.current_workflow_state
    assert state is not None, "no review in progress"
    state.current_task_state.task.specific.on_action(state.current_task_state, reviewer, "approve")


def test_workflow_is_assigned_to_programs_by_migration():
    assert Program.get_default_workflow() == Workflow.objects.get(name="Listing change review")


def test_availability_is_live_at_once_and_logged(program, user):
    program_set_availability(program=program, accepting=Program.Accepting.WAITLIST, open_beds=3, user=user)
    program.refresh_from_db()
    assert (program.accepting_clients, program.open_beds) == ("waitlist", 3)
    assert program.availability_updated_at > timezone.now() - datetime.timedelta(minutes=1)
    entry = ModelLogEntry.objects.for_instance(program).get(action="directory.availability")
    assert entry.user == user
    assert not Revision.objects.for_instance(program).exists()  # cheap: no revision per click


def test_availability_rejects_unknown_values(program):
    with pytest.raises(ValueError):
        program_set_availability(program=program, accepting="maybe")


def test_other_fields_publish_at_once(program, user):
    result = program_submit_changes(
        program=program, data={"description": "New description.", "hours": "9-5"}, user=user
    )
    program.refresh_from_db()
    assert program.description == "New description."
    assert result.held == [] and sorted(result.published) == ["description", "hours"]
    assert program.current_workflow_state is None
    assert ModelLogEntry.objects.for_instance(program).filter(action="wagtail.publish", user=user).exists()


def test_phone_change_is_held_until_approved(program, user, reviewer):
    detox = LevelOfCare.objects.get(slug="detox")
    result = program_submit_changes(
        program=program, data={"phone": "555-0199", "levels_of_care": [detox]}, user=user
    )
    assert sorted(result.held) == ["levels_of_care", "phone"]
    program.refresh_from_db()
    assert program.phone == "555-0101"  # the public listing keeps the approved value
    assert [t.slug for t in program.levels_of_care.all()] == ["outpatient"]
    assert program.has_unpublished_changes
    assert program.current_workflow_state.workflow.name == "Listing change review"
    assert set(pending_changes(program)) == {"phone", "levels_of_care"}

    approve(program, reviewer)
    program.refresh_from_db()
    assert program.phone == "555-0199"
    assert [t.slug for t in program.levels_of_care.all()] == ["detox"]
    assert not program.has_unpublished_changes
    actions = set(ModelLogEntry.objects.for_instance(program).values_list("action", flat=True))
    assert {"wagtail.workflow.start", "wagtail.workflow.approve", "wagtail.publish"} <= actions
    approval = ModelLogEntry.objects.for_instance(program).get(action="wagtail.workflow.approve")
    assert approval.user == reviewer


def test_approving_an_old_draft_keeps_later_live_changes(program, user, reviewer):
    program_submit_changes(program=program, data={"phone": "555-0199"}, user=user)
    # After submission: availability, description and a non-held link change.
    program_set_availability(program=program, accepting=Program.Accepting.YES, open_beds=7, user=user)
    program_submit_changes(program=program, data={"description": "Written later."}, user=user)
    program.refresh_from_db()
    assert program.description == "Written later."
    assert program.phone == "555-0101"
    assert program.has_unpublished_changes  # the phone change still waits

    approve(program, reviewer)
    program.refresh_from_db()
    assert program.phone == "555-0199"
    assert program.description == "Written later."
    assert (program.accepting_clients, program.open_beds) == ("yes", 7)


def test_approving_keeps_availability_changed_directly_on_the_row(program, user, reviewer):
    program_submit_changes(program=program, data={"name": "Renamed (Sample)"}, user=user)
    Program.objects.filter(pk=program.pk).update(description="Changed by an import.")
    approve(program, reviewer)
    program.refresh_from_db()
    assert program.name == "Renamed (Sample)"
    assert program.description == "Changed by an import."


def test_contact_change_tells_the_previous_inquiry_address(
    program, user, reviewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        program_submit_changes(program=program, data={"inquiry_email": "new@example.org"}, user=user)
    assert to_center() == []  # nothing until approved (reviewers are told by Wagtail)
    with django_capture_on_commit_callbacks(execute=True):
        approve(program, reviewer)
    assert [m.to for m in to_center()] == [["old-intake@example.org"]]
    assert program.name in to_center()[0].subject
    entry = ModelLogEntry.objects.for_instance(program).get(action="directory.contact_change")
    assert entry.data["fields"] == ["inquiry_email"]


def test_non_contact_change_sends_nothing(program, user, reviewer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        program_submit_changes(program=program, data={"name": "Renamed (Sample)"}, user=user)
        approve(program, reviewer)
    assert to_center() == []


def test_second_submission_merges_with_the_waiting_draft(program, user, reviewer):
    program_submit_changes(program=program, data={"phone": "555-0199"}, user=user)
    program_submit_changes(program=program, data={"website": "https://new.example.org/"}, user=user)
    program.refresh_from_db()
    assert set(pending_changes(program)) == {"phone", "website"}
    approve(program, reviewer)
    program.refresh_from_db()
    assert (program.phone, program.website) == ("555-0199", "https://new.example.org/")


def test_phone_used_by_another_organization_is_flagged(program):
    other = ProgramFactory(
        phone="555-0177", organization=OrganizationFactory(), website="https://other.example.org"
    )
    sibling = ProgramFactory(
        phone="555-0177", organization=program.organization, website="https://x.example.org"
    )
    program.phone = "555-0177"
    program.website = "https://y.example.org"
    assert duplicate_contacts(program) == [other]
    assert sibling not in duplicate_contacts(program)


def test_reviewer_sees_the_flag_and_the_comparison(client, program, user, reviewer):
    ProgramFactory(phone="555-0177", organization=OrganizationFactory(), name="Call Center Listing")
    program_submit_changes(program=program, data={"phone": "555-0177"}, user=user)
    client.force_login(reviewer)
    response = client.get(f"/admin/snippets/directory/program/edit/{program.pk}/")
    assert b"Call Center Listing" in response.content
    assert b"Check before approving" in response.content
    response = client.get(f"/admin/snippets/directory/program/history/{program.pk}/")
    assert response.status_code == 200
    # Field-by-field comparison of the live listing with the draft.
    response = client.get(
        f"/admin/snippets/directory/program/history/{program.pk}/revisions/compare/live...latest/"
    )
    assert response.status_code == 200
    compared = response.content.decode()
    assert "Main phone" in compared and "0177" in compared and "Description" not in compared


def test_availability_shows_its_age_on_the_page_and_the_card(client, program):
    three_days_ago = timezone.now() - datetime.timedelta(days=3)
    Program.objects.filter(pk=program.pk).update(
        accepting_clients=Program.Accepting.YES, open_beds=2, availability_updated_at=three_days_ago
    )
    page = client.get(program.get_absolute_url()).content.decode()
    assert "Accepting new clients</strong>, 2 open beds" in page
    assert "updated 3 days ago" in page
    card = client.get("/find/", {"location": program.zip_code}).content.decode()
    assert "updated 3 days ago" in card

    Program.objects.filter(pk=program.pk).update(
        availability_updated_at=three_days_ago - datetime.timedelta(days=30)
    )
    page = client.get(program.get_absolute_url()).content.decode()
    assert "not confirmed recently (last updated 33 days ago)" in page
    card = client.get("/find/", {"location": program.zip_code}).content.decode()
    assert "not confirmed recently" in card


def test_changes_requested_then_resubmitted_then_approved(program, user, reviewer):
    program_submit_changes(program=program, data={"phone": "555-0199"}, user=user)
    state = program.current_workflow_state
    state.current_task_state.task.specific.on_action(state.current_task_state, reviewer, "reject")
    program.refresh_from_db()
    assert program.current_workflow_state.status == "needs_changes"
    assert program.phone == "555-0101"
    program_submit_changes(program=program, data={"phone": "555-0198"}, user=user)
    program.refresh_from_db()
    assert program.current_workflow_state.status == "in_progress"
    approve(program, reviewer)
    program.refresh_from_db()
    assert program.phone == "555-0198"


def send_back(program, reviewer, comment="That number rings a pharmacy."):
    """The reviewer's "Request changes"."""
    program.refresh_from_db()
    state = program.current_workflow_state
    state.current_task_state.task.specific.on_action(
        state.current_task_state, reviewer, "reject", comment=comment
    )
    program.refresh_from_db()
    return program.current_workflow_state


def review_log(program) -> list[str]:
    return list(
        ModelLogEntry.objects.for_instance(program)
        .filter(action__startswith="wagtail.workflow.")
        .order_by("pk")
        .values_list("action", flat=True)
    )


@pytest.mark.parametrize(
    "data",
    [
        {"description": "Now with evening groups."},
        {"description": "Now with evening groups.", "phone": "555-0199"},  # the held value as it waits
        {"languages": "spanish"},
    ],
    ids=["description", "description-and-same-held-value", "descriptive-vocabulary"],
)
def test_a_save_not_touching_held_fields_leaves_changes_requested(program, user, reviewer, data):
    """After "Request changes", a save that changes no held value publishes
    its changes and leaves the review sent back: not resubmitted."""
    program_submit_changes(program=program, data={"phone": "555-0199"}, user=user)
    state = send_back(program, reviewer)
    task_states = state.task_states.count()
    log_before = review_log(program)
    if data.get("languages"):
        data = {"languages": [Language.objects.get(slug=data["languages"])]}

    result = program_submit_changes(program=program, data=data, user=user)

    program.refresh_from_db()
    if "description" in data:
        assert program.description == "Now with evening groups."
    else:
        assert [t.slug for t in program.languages.all()] == ["spanish"]
    assert program.phone == "555-0101"
    after = program.current_workflow_state
    assert after.pk == state.pk and after.status == after.STATUS_NEEDS_CHANGES
    assert after.task_states.count() == task_states  # no task restarted
    assert review_log(program) == log_before  # not cancelled, started or resumed
    assert workflow.changes_requested_comment(program) == "That number rings a pharmacy."
    assert set(pending_changes(program)) == {"phone"}
    assert program.has_unpublished_changes
    assert result.published and result.held == ["phone"] and result.changes_requested


def test_changing_a_held_field_after_changes_requested_resubmits(program, user, reviewer):
    program_submit_changes(program=program, data={"phone": "555-0199"}, user=user)
    state = send_back(program, reviewer)
    program_submit_changes(program=program, data={"description": "Later."}, user=user)
    result = program_submit_changes(program=program, data={"phone": "555-0198"}, user=user)
    program.refresh_from_db()
    after = program.current_workflow_state
    assert after.pk == state.pk and after.status == after.STATUS_IN_PROGRESS  # Wagtail's resume
    assert review_log(program)[-1] == "wagtail.workflow.resume"
    assert result.held == ["phone"] and not result.changes_requested
    approve(program, reviewer)
    program.refresh_from_db()
    assert (program.phone, program.description) == ("555-0198", "Later.")


def test_submitting_again_unchanged_after_changes_requested(program, user, reviewer):
    program_submit_changes(program=program, data={"phone": "555-0199"}, user=user)
    state = send_back(program, reviewer)
    program_submit_changes(program=program, data={"description": "Later."}, user=user)
    result = program_submit_changes(program=program, data={}, user=user, resubmit=True)
    assert result.held == ["phone"] and not result.changes_requested and not result.published
    program.refresh_from_db()
    after = program.current_workflow_state
    assert after.pk == state.pk and after.status == after.STATUS_IN_PROGRESS
    approve(program, reviewer)
    program.refresh_from_db()
    assert (program.phone, program.description) == ("555-0199", "Later.")


def test_submit_again_without_anything_sent_back_changes_nothing(program, user):
    result = program_submit_changes(program=program, data={}, user=user, resubmit=True)
    assert (result.published, result.held, result.changes_requested) == ([], [], False)
    program.refresh_from_db()
    assert program.current_workflow_state is None and not program.has_unpublished_changes


def test_withdrawing_after_changes_requested(program, user, reviewer):
    program_submit_changes(program=program, data={"phone": "555-0199"}, user=user)
    send_back(program, reviewer)
    program_submit_changes(program=program, data={"description": "Later."}, user=user)
    result = program_submit_changes(program=program, data={"phone": "555-0101"}, user=user)
    program.refresh_from_db()
    assert program.current_workflow_state is None and not program.has_unpublished_changes
    assert review_log(program)[-1] == "wagtail.workflow.cancel"
    assert program.description == "Later."
    assert result.held == [] and not result.changes_requested


# --- provenance: what the center set shows as "center" on the Source tab ------------


def origin(program) -> dict:
    """Field name -> {"source", "file", "at"} as recorded for the listing."""
    row = FieldProvenance.objects.filter(program=program).first()
    return row.fields if row else {}


def test_changes_published_at_once_record_the_center_as_their_source(program, user):
    spanish = Language.objects.get(slug="spanish")
    program_submit_changes(
        program=program,
        data={"description": "New description.", "languages": [spanish], "phone": "555-0199"},
        user=user,
    )
    recorded = origin(program)
    for name in ("description", "languages"):
        assert recorded[name]["source"] == "center", name
        assert recorded[name]["file"] == "center portal", name
        assert recorded[name]["at"], name
    assert "phone" not in recorded  # held: not public, so nobody's value yet


def test_held_changes_record_the_center_when_approved_not_when_submitted(program, user, reviewer):
    detox = LevelOfCare.objects.get(slug="detox")
    program_submit_changes(program=program, data={"phone": "555-0199", "levels_of_care": [detox]}, user=user)
    assert origin(program) == {}
    # Published at once while the draft waits (the review goes on).
    program_submit_changes(program=program, data={"hours": "9-5"}, user=user)
    assert set(origin(program)) == {"hours"}
    approve(program, reviewer)
    recorded = origin(program)
    assert set(recorded) == {"hours", "phone", "levels_of_care"}
    for name in ("phone", "levels_of_care"):
        assert recorded[name]["source"] == "center", name
        assert recorded[name]["file"] == "center portal, approved in review", name


def test_rejected_or_withdrawn_held_changes_record_nothing(program, user, reviewer):
    program_submit_changes(program=program, data={"phone": "555-0199"}, user=user)
    state = program.current_workflow_state
    state.current_task_state.task.specific.on_action(state.current_task_state, reviewer, "reject")
    assert origin(program) == {}
    program_submit_changes(program=program, data={"phone": "555-0101"}, user=user)  # set back: withdrawn
    program.refresh_from_db()
    assert not program.has_unpublished_changes
    assert origin(program) == {}


def test_held_changes_of_a_merged_draft_are_all_the_centers(program, user, reviewer):
    """A second edit merged into the waiting draft: both edits' held fields
    are recorded when the draft is approved."""
    program_submit_changes(program=program, data={"phone": "555-0199"}, user=user)
    program_submit_changes(program=program, data={"website": "https://new.example.org/"}, user=user)
    approve(program, reviewer)
    assert {name for name, v in origin(program).items() if v["source"] == "center"} == {"phone", "website"}


def test_approving_from_the_admin_edit_screen_records_the_center(client, program, user, reviewer):
    """The reviewer's Approve button on the edit screen saves the form as a
    revision of its own first, then approves: the values are still the
    center's (and a field the reviewer changed there is the staff's)."""
    from tests.directory.test_admin import program_form

    program_submit_changes(
        program=program, data={"phone": "555-0199", "website": "https://center.example.org/"}, user=user
    )
    program.refresh_from_db()
    draft = workflow.pending_revision(program).as_object()
    data = program_form(draft, website="https://staff.example.org/")
    del data["action-publish"]
    data.update({"action-workflow-action": "1", "workflow-action-name": "approve"})
    client.force_login(reviewer)
    response = client.post(f"/admin/snippets/directory/program/edit/{program.pk}/", data)
    assert response.status_code == 302, response.content[:3000]
    program.refresh_from_db()
    assert (program.phone, program.website) == ("555-0199", "https://staff.example.org/")
    recorded = origin(program)
    assert recorded["phone"]["source"] == "center"
    assert recorded["website"]["source"] == "staff"


def test_staff_publishing_the_waiting_draft_records_the_center(client, program, user, reviewer):
    """Publishing from the edit screen (not Approve) also makes the center's
    held values live, and cancels the review: they are still the center's."""
    from tests.directory.test_admin import program_form

    program_submit_changes(program=program, data={"phone": "555-0199", "name": "Renamed (Sample)"}, user=user)
    program.refresh_from_db()
    draft = workflow.pending_revision(program).as_object()
    client.force_login(reviewer)
    response = client.post(
        f"/admin/snippets/directory/program/edit/{program.pk}/",
        program_form(draft, name="Staff Name (Sample)"),
    )
    assert response.status_code == 302, response.content[:3000]
    program.refresh_from_db()
    assert (program.phone, program.name, program.current_workflow_state) == (
        "555-0199",
        "Staff Name (Sample)",
        None,
    )
    recorded = origin(program)
    assert (recorded["phone"]["source"], recorded["name"]["source"]) == ("center", "staff")


def test_availability_records_the_center_as_its_source(program, user):
    program_set_availability(program=program, accepting=Program.Accepting.YES, open_beds=2, user=user)
    recorded = origin(program)
    assert set(recorded) == set(Program.AVAILABILITY_FIELDS)
    assert {v["source"] for v in recorded.values()} == {"center"}


def test_approving_a_draft_naming_a_term_deleted_since_keeps_the_others(program, user, reviewer):
    """Staff may delete (or merge) a term while a center's change naming it
    waits: approval applies the terms that still exist, and the join table
    holds no row pointing at a deleted term (the commit would fail)."""
    from django.db import connection

    retired = LevelOfCare.objects.create(name="Retired level", slug="retired-level")
    detox = LevelOfCare.objects.get(slug="detox")
    program_submit_changes(program=program, data={"levels_of_care": [detox, retired]}, user=user)
    retired.delete()
    approve(program, reviewer)
    assert [t.slug for t in program.levels_of_care.all()] == ["detox"]
    connection.check_constraints()


def test_pending_changes_of_a_draft_without_a_vocabulary_reads_the_live_links(program, reviewer):
    """A draft saved before a vocabulary existed has no links for it: that
    vocabulary is unchanged, not emptied (and not a KeyError)."""
    from directory.models import Accreditation

    program.accreditations.set([Accreditation.objects.first()])
    program.phone = "555-0199"
    revision = program.save_revision(user=reviewer)  # a staff draft, not a center's
    del revision.content["_links"]["accreditations"]
    revision.save(update_fields=["content"])
    program.refresh_from_db()
    assert pending_changes(program) == {"phone": ("555-0101", "555-0199")}


@pytest.mark.parametrize(
    "data",
    [
        {"description": "Now with evening groups."},
        {"description": "Now with evening groups.", "phone": "555-0199"},  # the held value as it waits
    ],
    ids=["description", "description-and-same-held-value"],
)
def test_a_save_not_touching_held_fields_leaves_a_review_in_progress_alone(
    program, user, reviewer, data, django_capture_on_commit_callbacks
):
    """While a held change waits, a save that changes no held value
    publishes its changes without cancelling and restarting the review (the
    reviewers were emailed "submitted" again for nothing); the approval
    then publishes the held value and keeps the later description."""

    Group.objects.get(name="Listing reviewers").user_set.add(reviewer)
    program_submit_changes(program=program, data={"phone": "555-0199"}, user=user)
    program.refresh_from_db()
    state = program.current_workflow_state
    task_states = state.task_states.count()
    log_before = review_log(program)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        program_submit_changes(program=program, data=data, user=user)

    program.refresh_from_db()
    assert program.description == "Now with evening groups." and program.phone == "555-0101"
    after = program.current_workflow_state
    assert after.pk == state.pk and after.status == after.STATUS_IN_PROGRESS
    assert after.task_states.count() == task_states
    assert review_log(program) == log_before  # not cancelled, started or resumed
    assert mail.outbox == []
    approve(program, reviewer)
    program.refresh_from_db()
    assert program.phone == "555-0199" and program.description == "Now with evening groups."
