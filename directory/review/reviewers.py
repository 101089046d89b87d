"""Who reviews listing changes and what they are told, in our own words:
one email per submission (a center's change sent for review, sent again
after "Request changes", or changed while it waits) and one when the center
withdraws it. Wagtail's own "submitted" emails (two of them, stock wording,
for the task's group and for superusers) are switched off for listings
(`is_listing_review`, used where Wagtail's notifiers are replaced:
portal/signals.py). Sent by directory.tasks through the task queue, with
ids only; the page they link to is the review page (admin_views.py)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from directory.models import Program

REVIEW_URL_NAME = "directory_listing_review"


def is_listing_review(workflow_state) -> bool:
    """A review of a listing (a Program), not of a page or another snippet."""
    return workflow_state.base_content_type_id == ContentType.objects.get_for_model(Program).pk


def review_url(program_id: int, *, absolute: bool = False) -> str:
    path = reverse(REVIEW_URL_NAME, args=[program_id])
    return settings.WAGTAILADMIN_BASE_URL + path if absolute else path


def reviewers(task, *, exclude=None):
    """Active users who may decide the task (its groups, and superusers) and
    open the admin, except `exclude` (who asked)."""
    groups = task.specific.groups.all() if hasattr(task.specific, "groups") else []
    users = (
        get_user_model()
        .objects.filter(Q(groups__in=groups) | Q(is_superuser=True), is_active=True)
        .exclude(email="")
        .distinct()
    )
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return [user for user in users if user.has_perm("wagtailadmin.access_admin")]


def send_to_reviewers(*, template: str, context: dict, users) -> int:
    """One email to each reviewer (never a list of the others' addresses)."""
    if not users:
        return 0
    context = {**context, "site_url": settings.SITE_URL}
    subject = render_to_string(f"directory/email/{template}_subject.txt", context).strip()
    body = render_to_string(f"directory/email/{template}_message.txt", context)
    messages = [EmailMessage(subject=subject, body=body, to=[user.email]) for user in users]
    return get_connection().send_messages(messages) or 0
