"""The one place portal authorization is decided, and the one description
of what each role may do (CAPABILITIES: the views ask for a capability, the
team page and the invitation form show the same table in words).

Every portal view loads its object through these helpers: an object outside
the user's organizations is a 404 (its existence is not revealed); inside,
but with a role that lacks the capability, a 403. Someone a manager removed
from the organization gets AccessEnded (a 403 page saying when and by whom,
portal.views.access_ended), and nothing of the organization."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from directory.models import Organization, Program
from inquiries.models import Inquiry

from . import members
from .models import Role


@dataclass(frozen=True)
class Capability:
    name: str
    description: str  # what the role may do, in the team page's words
    roles: frozenset


ANY_MEMBER = frozenset({Role.MANAGER, Role.STAFF})

# What each role may do. Every portal view names one of these (none: any
# member); nothing else decides.
ANSWER_INQUIRIES = Capability(
    "answer_inquiries", "read and answer the organization's inquiries and keep private notes", ANY_MEMBER
)
EDIT_LISTINGS = Capability(
    "edit_listings",
    "edit its listings (name, contact details, address and care wait for our staff's check) "
    "and set their availability",
    ANY_MEMBER,
)
SEE_STATS = Capability("see_stats", "see each listing's page views and inquiry figures", ANY_MEMBER)
MANAGE_TEAM = Capability(
    "manage_team", "invite colleagues, change their roles and remove them", frozenset({Role.MANAGER})
)
CAPABILITIES = (ANSWER_INQUIRIES, EDIT_LISTINGS, SEE_STATS, MANAGE_TEAM)


def may(role, capability: Capability) -> bool:
    return role in capability.roles


def role_capabilities(role) -> list[str]:
    """What a role may do, in words, in the table's order."""
    return [capability.description for capability in CAPABILITIES if may(role, capability)]


ROLE_PLURALS = {Role.MANAGER: "Managers", Role.STAFF: "Staff"}


def describe_role(role) -> str:
    """ "Staff read and answer ...; edit ...; see ...": the team page, the
    invitation form's help and the invitation page."""
    return f"{ROLE_PLURALS[role]} " + "; ".join(role_capabilities(role)) + "."


def role_descriptions() -> list[str]:
    """The team page's "What each role may do": what both roles may do,
    then what only managers may do."""
    shared = [c.description for c in CAPABILITIES if may(Role.MANAGER, c) and may(Role.STAFF, c)]
    only = [c.description for c in CAPABILITIES if may(Role.MANAGER, c) and not may(Role.STAFF, c)]
    lines = [f"Staff and managers {'; '.join(shared)}."] if shared else []
    if only:
        lines.append(f"Only managers {'; '.join(only)}.")
    return lines


def role_help_text() -> str:
    """The invitation form's help: the difference between the roles."""
    only = [c.description for c in CAPABILITIES if may(Role.MANAGER, c) and not may(Role.STAFF, c)]
    return f"Only managers {'; '.join(only)}. Staff may do everything else."


class AccessEnded(PermissionDenied):
    """The user was a member until a manager removed them: the page says
    so (when and by whom) instead of a bare 404, and shows nothing else."""

    def __init__(self, removal):
        super().__init__("Your access to this organization was removed.")
        self.removal = removal


def _check(*, user, organization_id, capability):
    membership = members.membership_of(user=user, organization_id=organization_id)
    if membership is None:
        removal = members.removal_of(user=user, organization_id=organization_id)
        if removal is not None:
            raise AccessEnded(removal)
        raise Http404("Not found.")
    if capability is not None and not may(membership.role, capability):
        raise PermissionDenied("Your role in this organization does not allow this: ask one of its managers.")
    return membership


def get_organization_for_user_or_404(*, user, slug, capability: Capability | None = None):
    organization = Organization.objects.filter(slug=slug).first()
    _check(user=user, organization_id=organization.pk if organization else None, capability=capability)
    return organization


def get_program_for_user_or_404(*, user, slug_or_pk, capability: Capability | None = None):
    lookup = {"pk": int(slug_or_pk)} if str(slug_or_pk).isdigit() else {"slug": slug_or_pk}
    program = Program.objects.select_related("organization").filter(**lookup).first()
    _check(user=user, organization_id=program.organization_id if program else None, capability=capability)
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
    """An inquiry of a program of an organization the user belongs to."""
    organization = get_organization_for_user_or_404(user=user, slug=org_slug, capability=ANSWER_INQUIRIES)
    inquiry = (
        Inquiry.objects.select_related("program", "opened_by")
        .filter(pk=pk, program__organization=organization)
        .first()
    )
    if inquiry is None:
        raise Http404("Not found.")
    return organization, inquiry
