"""The center portal's account pages and emails (django-allauth) in the
site's own templates and words: plain headings, each error on its own
field, the email address as the only name a person has, emails that name
the site and link under SITE_URL (issue 28)."""

import re
from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from .factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SITE = "https://findcare.example.org"
EMAIL = "dana.ortiz@example.org"


@pytest.fixture
def site_url(settings):
    settings.SITE_URL = settings.WAGTAILADMIN_BASE_URL = SITE
    return SITE


def field_block(html, name):
    """The markup of one field of an account form: from its .field div to the next."""
    start = html.index(f'<label for="id_{name}"')
    start = html.rindex('<div class="field', 0, start)
    end = html.find('<div class="field', start + 1)
    return html[start : end if end != -1 else len(html)]


def signup(client, email=EMAIL, password=PASSWORD):
    return client.post(
        reverse("account_signup"), {"email": email, "password1": password, "password2": password}
    )


@pytest.mark.parametrize(
    ("url_name", "heading"),
    [
        ("account_signup", "<h1>Create your center account</h1>"),
        ("account_login", "<h1>Sign in</h1>"),
        ("account_reset_password", "<h1>Reset your password</h1>"),
        ("account_reset_password_done", "<h1>Check your email</h1>"),
        ("account_email_verification_sent", "<h1>Check your email</h1>"),
    ],
)
def test_account_pages_use_the_site_layout_and_plain_headings(client, url_name, heading):
    """Before: allauth's stock pages ("Sign Up", an unstyled button)."""
    html = client.get(reverse(url_name)).content.decode()
    assert heading in html
    assert 'class="crisis' in html and "site.css" in html  # the site's base template
    assert "Sign Up" not in html and "Sign In" not in html
    if "<form" in html and url_name != "account_reset_password_done":
        assert 'class="button button--primary" type="submit"' in html


def test_sign_in_asks_for_the_email_only(client):
    html = client.get(reverse("account_login")).content.decode()
    assert '<label for="id_login">Email</label>' in html
    assert "username" not in html.lower()
    assert 'href="/for-centers/account/signup/">Create your center account</a>' in html


def test_a_too_short_password_is_reported_under_the_password_field(client):
    """Before: the error came right after the Email input, above the
    Password label, so it read as an error of the email address."""
    response = signup(client, password="short-pass1")
    html = response.content.decode()
    message = "This password is too short. It must contain at least 12 characters."
    assert message in field_block(html, "password1")
    assert "errorlist" not in field_block(html, "email")
    password = field_block(html, "password1")
    assert password.index(message) < password.index("<input")
    assert 'aria-invalid="true"' in password and "id_password1_error" in password
    assert '<a href="#id_password1">' + message in html  # the summary links to the field


def test_logout_and_two_step_pages_are_ours(client):
    user = UserFactory()
    client.force_login(user)
    html = client.get(reverse("account_logout")).content.decode()
    assert "<h1>Sign out</h1>" in html
    assert '<button class="button button--primary" type="submit">Sign out' in html


def test_bad_password_link_says_so_in_plain_words(client):
    url = reverse("account_reset_password_from_key", kwargs={"uidb36": "zz", "key": "not-a-key"})
    html = client.get(url).content.decode()
    assert "<h1>This link no longer works</h1>" in html
    html = client.get(reverse("account_confirm_email", kwargs={"key": "not-a-key"})).content.decode()
    assert "This link has expired or was already used." in html


def test_confirmation_email_names_the_site_not_a_host_or_username(client, site_url):
    """Before: "user dana.ortiz has given your email address to register an
    account on 127.0.0.1:8131" (a username the person never chose, the
    host:port of the request)."""
    signup(client)
    user = get_user_model().objects.get(email=EMAIL)
    message = mail.outbox[-1]
    assert message.subject == "FindCare: Confirm your email address for the center portal"
    body = message.body
    assert body.startswith("Hello from FindCare,")
    assert f"a FindCare center portal account with {EMAIL}" in body
    assert user.username not in body.replace(EMAIL, "")
    assert "testserver" not in body and "127.0.0.1" not in body
    link = re.search(rf"{re.escape(site_url)}(/for-centers/account/confirm-email/\S+/)", body).group(1)
    assert body.rstrip().endswith(f"FindCare center portal\n{site_url}/for-centers/")

    # The confirmation page names the address; confirming signs in with a
    # banner that names the email, never the generated username.
    page = client.get(link).content.decode()
    assert "<h1>Confirm your email address</h1>" in page and EMAIL in page
    response = client.post(link, follow=True)
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert f"Signed in as {EMAIL}." in html
    assert user.username not in html.replace(EMAIL, "")


def test_sign_in_banner_names_the_email(client):
    user = UserFactory(username="dana.ortiz", email=EMAIL)
    response = client.post(reverse("account_login"), {"login": EMAIL, "password": PASSWORD}, follow=True)
    html = response.content.decode()
    assert f"Signed in as {EMAIL}." in html
    assert "Successfully signed in" not in html
    assert user.username not in html.replace(EMAIL, "")


def test_reset_and_unknown_account_emails_are_ours_and_link_under_site_url(client, site_url):
    user = UserFactory(username="dana.ortiz", email=EMAIL)
    client.post(reverse("account_reset_password"), {"email": user.email})
    reset = mail.outbox[-1]
    assert reset.subject == "FindCare: Choose a new password for the center portal"
    assert f"{site_url}/for-centers/account/password/reset/key/" in reset.body
    assert "dana.ortiz " not in reset.body and "username" not in reset.body

    client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    unknown = mail.outbox[-1]
    assert unknown.to == ["nobody@example.org"]
    assert unknown.subject == "FindCare: No center portal account for this address"
    assert f"{site_url}/for-centers/account/signup/" in unknown.body

    signup(client, email=EMAIL)  # someone signs up with a taken address
    taken = mail.outbox[-1]
    assert taken.subject == "FindCare: You already have a center portal account"
    assert f"{site_url}/for-centers/account/password/reset/" in taken.body
    assert "testserver" not in reset.body + unknown.body + taken.body
