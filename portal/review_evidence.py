"""What the portal knows about who asked for a listing change, for the
reviewer's page (directory/review/evidence.py, registered by
PortalConfig.ready): their membership of the organization that runs the
listing, its role and age, and whether their email address is verified.
One rule for who is a member: portal.members."""

from allauth.account.models import EmailAddress
from django.utils import timezone

from directory.review.evidence import Evidence, days, register_evidence

from . import members

NEW_MEMBER_DAYS = 14  # a membership this young, asking for a contact change, is worth a call


def membership_evidence(change):
    user, program = change.requested_by, change.program
    if user is None or not change.is_center_change:
        return []
    organization = program.organization
    membership = members.membership_of(user=user, organization_id=program.organization_id)
    if membership is None:
        name = organization.name if organization else "the organization running this listing"
        return [Evidence("Membership", f"Not a member of {name} (any more).", check=True)]
    age = (timezone.now() - membership.created_at).days
    verified = EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()
    return [
        Evidence(
            "Membership",
            f"{membership.get_role_display()} of {organization.name} since "
            f"{timezone.localtime(membership.created_at):%B %-d, %Y} ({days(age)}).",
            check=age < NEW_MEMBER_DAYS,
        ),
        Evidence(
            "Email address",
            "Verified." if verified else "Not verified.",
            check=not verified,
        ),
    ]


def register() -> None:
    register_evidence(membership_evidence)
