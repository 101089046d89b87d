import re
from http import HTTPStatus

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from .factories import PASSWORD, UserFactory, center

pytestmark = pytest.mark.django_db


def signup(client, email="new.center@example.org", password=PASSWORD):
    return client.post(
        reverse("account_signup"), {"email": email, "password1": password, "password2": password}
    )


def test_signup_requires_email_verification_before_sign_in(client):
    response = signup(client)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("account_email_verification_sent")
    user = get_user_model().objects.get(email="new.center@example.org")
    assert not user.is_staff and not user.is_superuser
    assert "_auth_user_id" not in client.session
    message = mail.outbox[-1]
    assert message.to == ["new.center@example.org"]
    assert message.subject.startswith("FindCare: ")
    link = re.search(r"http://127\.0\.0\.1:8000(/for-centers/account/confirm-email/\S+)", message.body)
    link = link.group(1)  # under SITE_URL
    assert "FindCare center portal" in message.body
    # Signing in before confirming is refused (another verification mail).
    client.post(reverse("account_login"), {"login": "new.center@example.org", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    response = client.post(link)
    assert response.status_code == HTTPStatus.FOUND
    assert client.session["_auth_user_id"] == str(user.pk)


def test_short_and_common_passwords_are_refused(client):
    response = signup(client, password="short-pass1")  # 11 characters
    assert response.status_code == HTTPStatus.OK
    assert "This password is too short. It must contain at least 12 characters." in response.content.decode()
    response = signup(client, password="password1234")
    assert "This password is too common." in response.content.decode()
    assert not get_user_model().objects.filter(email="new.center@example.org").exists()
    assert 'value="new.center@example.org"' in response.content.decode()


def test_sign_in_with_email_opens_the_dashboard_and_expires(client):
    user, organization, programs = center()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("portal:dashboard")
    page = client.get(reverse("portal:dashboard")).content.decode()
    assert organization.name in page and programs[0].name in page
    # No "remember me": the session ends with the browser, and within hours anyway.
    assert client.session.get_expire_at_browser_close()
    assert settings.SESSION_COOKIE_AGE == 8 * 3600


def test_failed_sign_ins_are_rate_limited(client):
    user = UserFactory()
    for _ in range(5):
        client.post(reverse("account_login"), {"login": user.email, "password": "wrong-password-123"})
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS or "Too many" in response.content.decode()


def test_password_reset_mail_uses_our_template_and_site_url(client):
    """Links under SITE_URL like every other email of the site (they used
    the host of the request: http://testserver here)."""
    user = UserFactory()
    client.post(reverse("account_reset_password"), {"email": user.email})
    body = mail.outbox[-1].body
    assert "http://127.0.0.1:8000/for-centers/account/password/reset/key/" in body
    assert "testserver" not in body
    assert "Hello from FindCare" in body


def test_a_mail_outage_does_not_break_sign_up(client, settings):
    settings.EMAIL_BACKEND = "tests.portal.test_accounts.BrokenBackend"
    response = signup(client, email="outage@example.org")
    assert response.status_code == HTTPStatus.FOUND
    assert get_user_model().objects.filter(email="outage@example.org").exists()


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP down")


def test_two_step_sign_in_is_offered(client):
    user, _, _ = center()
    client.force_login(user)
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))  # password asked again
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == HTTPStatus.OK
    assert "Authenticator code" in response.content.decode()
