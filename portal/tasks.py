"""Emails sent through the task queue. Arguments are ids only; each task
reads what it needs (portal.selectors) and renders the email from templates
under portal/email/, with links by reverse() made absolute by config.site_url.
portal.services queues these tasks; they never import the services."""

from django.conf import settings
from django.core.mail import EmailMessage, send_mail, send_mass_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task
from wagtail.models import TaskState

from config.site_url import absolute_url, site_base_url
from directory.models import Program

from .listing_forms import field_labels
from .models import Invitation, ListingClaim, MembershipRemoval
from .selectors import (
    claim_email_domain_matches,
    invitation_token,
    listing_review_recipients,
    pending_claims,
    review_outcome_entry,
)


def _render(template, context):
    context = {**context, "site_url": site_base_url()}
    subject = render_to_string(f"portal/email/{template}_subject.txt", context).strip()
    body = render_to_string(f"portal/email/{template}_message.txt", context)
    return subject, body


def _link(viewname, **kwargs):
    """An absolute link for an email: reverse() under the site's base URL."""
    return absolute_url(reverse(viewname, kwargs=kwargs or None))


def _send(template, context, to):
    subject, body = _render(template, context)
    send_mail(subject, body, None, [to])


@task()
def send_claim_decision_email(claim_id):
    claim = ListingClaim.objects.select_related("user", "program", "organization").filter(pk=claim_id).first()
    if claim is None or not claim.user.email:
        return
    context = {"claim": claim, "dashboard_url": _link("portal:dashboard")}
    _send("claim_decision", context, claim.user.email)


def _claim(claim_id):
    return ListingClaim.objects.select_related("user", "program", "organization").filter(pk=claim_id).first()


@task()
def send_claim_acknowledgement(claim_id):
    """To the claimant: we have the claim, how we check it, how long."""
    claim = _claim(claim_id)
    if claim is None or not claim.user.email or claim.status != ListingClaim.Status.PENDING:
        return
    context = {"claim": claim, "claim_url": _link("portal:claim_detail", pk=claim.pk)}
    _send("claim_received", context, claim.user.email)


@task()
def send_claim_staff_notice(claim_id):
    """To the staff inbox (settings.STAFF_REVIEW_EMAIL): a claim to check,
    linking to its page in the admin. Replies go to the claimant."""
    claim = _claim(claim_id)
    if claim is None or claim.status != ListingClaim.Status.PENDING or not settings.STAFF_REVIEW_EMAIL:
        return
    context = {
        "claim": claim,
        "domain_matches": claim_email_domain_matches(claim=claim),
        "pending": pending_claims().count(),
        "review_url": _link("portal_claim_review", pk=claim.pk),
    }
    subject, body = _render("claim_staff_notice", context)
    EmailMessage(subject, body, None, [settings.STAFF_REVIEW_EMAIL]).send()


@task()
def send_member_removed_email(removal_id):
    """To someone a manager removed: which organization, when, by whom."""
    removal = (
        MembershipRemoval.objects.select_related("user", "organization", "removed_by")
        .filter(pk=removal_id)
        .first()
    )
    if removal is None or not removal.user.email:
        return
    _send("member_removed", {"removal": removal, "portal_url": _link("portal:dashboard")}, removal.user.email)


@task()
def send_invitation_email(invitation_id):
    invitation = (
        Invitation.objects.select_related("organization", "invited_by").filter(pk=invitation_id).first()
    )
    if invitation is None or not invitation.is_open:
        return
    token = invitation_token(invitation=invitation)
    accept_url = _link("portal:invitation_accept", token=token)
    _send("invitation", {"invitation": invitation, "accept_url": accept_url}, invitation.email)


@task()
def send_listing_review_email(log_entry_id):
    """A reviewer approved or requested changes to a center's listing change:
    tell each member of the organization which fields went live and which
    did not, with the reviewer's comment, linking to the portal (never to
    the admin). The fields are in the log entry (portal.services), the
    comment in the workflow's task state."""
    entry = review_outcome_entry(log_entry_id=log_entry_id)
    if entry is None:
        return
    program = Program.objects.filter(pk=int(entry.object_id)).first()
    recipients = listing_review_recipients(program=program) if program else []
    if not recipients:
        return
    comment = (
        TaskState.objects.filter(pk=entry.data.get("task_state_id")).values_list("comment", flat=True).first()
        or ""
    )
    context = {
        "program": program,
        "approved": field_labels(entry.data.get("approved", [])),
        "declined": field_labels(entry.data.get("declined", [])),
        "changes_requested": entry.data.get("decision") == "changes_requested",
        "comment": comment.strip(),
        "listing_url": _link("portal:program_stats", slug=program.slug),
        "edit_url": _link("portal:listing_edit", slug=program.slug),
    }
    subject, body = _render("listing_review", context)
    send_mass_mail([(subject, body, None, [to]) for to in recipients])
