"""Who hears about a listing change review.

Wagtail emails workflow news itself (wagtail.admin.mail, connected in
wagtail.admin.signal_handlers): "submitted" to the task's group and to
superusers, "approved" and "rejected" to whoever submitted. Those emails
link into /admin/ (and to the admin's notification preferences), which
center users cannot open. So Wagtail's notifiers are replaced, under their
own dispatch_uids, by the same notifiers limited to people who may open the
admin: reviewers and staff keep every email, center users get none.

Reviewers of listings get our own email per submission instead of
Wagtail's two "submitted" ones (directory/review/reviewers.py): Wagtail's
submission notifiers skip listing reviews.

Instead, when a reviewer approves, requests changes to or rejects a
center's change, the organization's members get our own email
(portal.tasks) linking to the portal."""

from django.contrib.contenttypes.models import ContentType
from wagtail.admin.mail import (
    GroupApprovalTaskStateSubmissionEmailNotifier,
    WorkflowStateApprovalEmailNotifier,
    WorkflowStateRejectionEmailNotifier,
    WorkflowStateSubmissionEmailNotifier,
)
from wagtail.models import TaskState, WorkflowState
from wagtail.signals import task_submitted, workflow_approved, workflow_rejected, workflow_submitted

from directory.models import Program
from directory.review.decisions import listing_change_rejected
from directory.review.reviewers import is_listing_review

from .services import program_review_outcome_notify


def can_open_admin(user) -> bool:
    return user.has_perm("wagtailadmin.access_admin")


class AdminUsersOnly:
    """A Wagtail notifier that emails only users who can open the admin."""

    def get_valid_recipients(self, instance, **kwargs):
        return {user for user in super().get_valid_recipients(instance, **kwargs) if can_open_admin(user)}


class TaskSubmittedToAdminUsers(AdminUsersOnly, GroupApprovalTaskStateSubmissionEmailNotifier):
    def can_handle(self, instance, **kwargs):
        return super().can_handle(instance, **kwargs) and not is_listing_review(instance.workflow_state)


class WorkflowSubmittedToAdminUsers(AdminUsersOnly, WorkflowStateSubmissionEmailNotifier):
    def can_handle(self, instance, **kwargs):
        return super().can_handle(instance, **kwargs) and not is_listing_review(instance)


class WorkflowApprovedToAdminUsers(AdminUsersOnly, WorkflowStateApprovalEmailNotifier):
    pass


class WorkflowRejectedToAdminUsers(AdminUsersOnly, WorkflowStateRejectionEmailNotifier):
    pass


# (signal, sender, Wagtail's dispatch_uid, our notifier). Module-level, so the
# signals' weak references stay alive.
WAGTAIL_NOTIFIERS = [
    (
        task_submitted,
        TaskState,
        "group_approval_task_submitted_email_notification",
        TaskSubmittedToAdminUsers(),
    ),
    (
        workflow_submitted,
        WorkflowState,
        "workflow_state_submitted_email_notification",
        WorkflowSubmittedToAdminUsers(),
    ),
    (
        workflow_rejected,
        WorkflowState,
        "workflow_state_rejected_email_notification",
        WorkflowRejectedToAdminUsers(),
    ),
    (
        workflow_approved,
        WorkflowState,
        "workflow_state_approved_email_notification",
        WorkflowApprovedToAdminUsers(),
    ),
]


def review_decided(sender, instance, user=None, **kwargs):
    """workflow_approved / workflow_rejected: tell the center, when it was
    a center's change (not for pages or other snippets)."""
    if instance.base_content_type_id != ContentType.objects.get_for_model(Program).pk:
        return
    program_review_outcome_notify(workflow_state=instance, user=user)


def review_rejected(sender, workflow_state, user=None, **kwargs):
    """The review page's Reject (directory.review.decisions): tell the center."""
    program_review_outcome_notify(workflow_state=workflow_state, user=user)


def connect() -> None:
    """Called from PortalConfig.ready(). Disconnect-then-connect under
    Wagtail's dispatch_uid works whichever app's ready() runs first: when
    ours does, Wagtail's own connect is a no-op for an existing uid."""
    for signal, sender, dispatch_uid, notifier in WAGTAIL_NOTIFIERS:
        signal.disconnect(sender=sender, dispatch_uid=dispatch_uid)
        signal.connect(notifier, sender=sender, dispatch_uid=dispatch_uid)
    workflow_approved.connect(review_decided, sender=WorkflowState, dispatch_uid="portal.review_approved")
    workflow_rejected.connect(review_decided, sender=WorkflowState, dispatch_uid="portal.review_rejected")
    listing_change_rejected.connect(review_rejected, sender=Program, dispatch_uid="portal.review_refused")
