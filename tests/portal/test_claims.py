from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from directory.models import Program
from portal.models import ListingClaim, Membership, Role
from tests.directory.factories import ProgramFactory

from .factories import UserFactory, center

pytestmark = pytest.mark.django_db

CLAIM = {
    "full_name": "Dana Example",
    "job_title": "Clinical director",
    "work_phone": "555-010-0142",
    "note": "",
}


@pytest.fixture
def staff_user():
    return get_user_model().objects.create_superuser(
        "claims-admin", "claims-admin@example.org", "x-admin-pass-123"
    )


def test_program_page_offers_a_claim_until_someone_manages_it(client):
    program = ProgramFactory(organization=None)
    page = client.get(program.get_absolute_url()).content.decode()
    assert "Is this your program? Claim it" in page
    assert reverse("portal:claim_program", kwargs={"slug": program.slug}) in page
    _, _, (managed,) = center(programs=1)
    page = client.get(managed.get_absolute_url()).content.decode()
    assert "Is this your program? Claim it" not in page
    since = timezone.localtime(Membership.objects.get(organization=managed.organization).created_at)
    assert f"Managed by the center since {since:%B} {since.day}, {since.year}" in page


def test_draft_listings_cannot_be_claimed(client):
    program = ProgramFactory(status=Program.Status.DRAFT)
    client.force_login(UserFactory())
    assert client.get(reverse("portal:claim_program", kwargs={"slug": program.slug})).status_code == 404


def test_claim_form_errors_keep_typed_values(client):
    program = ProgramFactory()
    client.force_login(UserFactory())
    response = client.post(
        reverse("portal:claim_program", kwargs={"slug": program.slug}),
        {**CLAIM, "full_name": "", "work_phone": "12"},
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    page = response.content.decode()
    assert "There is a problem" in page
    assert '<a href="#id_full_name">Enter your full name.</a>' in page
    assert "Enter a 10-digit US phone number, like 212-555-0123." in page  # the one phone rule's words
    assert 'value="Clinical director"' in page
    assert not ListingClaim.objects.exists()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("555-0142", "Enter the phone number with its area code, like 212-555-0123."),
        ("(999) 999-9999", "Enter a 10-digit US phone number, like 212-555-0123."),
        ("555-0142-5550142", "Enter a 10-digit US phone number, like 212-555-0123."),
    ],
)
def test_claim_work_phone_follows_the_phone_rule(client, typed, message):
    """Before, any ten digits passed ("555-0142-5550142" too) and were stored as typed."""
    program = ProgramFactory()
    client.force_login(UserFactory())
    url = reverse("portal:claim_program", kwargs={"slug": program.slug})
    response = client.post(url, {**CLAIM, "work_phone": typed})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert message in response.content.decode()
    response = client.post(url, {**CLAIM, "work_phone": "212.555.0142 ext 7"})
    assert response.status_code == HTTPStatus.FOUND
    assert ListingClaim.objects.get().work_phone == "(212) 555-0142 x7"


def test_a_second_claim_while_one_is_pending_is_the_same_claim(client):
    program = ProgramFactory()
    client.force_login(UserFactory())
    url = reverse("portal:claim_program", kwargs={"slug": program.slug})
    first = client.post(url, CLAIM)
    second = client.post(url, {**CLAIM, "note": "Call the front desk."})
    assert first["Location"] == second["Location"]
    claim = ListingClaim.objects.get()
    assert claim.note == "Call the front desk."
    assert client.get(first["Location"]).status_code == HTTPStatus.OK


def test_claiming_a_listing_you_already_manage_is_refused_politely(client):
    user, _, (program, _) = center()
    client.force_login(user)
    response = client.post(reverse("portal:claim_program", kwargs={"slug": program.slug}), CLAIM, follow=True)
    assert "You already manage this listing" in response.content.decode()
    assert not ListingClaim.objects.exists()


def test_staff_approve_a_claim_and_the_claimant_is_told(client, staff_user):
    program = ProgramFactory(organization=None, name="Harbor Recovery (Sample)")
    claimant = UserFactory()
    client.force_login(claimant)
    client.post(reverse("portal:claim_program", kwargs={"slug": program.slug}), CLAIM)
    claim = ListingClaim.objects.get()

    client.force_login(staff_user)
    review = client.get(reverse("portal_claim_review", kwargs={"pk": claim.pk})).content.decode()
    assert "Never call the number typed into the claim" in review
    assert program.phone in review
    assert (
        reverse("portal_claim_review", kwargs={"pk": claim.pk})
        in client.get(reverse("portal_claims")).content.decode()
    )
    response = client.post(reverse("portal_claim_review", kwargs={"pk": claim.pk}), {"action": "approve"})
    assert response.status_code == HTTPStatus.FOUND

    program.refresh_from_db()
    assert program.organization.name == "Harbor Recovery (Sample)"
    assert Membership.objects.get(user=claimant).role == Role.MANAGER
    assert ModelLogEntry.objects.filter(action="portal.claim_approve", user=staff_user).exists()
    message = mail.outbox[-1]
    assert message.to == [claimant.email]
    assert "was approved" in message.subject
    assert "/for-centers/" in message.body
    # The claimant now sees the listing; the public page says who manages it.
    client.force_login(claimant)
    assert program.name in client.get(reverse("portal:dashboard")).content.decode()
    assert "Managed by the center since" in client.get(program.get_absolute_url()).content.decode()


def test_staff_refuse_a_claim_with_a_reason(client, staff_user):
    program = ProgramFactory()
    claimant = UserFactory()
    claim = ListingClaim.objects.create(user=claimant, program=program, **CLAIM)
    client.force_login(staff_user)
    url = reverse("portal_claim_review", kwargs={"pk": claim.pk})
    response = client.post(url, {"action": "refuse", "reason": ""})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Give the reason for refusing" in response.content.decode()
    client.post(url, {"action": "refuse", "reason": "The center's director did not know you."})
    claim.refresh_from_db()
    assert claim.status == ListingClaim.Status.REFUSED
    assert not Membership.objects.exists()
    assert "The center's director did not know you." in mail.outbox[-1].body
    # A decided claim cannot be approved afterwards.
    client.post(url, {"action": "approve"})
    assert not Membership.objects.exists()


def test_a_whole_organization_can_be_claimed(client, staff_user):
    program = ProgramFactory()
    from tests.directory.factories import OrganizationFactory

    organization = OrganizationFactory()
    program.organization = organization
    program.save()
    claimant = UserFactory()
    client.force_login(claimant)
    response = client.post(reverse("portal:claim_organization", kwargs={"slug": organization.slug}), CLAIM)
    claim = ListingClaim.objects.get(organization=organization)
    assert response["Location"] == reverse("portal:claim_detail", kwargs={"pk": claim.pk})
    client.force_login(staff_user)
    client.post(reverse("portal_claim_review", kwargs={"pk": claim.pk}), {"action": "approve"})
    assert Membership.objects.filter(user=claimant, organization=organization, role=Role.MANAGER).exists()


def test_claim_emails_carry_only_ids_in_task_arguments(staff_user, settings):
    from django_tasks import task_backends

    from portal.services import claim_approve

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}
    }
    claim = ListingClaim.objects.create(user=UserFactory(), program=ProgramFactory(), **CLAIM)
    claim_approve(claim=claim, reviewer=staff_user)
    results = [r for r in task_backends["default"].results if r.task.name == "send_claim_decision_email"]
    assert [r.args for r in results] == [[claim.pk]]
    assert results[0].kwargs == {}
