"""A center's edit of its listing: what goes live at once and what waits
for staff review (who-the-listing-is and how-to-reach-it).

Held changes use Wagtail's own machinery: a draft revision of the Program
snippet, submitted to the "Listing change review" workflow. The row stays
the approved listing meanwhile. Everything is in the listing's history as
Wagtail log entries (and revisions where the content changed). One-click
availability is directory/availability.py; the hijack check and the
contact-change email are contacts.py."""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.dispatch import Signal
from wagtail.models import Revision, Workflow

from directory.models import Program
from directory.provenance import (
    CENTER_PORTAL,
    CENTER_PORTAL_REVIEWED,
    CENTER_SOURCE,
    program_provenance_record,
)
from directory.services import program_geocode

WORKFLOW_NAME = "Listing change review"

# For the reviewers' emails (review/signals.py), inside the save's transaction:
# the center set every held value back (workflow_state: the cancelled review);
# the center changed a held change while it waits (task_state: the open task).
# A new submission or resubmission is Wagtail's own task_submitted.
held_change_withdrawn = Signal()
held_change_updated = Signal()


@dataclass
class SubmittedChanges:
    published: list[str] = field(default_factory=list)  # field names live at once
    held: list[str] = field(default_factory=list)  # field names waiting for review
    revision: object = None  # the draft revision under review, if any
    # The held changes stay sent back to the center ("Request changes"):
    # this save did not change them and did not submit them again.
    changes_requested: bool = False
    # Every held value was set back to the public one: the review waiting
    # (or sent back) was cancelled, nothing is left for staff.
    withdrawn: bool = False


def pending_revision(program: Program):
    """The draft waiting for review, or None."""
    if not program.has_unpublished_changes:
        return None
    return program.get_latest_revision()


def held_changes(draft: Program, live: Program) -> dict:
    """Held field -> (live value, proposed value) where a version of the
    listing differs from the live one (links as sorted term ids; a draft
    without a vocabulary leaves it as it is)."""
    changes = {}
    for name in Program.REVIEWED_FIELDS:
        old, new = getattr(live, name), getattr(draft, name)
        if old != new:
            changes[name] = (old, new)
    live_links = live.current_links()
    for name in Program.REVIEWED_LINKS:
        proposed = draft.link_ids(name)
        if proposed != live_links[name]:
            changes[name] = (live_links[name], proposed)
    return changes


def pending_changes(program: Program) -> dict:
    """held_changes of the draft under review."""
    revision = pending_revision(program)
    return {} if revision is None else held_changes(revision.as_object(), program)


def changes_requested_comment(program: Program) -> str | None:
    """The reviewer's comment ("" if none) when the waiting changes were sent
    back ("Request changes"), else None."""
    state = program.current_workflow_state
    if state is None or state.status != state.STATUS_NEEDS_CHANGES or state.current_task_state is None:
        return None
    return (state.current_task_state.comment or "").strip()


@dataclass
class ReviewOutcome:
    approved: list[str]  # held field names now live as the center proposed them
    declined: list[str]  # held field names not (or not yet) live as proposed


def center_revision(workflow_state):
    """The latest revision a center made in this review (it carries the held
    marker and holds everything proposed so far), or None for a review of
    staff's own edit. Revisions made since the review started; the first
    task started on the center's submitted draft."""
    first = workflow_state.task_states.order_by("pk").values_list("revision_id", flat=True).first()
    if first is None:
        return None
    revisions = Revision.objects.filter(
        base_content_type_id=workflow_state.base_content_type_id,
        object_id=workflow_state.object_id,
        pk__gte=first,
    ).order_by("-pk")
    for revision in revisions.iterator(chunk_size=10):
        if Program.HELD_MARKER in revision.content:
            return revision
    return None


def held_values_live(workflow_state) -> ReviewOutcome | None:
    """Which of a center's held changes in this review are live as the
    center proposed them, and which are not (a reviewer declines one field
    by setting it back in the draft before approving, Wagtail's only
    per-field decision). None when no center change is under review.
    Kept on the workflow state for its current status: the receivers of one
    decision (provenance, the center's email) share one reading."""
    cached = getattr(workflow_state, "_held_values_live", None)
    if cached is not None and cached[0] == workflow_state.status:
        return cached[1]
    outcome = _held_values_live(workflow_state)
    workflow_state._held_values_live = (workflow_state.status, outcome)
    return outcome


