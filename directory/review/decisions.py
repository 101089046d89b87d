"""A reviewer's decision on a held change, from the review page
(admin_views.py): Approve (the proposed values go live), Request changes
(back to the center with a comment) and Reject (nothing goes live, the
proposal is dropped, the center is told why).

Approve and Request changes are Wagtail's own task actions, so history,
provenance (signals.py) and the center's email (portal, on Wagtail's
workflow_approved / workflow_rejected) follow as for the admin's buttons.
Wagtail has no final "reject": it is the review cancelled and the draft
dropped, logged as REJECTED_ACTION, with `listing_change_rejected` sent
for the apps that tell the center."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.dispatch import Signal
from wagtail.log_actions import log
from wagtail.models import TaskState, Workflow

from directory.models import Program

from .screen import HeldChange
from .workflow import WORKFLOW_NAME

REJECTED_ACTION = "directory.review_rejected"

# sender=Program, workflow_state=..., user=...: inside the decision's transaction.
listing_change_rejected = Signal()

APPROVE, REQUEST_CHANGES, REJECT = "approve", "request_changes", "reject"


class StaleReview(Exception):
    """The change was updated, withdrawn or decided since the page was shown."""


def review_task():
    """The "Listing change review" workflow's approval task, or None."""
    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first()
    task = workflow.tasks.first() if workflow else None
    return task.specific if task else None


def user_reviews_listings(user) -> bool:
    """Is this user a reviewer of listing changes (the task's groups, or a superuser)?"""
    if not user.is_active:
        return False
    task = review_task()
    return bool(task and task.get_actions(None, user))


def can_review(*, user, change: HeldChange) -> bool:
    """May this user decide this change? The review task's own rule
    (Wagtail's group approval task: its groups, and superusers)."""
    task_state = change.task_state
    if task_state is None:
        return False
    actions = task_state.task.specific.get_actions(change.program, user)
    return any(name == "approve" for name, *_ in actions)


def _current(change: HeldChange, revision_id: int) -> TaskState:
    """The task state to act on, refusing a decision on another version
    than the one the reviewer saw."""
    change.program.refresh_from_db(fields=["latest_revision", "has_unpublished_changes"])
    latest = change.program.get_latest_revision()
    if not change.in_progress or latest is None or latest.pk != revision_id or change.task_state is None:
        raise StaleReview
    if change.task_state.status != TaskState.STATUS_IN_PROGRESS:
        raise StaleReview
    return change.task_state


def listing_review_decide(*, change: HeldChange, user, decision: str, revision_id: int, comment: str = ""):
    """Apply a reviewer's decision; StaleReview when the change moved on,
    PermissionDenied when the user may not review it."""
    if not can_review(user=user, change=change):
        raise PermissionDenied
    with transaction.atomic():
        # Lock the listing so two reviewers (or the center's next save) do
        # not act on it at once; then check the version again.
        Program.objects.select_for_update().filter(pk=change.program.pk).first()
        change.workflow_state.refresh_from_db()
        if change.task_state is not None:
            change.task_state.refresh_from_db()
        task_state = _current(change, revision_id)
        task = task_state.task.specific
        if decision == APPROVE:
            task.on_action(task_state, user, "approve", comment=comment)
        elif decision == REQUEST_CHANGES:
            task.on_action(task_state, user, "reject", comment=comment)
        elif decision == REJECT:
            _reject(change=change, task_state=task_state, user=user, comment=comment)
        else:
            raise ValueError(decision)


def _reject(*, change: HeldChange, task_state: TaskState, user, comment: str) -> None:
    state = change.workflow_state
    fields = change.changed_fields
    state.cancel(user=user)
    # The comment the center's email quotes, where Wagtail keeps a task's comment.
    TaskState.objects.filter(pk=task_state.pk).update(comment=comment)
    Program.objects.filter(pk=change.program.pk).update(has_unpublished_changes=False)
    log(
        instance=change.program,
        action=REJECTED_ACTION,
        user=user,
        data={"fields": fields, "revision": change.revision.pk},
        content_changed=False,
    )
    listing_change_rejected.send(sender=Program, workflow_state=state, user=user)
