"""The one place portal authorization is decided. Every portal view loads
its object through these helpers: an object outside the user's
organizations is a 404 (its existence is not revealed); inside, but with too
small a role, a 403."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from directory.models import Organization, Program
from inquiries.models import Inquiry

from . import members
from .models import Role


def _check_role(membership, role):
    if membership is None:
        raise Http404("Not found.")
    if role == Role.MANAGER and membership.role != Role.MANAGER:
        raise PermissionDenied("Only a manager of this organization can do this.")
    return membership


def get_organization_for_user_or_404(*, user, slug, role=None):
    organization = Organization.objects.filter(slug=slug).first()
    membership = members.membership_of(user=user, organization_id=organization.pk if organization else None)
    _check_role(membership, role)
    return organization


def get_program_for_user_or_404(*, user, slug_or_pk, role=None):
    lookup = {"pk": int(slug_or_pk)} if str(slug_or_pk).isdigit() else {"slug": slug_or_pk}
    program = Program.objects.select_related("organization").filter(**lookup).first()
    membership = members.membership_of(
        user=user, organization_id=program.organization_id if program else None
    )
    _check_role(membership, role)
    return program


def get_membership_in_organization_or_404(*, organization, pk):
    """A membership row of an organization the caller already passed the
    check for (any member, deactivated accounts included: a manager removes
    a former colleague); ids from other organizations are a 404."""
    membership = members.members(organization.pk, active=False).select_related("user").filter(pk=pk).first()
    if membership is None:
        raise Http404("Not found.")
    return membership


def get_invitation_in_organization_or_404(*, organization, pk):
    invitation = organization.invitations.filter(pk=pk).first()
    if invitation is None:
        raise Http404("Not found.")
    return invitation


def get_claim_for_user_or_404(*, user, pk):
    claim = user.listing_claims.filter(pk=pk).first() if user.is_authenticated else None
    if claim is None:
        raise Http404("Not found.")
    return claim


def get_inquiry_for_user_or_404(*, user, org_slug, pk):
    """An inquiry of a program of an organization the user belongs to (any
    role: staff answer the inbox)."""
    organization = get_organization_for_user_or_404(user=user, slug=org_slug)
    inquiry = (
        Inquiry.objects.select_related("program", "opened_by")
        .filter(pk=pk, program__organization=organization)
        .first()
    )
    if inquiry is None:
        raise Http404("Not found.")
    return organization, inquiry
