"""Receivers for the review of centers' changes (connected in
DirectoryConfig.ready): a review that ended records the center's held values
now live as the center's; contact details that changed on publishing are
reported to the previous inquiry address; reviewers get one email per
submission, update and withdrawal (reviewers.py, through the task queue)."""

from django.db import transaction
from wagtail.signals import task_submitted, workflow_approved, workflow_cancelled

from directory.models import Program, contacts_published
from directory.tasks import send_review_request_email, send_review_withdrawn_email

from .contacts import contact_changed
from .reviewers import is_listing_review
from .workflow import held_change_updated, held_change_withdrawn, program_provenance_record_held


def record_center_held_values(sender, instance, **kwargs):
    """A listing's review ended: approved, or cancelled (also by staff
    publishing the draft directly). The center's held values that are now
    live are recorded as the center's."""
    program_provenance_record_held(workflow_state=instance)


def report_contact_change(sender, program, before, **kwargs):
    contact_changed(program=program, before=before)


def tell_reviewers_submitted(sender, instance, **kwargs):
    """Wagtail's task_submitted (a review started, or resumed after "Request
    changes"): our one email to the reviewers, after the commit."""
    if is_listing_review(instance.workflow_state):
        task_state_id = instance.pk
        transaction.on_commit(lambda: send_review_request_email.enqueue(task_state_id))


def tell_reviewers_updated(sender, task_state, **kwargs):
    task_state_id = task_state.pk
    transaction.on_commit(lambda: send_review_request_email.enqueue(task_state_id, updated=True))


def tell_reviewers_withdrawn(sender, workflow_state, **kwargs):
    state_id = workflow_state.pk
    transaction.on_commit(lambda: send_review_withdrawn_email.enqueue(state_id))


def connect() -> None:
    task_submitted.connect(tell_reviewers_submitted, dispatch_uid="directory.review.tell_reviewers")
    held_change_updated.connect(tell_reviewers_updated, dispatch_uid="directory.review.tell_updated")
    held_change_withdrawn.connect(tell_reviewers_withdrawn, dispatch_uid="directory.review.tell_withdrawn")
    workflow_approved.connect(record_center_held_values, dispatch_uid="directory.review.held_values")
    workflow_cancelled.connect(record_center_held_values, dispatch_uid="directory.review.held_values")
    contacts_published.connect(
        report_contact_change, sender=Program, dispatch_uid="directory.review.contacts"
    )