def _held_values_live(workflow_state) -> ReviewOutcome | None:
    revision = center_revision(workflow_state)
    if revision is None:
        return None
    held = list(revision.content[Program.HELD_MARKER])
    live = Program.objects.filter(pk=int(workflow_state.object_id)).first()
    if live is None:
        return ReviewOutcome(approved=[], declined=held)
    differing = held_changes(live.with_content_json(revision.content), live)
    return ReviewOutcome(
        approved=[name for name in held if name not in differing],
        declined=[name for name in held if name in differing],
    )


def review_outcome(workflow_state) -> ReviewOutcome | None:
    """What the reviewer's decision did to a center's held changes: when
    approved, the ones now live as proposed (held_values_live); when changes
    were requested, nothing went live and every held field is declined."""
    outcome = held_values_live(workflow_state)
    if outcome is None or workflow_state.status == workflow_state.STATUS_APPROVED:
        return outcome
    return ReviewOutcome(approved=[], declined=[*outcome.approved, *outcome.declined])


def _split(program: Program, data: dict):
    """Split submitted values into held ones (kept even when equal to the live
    value: that withdraws an earlier pending change) and immediate ones that
    differ from the live listing. Links are lists of terms or ids."""
    held, immediate, held_links, immediate_links = {}, {}, {}, {}
    live_links = program.current_links()
    for name, value in data.items():
        if name in Program.REVIEWED_LINKS:
            held_links[name] = sorted(getattr(term, "pk", term) for term in value)
        elif name in Program.LINK_FIELDS:
            ids = sorted(getattr(term, "pk", term) for term in value)
            if ids != live_links[name]:
                immediate_links[name] = ids
        elif name in Program.REVIEWED_FIELDS:
            held[name] = value
        elif getattr(program, name) != value:
            immediate[name] = value
    return held, immediate, held_links, immediate_links


def _held_values(program: Program) -> tuple:
    """The held fields of one version of a listing, comparable between versions."""
    return (
        tuple(getattr(program, name) for name in Program.REVIEWED_FIELDS),
        tuple(program.link_ids(name) for name in Program.REVIEWED_LINKS),
    )


def _proposal(program: Program, waiting, held: dict, held_links: dict) -> tuple[Program, bool]:
    """The listing as this save proposes it for review: the waiting draft,
    if any (so earlier held changes stay), with this save's held values;
    and whether this save changes what was waiting (always, without one)."""
    base = program.with_content_json(waiting.content if waiting else program.serializable_data())
    before = _held_values(base) if waiting else None
    for name, value in held.items():
        setattr(base, name, value)
    base._pending_links = {**base._pending_links, **held_links}
    return base, _held_values(base) != before


