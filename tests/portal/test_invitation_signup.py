"""An invitee without an account follows the invitation link, signs up,
verifies their address from the email and lands on accepting the
invitation, without clicking the invitation link again: in the same
browser (with or without ?next= surviving) and when the confirmation link
opens in another browser. allauth's real views and the mail outbox."""

import re
from http import HTTPStatus

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from portal.models import Membership, Role

from .factories import PASSWORD, center

pytestmark = pytest.mark.django_db

INVITEE = "new.colleague@example.org"
INVITATION_LINK = re.compile(r"http://127\.0\.0\.1:8000(/for-centers/invitations/\S+/)")
CONFIRM_LINK = re.compile(r"http://127\.0\.0\.1:8000(/for-centers/account/confirm-email/\S+)")  # SITE_URL


def invitation_link(organization, manager):
    manager_client = Client()
    manager_client.force_login(manager)
    manager_client.post(
        reverse("portal:team", kwargs={"org_slug": organization.slug}), {"email": INVITEE, "role": "staff"}
    )
    return INVITATION_LINK.search(mail.outbox[-1].body).group(1)


def sign_up(client, url):
    response = client.post(url, {"email": INVITEE, "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("account_email_verification_sent")
    assert mail.outbox[-1].to == [INVITEE]
    return CONFIRM_LINK.search(mail.outbox[-1].body).group(1)


def accept(client, link):
    page = client.get(link)
    assert page.status_code == HTTPStatus.OK
    assert "Accept the invitation" in page.content.decode()
    assert client.post(link)["Location"] == reverse("portal:dashboard")
    assert Membership.objects.get(user__email=INVITEE).role == Role.STAFF


def landing_link(page, path):
    """The landing page's link to the sign-up or sign-in page."""
    return re.search(rf'href="([^"]*{path}[^"]*)"', page).group(1).replace("&amp;", "&")


def test_the_invitation_page_says_who_invited_whom_where_and_fills_in_sign_up(client):
    manager, organization, _ = center()
    link = invitation_link(organization, manager)
    response = client.get(link)
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert (
        f"{manager.email} invited <strong>{INVITEE}</strong> to help manage the FindCare listings of "
        f"<strong>{organization.name}</strong> as <strong>staff</strong>"
    ) in page
    assert "Staff read and answer the organization&#x27;s inquiries" in page  # what the role may do
    signup_url = landing_link(page, "/signup/")
    assert signup_url.startswith(reverse("account_signup") + "?next=")
    assert INVITEE not in signup_url  # the address is not put in a URL (logs)
    form = client.get(signup_url).context["form"]
    assert form["email"].value() == INVITEE
    # Another browser, without the invitation: nothing filled in.
    assert not Client().get(reverse("account_signup")).context["form"]["email"].value()


def test_same_browser_following_the_sign_up_link_from_the_sign_in_page(client):
    manager, organization, _ = center()
    link = invitation_link(organization, manager)
    login_url = landing_link(client.get(link).content.decode(), "/login/")
    assert login_url.startswith(reverse("account_login"))
    signup_url = landing_link(client.get(login_url).content.decode(), "/signup/")
    confirm = sign_up(client, signup_url)
    response = client.post(confirm)
    assert response["Location"] == link
    accept(client, link)


def test_same_browser_signing_up_without_next(client):
    """The visitor opened the link, then chose "Sign up" from the site's
    menu instead: ?next= is gone, the session remembers the invitation."""
    manager, organization, _ = center()
    link = invitation_link(organization, manager)
    client.get(link)
    confirm = sign_up(client, reverse("account_signup"))
    response = client.post(confirm)
    assert "_auth_user_id" in client.session
    assert response["Location"] == link
    accept(client, link)
    assert "portal_invitation" not in client.session  # spent


def test_confirming_in_another_browser_then_signing_in(client):
    manager, organization, _ = center()
    link = invitation_link(organization, manager)
    client.get(link)
    confirm = sign_up(client, reverse("account_signup"))

    phone = Client()  # the email opens in another browser
    response = phone.post(confirm)
    assert response.status_code == HTTPStatus.FOUND
    accept_url = response["Location"]
    assert accept_url.startswith("/for-centers/invitations/")
    login_url = landing_link(phone.get(accept_url).content.decode(), "/login/")
    assert login_url.startswith(reverse("account_login") + "?next=")
    response = phone.post(login_url, {"login": INVITEE, "password": PASSWORD})
    assert response["Location"] == accept_url
    accept(phone, accept_url)


def test_only_the_verified_address_s_own_invitation_is_offered(client):
    """Verifying an address without an invitation goes where it always did;
    the invitation of another address is never offered."""
    manager, organization, _ = center()
    invitation_link(organization, manager)
    other = Client()
    response = other.post(
        reverse("account_signup"),
        {"email": "someone.else@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == HTTPStatus.FOUND
    confirm = CONFIRM_LINK.search(mail.outbox[-1].body).group(1)
    response = Client().post(confirm)
    assert response["Location"] == reverse("account_login")


def test_an_invalid_link_is_not_remembered(client):
    response = client.get(reverse("portal:invitation_accept", kwargs={"token": "1:abc:def"}))
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "portal_invitation" not in client.session
