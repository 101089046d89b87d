"""What happens when an editorial workflow is approved."""


def publish_approved(workflow_state, user=None):
    """Publish the approved revision as the last approver. The approval itself
    is the authority to publish: medical reviewers sign off articles without
    holding the publish permission, so no one can publish around the review.
    (Wagtail's default finish action demands that permission of the approver.)"""
    revision = workflow_state.content_object.get_latest_revision()
    revision.publish(user=user, skip_permission_checks=True)
