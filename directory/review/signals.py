"""Receivers for the review of centers' changes (connected in
DirectoryConfig.ready): a review that ended records the center's held values
now live as the center's; contact details that changed on publishing are
reported to the previous inquiry address."""

from wagtail.signals import workflow_approved, workflow_cancelled

from directory.models import Program, contacts_published

from .contacts import contact_changed
from .workflow import program_provenance_record_held


def record_center_held_values(sender, instance, **kwargs):
    """A listing's review ended: approved, or cancelled (also by staff
    publishing the draft directly). The center's held values that are now
    live are recorded as the center's."""
    program_provenance_record_held(workflow_state=instance)


def report_contact_change(sender, program, before, **kwargs):
    contact_changed(program=program, before=before)


def connect() -> None:
    workflow_approved.connect(record_center_held_values, dispatch_uid="directory.review.held_values")
    workflow_cancelled.connect(record_center_held_values, dispatch_uid="directory.review.held_values")
    contacts_published.connect(
        report_contact_change, sender=Program, dispatch_uid="directory.review.contacts"
    )
