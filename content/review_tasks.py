"""The editorial workflow's tasks: four eyes on every step, approval only
after a confirmation, a change made during medical review goes back to
editorial review.

Any page type joins the workflow by living under a page the "Article review"
workflow is assigned to (Settings -> Workflows); the tasks below work for any
page, and record the medical review on pages that have review fields."""

import json
import re

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from wagtail.models import AbstractGroupApprovalTask, TaskState

WORKFLOW_NAME = "Article review"
EDITORS = "Editors"
MEDICAL_REVIEWERS = "Medical reviewers"
SITE_EDITORS = "Site editors"

APPROVE_LABEL = "Approve"
SENT_BACK_COMMENT = "Changed during medical review, so it goes back to editorial review."

# Revision content that says nothing about what readers see: tree position,
# publishing state, locks and bookkeeping. The review fields are set by the
# medical approval itself.
_NOT_CONTENT = {
    "pk", "id", "page_ptr", "path", "depth", "numchild", "url_path", "live", "has_unpublished_changes",
    "latest_revision", "latest_revision_created_at", "live_revision", "locked", "locked_at", "locked_by",
    "first_published_at", "last_published_at", "draft_title", "owner", "content_type", "translation_key",
    "locale", "alias_of", "expired", "wagtail_admin_comments", "comments",
    "medical_reviewer", "last_reviewed", "next_review_due",
}  # fmt: skip
_CHILD_BOOKKEEPING = {"pk", "id", "page", "content_object"}


# Rich text's paragraph keys, which Wagtail's editor adds on a first save.
_BLOCK_KEY = re.compile(r'\s+data-block-key="[^"]*"')


def _normalize(value):
    if isinstance(value, list):
        return [_normalize(item) for item in value]
    if isinstance(value, dict):
        return {key: _normalize(item) for key, item in value.items() if key not in _CHILD_BOOKKEEPING}
    if isinstance(value, str):
        if value[:1] in "[{":  # a StreamField's JSON: its block ids are bookkeeping
            try:
                return _normalize(json.loads(value))
            except ValueError:
                pass
        return _BLOCK_KEY.sub("", value)
    return value


def revision_content(revision):
    """What a revision shows readers, comparable between revisions."""
    if revision is None:
        return None
    return {key: _normalize(value) for key, value in revision.content.items() if key not in _NOT_CONTENT}


SUBMITTED = "submitted"
EDITED = "edited"


def version_authors(obj):
    """The four-eyes rule's authors of the version under review, as
    {user id: {"submitted", "edited"}}: whoever submitted it to the current
    run of the workflow, and everyone who saved a change readers would see
    since the version last published (since the page was created if it never
    was): drafts before the submission and edits during review, in any
    round. A save that changes nothing readers see (an approval through the
    editor, the review fields the medical approval records, a periodic
    review submitted unchanged) makes no one an author.

    The one place this is decided: approving (FourEyesTaskMixin), the
    dashboard's "Awaiting your review" and the edit page's "who acts next"
    banner (content/next_step.py) all read it."""
    authors = {}
    workflow_state = obj.current_workflow_state
    if workflow_state is not None and workflow_state.requested_by_id is not None:
        authors.setdefault(workflow_state.requested_by_id, set()).add(SUBMITTED)
    live = getattr(obj, "live_revision", None)
    revisions = obj.revisions.order_by("created_at", "pk").only("pk", "user_id", "content", "created_at")
    if live is not None:
        revisions = revisions.filter(created_at__gt=live.created_at)
    previous = revision_content(live)
    for revision in revisions:
        content = revision_content(revision)
        if content != previous and revision.user_id is not None:
            authors.setdefault(revision.user_id, set()).add(EDITED)
        previous = content
    return authors


def submission_authors(obj):
    """The user ids of `version_authors(obj)`."""
    return set(version_authors(obj))


