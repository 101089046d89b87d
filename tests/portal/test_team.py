import re
from http import HTTPStatus

import pytest
from django.core import mail
from django.urls import reverse

from portal.models import Invitation, Membership, Role

from .factories import MembershipFactory, UserFactory, center

pytestmark = pytest.mark.django_db


def invite(client, organization, email="new.colleague@example.org", role="staff"):
    return client.post(
        reverse("portal:team", kwargs={"org_slug": organization.slug}), {"email": email, "role": role}
    )


def test_manager_invites_a_colleague_who_accepts(client):
    manager, organization, _ = center()
    client.force_login(manager)
    response = invite(client, organization)
    assert response.status_code == HTTPStatus.FOUND
    message = mail.outbox[-1]
    assert message.to == ["new.colleague@example.org"]
    link = re.search(r"http://127\.0\.0\.1:8000(/for-centers/invitations/\S+/)", message.body).group(1)

    colleague = UserFactory(email="new.colleague@example.org")
    client.force_login(colleague)
    assert organization.name in client.get(link).content.decode()
    assert client.post(link)["Location"] == reverse("portal:dashboard")
    assert Membership.objects.get(user=colleague).role == Role.STAFF
    # The link is spent.
    assert client.get(link).status_code == HTTPStatus.NOT_FOUND


def test_invitation_for_someone_else_is_not_accepted(client):
    manager, organization, _ = center()
    client.force_login(manager)
    invite(client, organization)
    link = re.search(r"(/for-centers/invitations/\S+/)", mail.outbox[-1].body).group(1)
    client.force_login(UserFactory(email="someone.else@example.org"))
    response = client.post(link)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "This invitation was sent to new.colleague@example.org" in response.content.decode()
    assert not Membership.objects.filter(user__email="someone.else@example.org").exists()


def test_tampered_invitation_link_is_not_found(client):
    client.force_login(UserFactory())
    assert client.get(reverse("portal:invitation_accept", kwargs={"token": "1:abc:def"})).status_code == 404


def test_invite_errors_are_shown_with_the_form(client):
    manager, organization, _ = center()
    client.force_login(manager)
    response = invite(client, organization, email="not-an-email")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Enter a valid email address" in response.content.decode()
    response = invite(client, organization, email=manager.email)
    assert "is already a member" in response.content.decode()


def test_withdrawn_invitation_cannot_be_used(client):
    manager, organization, _ = center()
    client.force_login(manager)
    invite(client, organization)
    invitation = Invitation.objects.get()
    link = re.search(r"(/for-centers/invitations/\S+/)", mail.outbox[-1].body).group(1)
    client.post(
        reverse("portal:invitation_revoke", kwargs={"org_slug": organization.slug, "pk": invitation.pk})
    )
    client.force_login(UserFactory(email="new.colleague@example.org"))
    assert client.post(link).status_code == HTTPStatus.NOT_FOUND


def test_manager_removes_a_colleague_but_not_the_last_manager(client):
    manager, organization, _ = center()
    colleague = MembershipFactory(organization=organization, role=Role.STAFF)
    client.force_login(manager)
    url = reverse("portal:member_remove", kwargs={"org_slug": organization.slug, "pk": colleague.pk})
    client.post(url)
    assert not Membership.objects.filter(pk=colleague.pk).exists()
    own = Membership.objects.get(user=manager)
    response = client.post(
        reverse("portal:member_remove", kwargs={"org_slug": organization.slug, "pk": own.pk}), follow=True
    )
    assert "needs at least one manager" in response.content.decode()
    assert Membership.objects.filter(pk=own.pk).exists()


def test_a_user_may_belong_to_several_organizations(client):
    user, first, _ = center()
    second = MembershipFactory(user=user, role=Role.STAFF).organization
    client.force_login(user)
    page = client.get(reverse("portal:dashboard")).content.decode()
    assert first.name in page and second.name in page
