"""Emails sent through the task queue. Arguments are ids only; each task
reads what it needs and renders the email from templates."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from .models import Invitation, ListingClaim


def _send(template, context, to):
    context = {**context, "site_url": settings.SITE_URL}
    subject = render_to_string(f"portal/email/{template}_subject.txt", context).strip()
    body = render_to_string(f"portal/email/{template}_message.txt", context)
    send_mail(subject, body, None, [to])


@task()
def send_claim_decision_email(claim_id):
    claim = ListingClaim.objects.select_related("user", "program", "organization").filter(pk=claim_id).first()
    if claim is None or not claim.user.email:
        return
    context = {"claim": claim, "dashboard_url": settings.SITE_URL + reverse("portal:dashboard")}
    _send("claim_decision", context, claim.user.email)


@task()
def send_invitation_email(invitation_id):
    from .services import invitation_token

    invitation = (
        Invitation.objects.select_related("organization", "invited_by").filter(pk=invitation_id).first()
    )
    if invitation is None or not invitation.is_open:
        return
    token = invitation_token(invitation=invitation)
    accept_url = settings.SITE_URL + reverse("portal:invitation_accept", kwargs={"token": token})
    _send("invitation", {"invitation": invitation, "accept_url": accept_url}, invitation.email)
