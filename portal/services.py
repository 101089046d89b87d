"""Writes for the center portal: removing members, invitations, claims and
the page-view counter (adding a member: portal.members). Emails go through
the task queue with ids only (portal.tasks, which never imports this module)."""

import logging

from allauth.account.models import EmailAddress
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from wagtail.log_actions import log

from directory.models import Organization, Program
from directory.review.workflow import review_outcome

from . import members, tasks
from .models import Invitation, ListingClaim, MembershipRemoval, ProgramPageView, Role
from .selectors import INVITATION_SESSION_KEY, REVIEW_OUTCOME_ACTION

logger = logging.getLogger(__name__)


class PortalError(Exception):
    """A request the portal refuses politely; the message is for the user."""


# Memberships -------------------------------------------------------------


LAST_MANAGER_REMOVE = "The organization needs at least one manager. Make someone else a manager first."
LAST_MANAGER_ROLE = (
    "The organization needs at least one manager: you are its only one. "
    "Make someone else a manager first, then change your own role."
)


def membership_remove(*, membership, by):
    """Remove a member; never the last manager who can sign in (a
    deactivated manager can always be removed: portal.members). The removal
    is kept (MembershipRemoval) and the person is emailed, so they learn
    their access ended, when and from whom."""
    organization = membership.organization
    if members.would_leave_no_manager(membership, new_role=None):
        raise PortalError(LAST_MANAGER_REMOVE)
    with transaction.atomic():
        removal = MembershipRemoval.objects.create(
            user=membership.user, organization=organization, role=membership.role, removed_by=by
        )
        membership.delete()
        log(
            instance=organization,
            action="portal.member_remove",
            user=by,
            data={"email": membership.user.email},
        )
    # Told unless they left by themselves (or their account is closed).
    if membership.user.is_active and membership.user_id != getattr(by, "pk", None):
        tasks.send_member_removed_email.enqueue(removal.pk)
    return removal


def membership_set_role(*, membership, role, by):
    """A manager changes a member's role (their own included), never
    leaving the organization without a manager who can sign in."""
    if role not in Role.values:
        raise PortalError("Choose manager or staff.")
    if membership.role == role:
        return membership
    if members.would_leave_no_manager(membership, new_role=role):
        raise PortalError(LAST_MANAGER_ROLE)
    previous = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    log(
        instance=membership.organization,
        action="portal.member_role",
        user=by,
        data={"email": membership.user.email, "from": previous, "to": role},
    )
    return membership


# Invitations -------------------------------------------------------------


def invitation_create(*, organization, email, role, invited_by):
    email = email.strip().lower()
    if members.members(organization.pk, active=False).filter(user__email__iexact=email).exists():
        raise PortalError(f"{email} is already a member of {organization.name}.")
    invitation = Invitation.objects.filter(
        organization=organization, email=email, accepted_at=None, revoked_at=None
    ).first()
    if invitation is None:
        invitation = Invitation.objects.create(
            organization=organization, email=email, role=role, invited_by=invited_by
        )
    tasks.send_invitation_email.enqueue(invitation.pk)
    return invitation


# The invitation link a visitor opened before signing in or up, so that it
# survives sign-up and email verification (portal.adapters sends them back).


def invitation_remember(*, session, token):
    session[INVITATION_SESSION_KEY] = token


def invitation_forget(*, session):
    session.pop(INVITATION_SESSION_KEY, None)


def invitation_accept(*, invitation, user):
    verified = EmailAddress.objects.filter(user=user, email__iexact=invitation.email, verified=True).exists()
    if not verified:
        raise PortalError(
            f"This invitation was sent to {invitation.email}. "
            "Sign in with that address (once verified) to accept it."
        )
    with transaction.atomic():
        membership = members.membership_add(
            user=user, organization=invitation.organization, role=invitation.role
        )
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
    return membership


def invitation_revoke(*, invitation):
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])


# Claims ------------------------------------------------------------------


