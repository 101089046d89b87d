"""The one members rule (portal.members): a member whose account staff
deactivated (someone who left the center) does not make a listing
"managed". When no active member remains, the public page stops saying
"Managed by the center since ...", offers "Claim it" (where the center's
inquiry emails already send it), and a new person's claim goes through."""

from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from portal import members
from portal.models import ListingClaim, Role
from tests.directory.factories import ProgramFactory
from tests.portal.factories import MembershipFactory, UserFactory, center

pytestmark = pytest.mark.django_db

CLAIM = {
    "full_name": "Dana Example",
    "job_title": "Clinical director",
    "work_email": "dana@example.org",
    "work_phone": "555-010-0142",
}


def deactivate(user):
    user.is_active = False
    user.save(update_fields=["is_active"])


def test_a_listing_whose_only_member_left_is_not_managed():
    user, org, (program,) = center(programs=1)
    assert members.managed_since(program=program) is not None
    deactivate(user)
    assert members.managed_since(program=program) is None
    assert not members.has_members(org.pk, active=True)
    assert members.has_members(org.pk, active=False)  # the row stays, for the team page
    assert members.managed_since(program=ProgramFactory(organization=None)) is None


def test_managed_since_is_the_first_active_member_joining():
    user, org, (program,) = center(programs=1)
    later = MembershipFactory(organization=org, role=Role.STAFF)
    first_joined = members.members(org.pk, active=False).get(user=user).created_at
    assert members.managed_since(program=program) == first_joined
    deactivate(user)
    assert members.managed_since(program=program) == later.created_at


def test_the_program_page_offers_a_claim_when_no_active_member_remains(client):
    user, _, (program,) = center(programs=1)
    page = client.get(program.get_absolute_url()).content.decode()
    assert "Managed by the center since" in page
    assert "Is this your program? Claim it" not in page

    deactivate(user)
    page = client.get(program.get_absolute_url()).content.decode()
    assert "Managed by the center since" not in page
    assert "Is this your program? Claim it" in page
    assert reverse("portal:claim_program", kwargs={"slug": program.slug}) in page


def test_a_listing_whose_members_left_can_be_claimed_and_approved(client):
    user, org, (program,) = center(programs=1)
    deactivate(user)
    claimant = UserFactory()
    client.force_login(claimant)
    url = reverse("portal:claim_program", kwargs={"slug": program.slug})
    assert "You already manage this listing" not in client.get(url).content.decode()
    response = client.post(url, CLAIM)
    claim = ListingClaim.objects.get(user=claimant)
    assert response["Location"] == reverse("portal:claim_detail", kwargs={"pk": claim.pk})

    staff = get_user_model().objects.create_superuser(
        "claims-admin", "claims-admin@example.org", "x-pass-123"
    )
    client.force_login(staff)
    response = client.post(reverse("portal_claim_review", kwargs={"pk": claim.pk}), {"action": "approve"})
    assert response.status_code == HTTPStatus.FOUND
    assert members.role_of(user=claimant, organization_id=org.pk) == Role.MANAGER
    since = timezone.localtime(members.managed_since(program=program))
    page = client.get(program.get_absolute_url()).content.decode()
    assert f"Managed by the center since {since:%B} {since.day}, {since.year}" in page
    assert "Is this your program? Claim it" not in page


def test_the_last_manager_who_can_sign_in_cannot_leave(client):
    """A deactivated manager manages nothing: the manager who can still sign
    in is the last one, and removing the deactivated one is always allowed."""
    manager, org, _ = center()
    former = MembershipFactory(organization=org, role=Role.MANAGER)
    deactivate(former.user)
    client.force_login(manager)
    own = members.membership_of(user=manager, organization_id=org.pk)
    response = client.post(
        reverse("portal:member_remove", kwargs={"org_slug": org.slug, "pk": own.pk}), follow=True
    )
    assert "needs at least one manager" in response.content.decode()
    assert members.membership_of(user=manager, organization_id=org.pk) is not None
    client.post(reverse("portal:member_remove", kwargs={"org_slug": org.slug, "pk": former.pk}))
    assert members.membership_of(user=former.user, organization_id=org.pk) is None


def test_organizations_with_members_for_queries_over_many_listings():
    """What the availability reminders need: listings someone can be told about."""
    user, org, _ = center(programs=0)

    def with_members(active):
        return set(
            members.organization_ids_with_members(active=active).values_list("organization_id", flat=True)
        )

    assert org.pk in with_members(True)
    deactivate(user)
    assert org.pk not in with_members(True)
    assert org.pk in with_members(False)
    assert members.member_emails(org.pk, active=True) == []