class ApprovalForm(forms.Form):
    confirm = forms.BooleanField(
        label="I have read this version in full (use Preview) and approve it",
        error_messages={"required": "Tick the box to confirm you have read this version before approving."},
    )
    comment = forms.CharField(
        label="Comment (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class FourEyesTaskMixin:
    """A group approval task no one can approve their own work in: the
    submitter and the last editor of the revision get no actions (so nothing
    in the editor, the dashboard's "Awaiting your review" or the action URL),
    and approving always asks for a confirmation in Wagtail's action modal."""

    reviewer_noun = "reviewer"  # who acts on this task, for the edit page's banner

    def is_own_submission(self, obj, user):
        return user.pk in submission_authors(obj)

    def user_can_access_editor(self, obj, user):
        return super().user_can_access_editor(obj, user) and not self.is_own_submission(obj, user)

    def get_actions(self, obj, user):
        if self.is_own_submission(obj, user):
            return []
        actions = super().get_actions(obj, user)
        if not actions:
            return []
        return [("reject", "Request changes", True), ("approve", APPROVE_LABEL, True)]

    def get_form_for_action(self, action):
        return ApprovalForm if action == "approve" else super().get_form_for_action(action)

    def get_template_for_action(self, action):
        return "content/admin/workflow_action_modal.html"

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = (
            super()
            .get_task_states_user_can_moderate(user, **kwargs)
            .exclude(workflow_state__requested_by=user)
        )
        # Authors of the version under review (version_authors), per page.
        own = [
            state.pk
            for state in states.select_related("revision")
            if (obj := state.revision.content_object) is not None and self.is_own_submission(obj, user)
        ]
        return states.exclude(pk__in=own)

    @transaction.atomic
    def on_action(self, task_state, user, action_name, **kwargs):
        obj = task_state.workflow_state.content_object
        if self.sent_back(task_state, user, action_name):
            return None
        if self.is_own_submission(obj, user):
            raise PermissionDenied("You cannot review your own submission.")
        confirmed = kwargs.pop("confirm", False)
        if action_name == "approve":
            if not confirmed:
                # Every way to approve goes through ApprovalForm, but the
                # editor's own "Approve" posts the modal's answers as JSON
                # that anyone can write: no confirmation, no approval.
                return None
            # Record the exact revision this approval is for.
            task_state.revision = obj.get_latest_revision()
            task_state.save(update_fields=["revision"])
            return self.approve_revision(task_state, user, obj, **kwargs)
        return super().on_action(task_state, user, action_name, **kwargs)

    def sent_back(self, task_state, user, action_name):
        """Whether the action was replaced by sending the page back a step."""
        return False

    def approve_revision(self, task_state, user, obj, **kwargs):
        return super().on_action(task_state, user, "approve", **kwargs)


class EditorialReviewTask(FourEyesTaskMixin, AbstractGroupApprovalTask):
    """Editors check the article; never one who wrote or changed this version."""

    reviewer_noun = "editor"

    class Meta:
        verbose_name = "editorial review task"
        verbose_name_plural = "editorial review tasks"

    @classmethod
    def get_description(cls):
        return "Members of the chosen groups review the text; no one approves their own submission."


def editorial_approval(workflow_state):
    """The latest approved editorial review in this run of the workflow."""
    return (
        workflow_state.task_states.filter(
            status=TaskState.STATUS_APPROVED,
            task__in=EditorialReviewTask.objects.values("pk"),
        )
        .select_related("revision")
        .order_by("-finished_at", "-pk")
        .first()
    )


def changed_since_editorial_approval(workflow_state):
    approval = editorial_approval(workflow_state)
    if approval is None:
        return False
    latest = workflow_state.content_object.get_latest_revision()
    return revision_content(latest) != revision_content(approval.revision)


@transaction.atomic
def workflow_send_back_to_editorial(*, task_state, user):
    """End the current (medical) task and start editorial review again on
    the latest revision, as the workflow did after submission."""
    approval = editorial_approval(task_state.workflow_state)
    task_state.status = TaskState.STATUS_CANCELLED
    task_state.finished_at = timezone.now()
    task_state.finished_by = user
    task_state.comment = SENT_BACK_COMMENT
    task_state.save()
    workflow_state = task_state.workflow_state
    workflow_state.current_task_state = approval.task.specific.start(workflow_state, user=user)
    workflow_state.save()
    return workflow_state.current_task_state


def another_task_follows(workflow_state):
    """Whether a later step of the workflow comes after the current task.
    Wagtail's own test (WorkflowState.is_at_final_task) counts tasks approved
    earlier in the run as done, so on a second round of editorial review
    (after changes were requested or the page was sent back) it wrongly
    takes editorial review for the last step."""
    task_state = workflow_state.current_task_state
    if task_state is None:
        return False
    orders = list(
        workflow_state.workflow.workflow_tasks.filter(task__active=True).values_list("task_id", "sort_order")
    )
    current = dict(orders).get(task_state.task_id)
    return current is not None and any(order > current for _, order in orders)


def changes_requested(obj):
    """The task state whose reviewer requested changes, while the page waits
    for them (the workflow's status "needs changes"), else None."""
    workflow_state = obj.current_workflow_state
    if workflow_state is None or workflow_state.status != workflow_state.STATUS_NEEDS_CHANGES:
        return None
    task_state = workflow_state.current_task_state
    if task_state is None or task_state.status != TaskState.STATUS_REJECTED:
        return None
    return task_state


def medical_review_in_progress(obj):
    task = obj.current_workflow_task
    return task is not None and isinstance(task.specific, MedicalReviewTaskMixin)


class MedicalReviewTaskMixin(FourEyesTaskMixin):
    """Approving the medical review approves the text editorial review
    approved: if the text changed since, it goes back to editorial review."""

    reviewer_noun = "medical reviewer"

    def sent_back(self, task_state, user, action_name):
        # Also when the change and the approval come in one request (the
        # editor's "Approve" after editing): the change is not approved.
        if action_name == "approve" and changed_since_editorial_approval(task_state.workflow_state):
            workflow_send_back_to_editorial(task_state=task_state, user=user)
            return True
        return False

    def approve_revision(self, task_state, user, obj, **kwargs):
        self.record_review(obj, user)
        return super().approve_revision(task_state, user, obj, **kwargs)

    def record_review(self, page, user):
        """Hook for page types with review fields (see content.models)."""