def claim_create(
    *, user, program=None, organization=None, full_name, job_title, work_phone, work_email="", note=""
):
    """The user's pending claim on a program or organization: a second
    request while one is pending returns the first (updated). A new claim
    is acknowledged to the claimant and announced to staff
    (settings.STAFF_REVIEW_EMAIL), both through the task queue."""
    target_org_id = program.organization_id if program else organization.pk
    if members.membership_of(user=user, organization_id=target_org_id) is not None:
        raise PortalError("You already manage this listing: it is on your portal dashboard.")
    fields = {
        "full_name": full_name,
        "job_title": job_title,
        "work_email": work_email.strip().lower(),
        "work_phone": work_phone,
        "note": note,
    }
    target = {"program": program} if program else {"organization": organization}
    pending = ListingClaim.objects.filter(user=user, status=ListingClaim.Status.PENDING, **target).first()
    if pending:
        ListingClaim.objects.filter(pk=pending.pk).update(**fields)
        pending.refresh_from_db()
        return pending, False
    try:
        with transaction.atomic():
            claim = ListingClaim.objects.create(user=user, **target, **fields)
    except IntegrityError:  # a double submit raced us
        return ListingClaim.objects.get(user=user, status=ListingClaim.Status.PENDING, **target), False
    tasks.send_claim_acknowledgement.enqueue(claim.pk)
    tasks.send_claim_staff_notice.enqueue(claim.pk)
    return claim, True


def _organization_for_program(program):
    if program.organization_id:
        return program.organization
    base = slugify(program.name)[:200] or "organization"
    slug, n = base, 1
    while Organization.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    organization = Organization.objects.create(name=program.name, slug=slug, website=program.website)
    program.organization = organization
    program.save(update_fields=["organization"])
    return organization


def claim_approve(*, claim, reviewer):
    if claim.status != ListingClaim.Status.PENDING:
        raise PortalError("This claim has already been decided.")
    with transaction.atomic():
        organization = _organization_for_program(claim.program) if claim.program else claim.organization
        members.membership_add(user=claim.user, organization=organization, role=Role.MANAGER)
        claim.status = ListingClaim.Status.APPROVED
        claim.reviewed_by, claim.reviewed_at = reviewer, timezone.now()
        claim.save(update_fields=["status", "reviewed_by", "reviewed_at"])
        log(instance=claim, action="portal.claim_approve", user=reviewer)
    _enqueue_decision(claim)
    return claim


def claim_refuse(*, claim, reviewer, reason):
    if claim.status != ListingClaim.Status.PENDING:
        raise PortalError("This claim has already been decided.")
    if not reason.strip():
        raise PortalError("Give the reason for refusing: the claimant receives it.")
    with transaction.atomic():
        claim.status = ListingClaim.Status.REFUSED
        claim.refusal_reason = reason.strip()
        claim.reviewed_by, claim.reviewed_at = reviewer, timezone.now()
        claim.save(update_fields=["status", "refusal_reason", "reviewed_by", "reviewed_at"])
        log(instance=claim, action="portal.claim_refuse", user=reviewer)
    _enqueue_decision(claim)
    return claim


def _enqueue_decision(claim):
    tasks.send_claim_decision_email.enqueue(claim.pk)


# Listing change reviews ----------------------------------------------------


def program_review_outcome_notify(*, workflow_state, user=None):
    """A reviewer approved or requested changes to a center's listing change
    (called from the workflow signals, inside the decision's transaction):
    record which held fields went live in the listing's history and queue
    the email to the organization's members with that entry's id only.
    Nothing for a review of staff's own edit."""
    outcome = review_outcome(workflow_state)
    if outcome is None:
        return None
    program = Program.objects.get(pk=workflow_state.object_id)
    entry = log(
        instance=program,
        action=REVIEW_OUTCOME_ACTION,
        user=user,
        data={
            "decision": "approved"
            if workflow_state.status == workflow_state.STATUS_APPROVED
            else "changes_requested",
            "approved": outcome.approved,
            "declined": outcome.declined,
            "task_state_id": workflow_state.current_task_state_id,
        },
        content_changed=False,
    )
    if entry is not None:
        transaction.on_commit(lambda: tasks.send_listing_review_email.enqueue(entry.pk))
    return entry


# Page views --------------------------------------------------------------


def program_page_view_record(*, program, day=None):
    """Count one public view of the program page this month. No visitor data
    is kept. A failed write is logged and ignored: the page must still show."""
    month = (day or timezone.localdate()).replace(day=1)
    try:
        with transaction.atomic():
            updated = ProgramPageView.objects.filter(program=program, month=month).update(
                count=F("count") + 1
            )
            if not updated:
                ProgramPageView.objects.create(program=program, month=month, count=1)
    except IntegrityError:
        # Another request created this month's row first.
        ProgramPageView.objects.filter(program=program, month=month).update(count=F("count") + 1)
    except DatabaseError:
        logger.warning("Could not count a page view for program %s", program.pk, exc_info=True)
