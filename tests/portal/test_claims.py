import re
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
    "work_email": "dana@harbor.example.org",
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


@pytest.fixture
def staff_inbox(settings):
    settings.STAFF_REVIEW_EMAIL = "Claims desk <claims@findcare.example.org>"
    return settings.STAFF_REVIEW_EMAIL


def test_a_new_claim_is_acknowledged_and_staff_are_told(client, staff_inbox):
    program = ProgramFactory(website="https://www.harbor.example.org/")
    claimant = UserFactory()
    client.force_login(claimant)
    url = reverse("portal:claim_program", kwargs={"slug": program.slug})
    client.post(url, CLAIM)
    claim = ListingClaim.objects.get()
    acknowledgement, notice = mail.outbox
    assert acknowledgement.to == [claimant.email]
    assert acknowledgement.subject == f"FindCare: we received your claim on {program}"
    assert "calls the center on the phone number already on the listing" in acknowledgement.body
    assert "usually takes two business days" in acknowledgement.body
    assert reverse("portal:claim_detail", kwargs={"pk": claim.pk}) in acknowledgement.body
    assert notice.to == [staff_inbox]
    assert notice.subject == f"Listing claim to check: {program}"
    assert "Work email: dana@harbor.example.org (at the listing's website domain)" in notice.body
    assert "http://127.0.0.1:8000" + reverse("portal_claim_review", kwargs={"pk": claim.pk}) in notice.body
    assert "Claims waiting for review: 1" in notice.body
    # Updating the pending claim tells nobody again.
    client.post(url, {**CLAIM, "note": "Ask for the front desk."})
    assert len(mail.outbox) == 2


def test_the_claim_form_asks_what_staff_check_and_says_how(client):
    program = ProgramFactory(website="https://harbor.example.org")
    client.force_login(UserFactory())
    url = reverse("portal:claim_program", kwargs={"slug": program.slug})
    page = client.get(url).content.decode()
    assert "We call the number on the listing to confirm" in page
    assert "We compare your work email with the website on file (harbor.example.org)" in page
    assert 'name="work_email"' in page
    response = client.post(url, {**CLAIM, "work_email": ""})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Enter your work email address." in response.content.decode()
    # After the 400 the error summary takes the focus (first in the form; no script needed).
    summary = re.search(r"<div [^>]*error-summary[^>]*>", response.content.decode()).group(0)
    assert 'tabindex="-1"' in summary and "autofocus" in summary
    no_site = ProgramFactory(website="")
    page = client.get(reverse("portal:claim_program", kwargs={"slug": no_site.slug})).content.decode()
    assert "there is no website on file to compare it with" in page


@pytest.mark.parametrize(
    ("work_email", "website", "expected"),
    [
        ("dana@harbor.example.org", "https://www.harbor.example.org/beds", True),
        ("dana@mail.harbor.example.org", "harbor.example.org", True),
        ("dana@gmail.example.com", "https://harbor.example.org", False),
        ("dana@harbor.example.org", "", None),
    ],
)
def test_staff_see_whether_the_work_email_fits_the_listing(client, staff_user, work_email, website, expected):
    from portal.selectors import claim_email_domain_matches

    program = ProgramFactory(organization=None, website=website)
    claim = ListingClaim.objects.create(
        user=UserFactory(), program=program, **{**CLAIM, "work_email": work_email}
    )
    assert claim_email_domain_matches(claim=claim) is expected
    client.force_login(staff_user)
    review = client.get(reverse("portal_claim_review", kwargs={"pk": claim.pk})).content.decode()
    words = {
        True: "at the domain of a website on file",
        False: "not at the domain of any website on file",
        None: "no website on file to compare it with",
    }
    assert words[expected] in review


def test_the_admin_dashboard_counts_pending_claims_and_reviews(client, staff_user):
    from datetime import timedelta

    from tests.portal.test_listing_edit import edit_data

    old = ListingClaim.objects.create(user=UserFactory(), program=ProgramFactory(), **CLAIM)
    ListingClaim.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=3, hours=2))
    ListingClaim.objects.create(user=UserFactory(), program=ProgramFactory(), **CLAIM)
    ListingClaim.objects.create(
        user=UserFactory(), program=ProgramFactory(), status=ListingClaim.Status.APPROVED, **CLAIM
    )
    user, _, (program, _) = center()
    client.force_login(user)
    client.post(
        reverse("portal:listing_edit", kwargs={"slug": program.slug}),
        edit_data(program, phone="(615) 555-0177"),
    )
    assert Program.objects.get(pk=program.pk).has_unpublished_changes

    client.force_login(staff_user)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Waiting for staff" in page
    assert f'<a href="{reverse("portal_claims")}">Listing claims waiting for review: 2</a>' in page
    assert "3\xa0days, 2\xa0hours ago" in page
    reviews_link = f'<a href="{reverse("wagtailadmin_reports:workflow")}">'
    assert reviews_link + "Centers' listing changes waiting for review: 1</a>" in page
    # Not for someone who reviews neither.
    from django.contrib.auth.models import Group, Permission

    editor = UserFactory()
    editor.groups.add(Group.objects.create(name="Only admin"))
    editor.groups.get().permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    assert "Waiting for staff" not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_new_claim_emails_carry_only_ids_in_task_arguments(settings):
    from django_tasks import task_backends

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}
    }
    from portal.services import claim_create

    claim, _ = claim_create(user=UserFactory(), program=ProgramFactory(), **CLAIM)
    names = {"send_claim_acknowledgement", "send_claim_staff_notice"}
    results = [r for r in task_backends["default"].results if r.task.name in names]
    assert sorted((r.task.name, r.args, r.kwargs) for r in results) == [
        ("send_claim_acknowledgement", [claim.pk], {}),
        ("send_claim_staff_notice", [claim.pk], {}),
    ]
