"""Publishing a listing's revision without touching its review: a center's
changes that go live at once while its held ones wait for staff (or were
sent back) must not end that review. Imported by models.py (Program.publish);
imports nothing of the directory."""

from wagtail.actions.publish_revision import PublishRevisionAction


class PublishKeepingReview(PublishRevisionAction):
    """Wagtail's publish action, leaving the object's review alone (for
    Program.publish(keep_review=True)): the object it publishes is told it
    has no review in progress (the slot Wagtail's prefetch_workflow_states
    fills), so the action ends none. Everything else (the revision, the log
    entry, the `published` signal) is Wagtail's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.object._current_workflow_states = []