@transaction.atomic
def program_submit_changes(*, program: Program, data: dict, user, resubmit: bool = False) -> SubmittedChanges:
    """Apply a center's edit: non-held fields are published at once (a
    published revision), held ones go into a draft revision submitted to the
    review workflow, merged with any draft already waiting.

    After a reviewer's "Request changes" the held changes stay with the
    center until it changes one of them (or sets them all back: withdrawn)
    or asks for another look (`resubmit`, "Submit again for review"): a save
    that leaves them as they are publishes its own changes and the review
    stays sent back, with the reviewer's comment; the reviewers are not told
    again. Submitting again resumes the same workflow (Wagtail's resume)."""
    program = Program.objects.select_for_update().get(pk=program.pk)
    waiting = pending_revision(program)
    state = program.current_workflow_state if waiting is not None else None
    sent_back = state is not None and state.status == state.STATUS_NEEDS_CHANGES
    held, immediate, held_links, immediate_links = _split(program, data)
    outcome = SubmittedChanges(published=[*immediate, *immediate_links])

    if immediate or immediate_links:
        # Publishing ends a review, except one sent back to the center
        # (resumed below if this save changes a held value) and one in
        # progress whose held values this save leaves as they wait: it goes
        # on, the held draft saved again below as the latest revision (what
        # approval publishes), and the reviewers are not told again.
        keep_review = sent_back or (
            state is not None and not _proposal(program, waiting, held, held_links)[1]
        )
        for name, value in immediate.items():
            setattr(program, name, value)
        program._pending_links = {**program.current_links(), **immediate_links}
        revision = program.save_revision(user=user, log_action=True)
        program.publish(revision, user=user, skip_permission_checks=True, keep_review=keep_review)
        program.refresh_from_db()
        program_provenance_record(
            program_id=program.pk, fields=outcome.published, source=CENTER_SOURCE, file_name=CENTER_PORTAL
        )

    if held or held_links or waiting is not None:
        base, touched = _proposal(program, waiting, held, held_links)
        if any(
            getattr(base, name) != getattr(program, name) for name in ("street1", "city", "state", "zip_code")
        ):
            base.coordinate_flag = Program.CoordinateFlag.FROM_ZIP
            program_geocode(program=base)
        changed = list(held_changes(base, program))
        outcome.held = changed
        if not changed:
            if waiting:
                outcome.withdrawn = _withdraw(program=program, user=user, state=state)
            return outcome
        if touched or outcome.published:
            # The held changes as they now stand; after a publish the same
            # ones again, so that the draft is the latest revision.
            base._held_changes = changed
            outcome.revision = base.save_revision(user=user, log_action=True, clean=False)
        if sent_back and not (touched or resubmit):
            outcome.changes_requested = True  # the review stays with the center
        elif outcome.revision is not None or sent_back:
            _submit_for_review(program=base, user=user, changed=touched)
    return outcome


def _withdraw(*, program: Program, user, state) -> bool:
    """Every pending value was set back to the live one: nothing to review.
    True when a review was waiting before this save (`state`): it is
    cancelled (here, or already by this save's publish) and the reviewers
    are told."""
    current = program.current_workflow_state
    if current is not None:
        current.cancel(user=user)
    Program.objects.filter(pk=program.pk).update(has_unpublished_changes=False)
    if state is None:
        return False
    held_change_withdrawn.send(sender=Program, workflow_state=state, user=user)
    return True


def _submit_for_review(*, program: Program, user, changed: bool = True) -> None:
    """Submit to the review workflow, or resubmit when one is in progress or
    changes were requested (the latest revision is what gets approved).
    A review in progress whose held values this save `changed` goes on with
    the new draft; its reviewers are told it changed."""
    state = program.current_workflow_state
    if state is not None:
        if state.status == state.STATUS_NEEDS_CHANGES:
            state.resume(user=user)
        elif changed and state.current_task_state is not None:
            held_change_updated.send(sender=Program, task_state=state.current_task_state, user=user)
        return
    workflow = program.get_workflow() or Workflow.objects.get(name=WORKFLOW_NAME)
    workflow.start(program, user)


def program_provenance_record_held(*, workflow_state) -> list[str]:
    """When a listing's review ends, record the center's held values that
    are now live as the center's (source "center"); returns their names.
    Called when the workflow is approved (which publishes the draft) and
    when it is cancelled: staff publishing the draft from the edit screen
    cancel it, so do a center's edit changing held values while others are
    published at once (the review restarts around them) and a withdrawal,
    where the held values are not live and nothing is recorded. Nothing is
    recorded when a change is submitted or sent back.
    A field the reviewer changed on the edit screen before approving is not
    live as the center proposed it: it is the staff's (the admin records it
    so)."""
    if workflow_state.base_content_type_id != ContentType.objects.get_for_model(Program).pk:
        return []
    outcome = held_values_live(workflow_state)
    if outcome is None:
        return []  # a staff edit submitted for review: nothing of the center's
    program_provenance_record(
        program_id=int(workflow_state.object_id),
        fields=outcome.approved,
        source=CENTER_SOURCE,
        file_name=CENTER_PORTAL_REVIEWED,
    )
    return outcome.approved
