"""allauth adapter: a mail outage must not take sign-up or password reset
down (the user can ask for the email again), center users never get staff
or admin rights from signing up, and someone who came through an
invitation link lands on accepting it after signing up, verifying their
address (even in another browser) and signing in.

Emails name the site (WAGTAIL_SITE_NAME) and link under SITE_URL like every
other email of the site (config/site_url.py), never the host:port a request
happened to use; people are named by their email address, the only login
name (ACCOUNT_USER_DISPLAY), never by the username allauth generates."""

import logging
from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings

from config.client import client_ip
from config.site_url import site_base_url

from . import selectors

logger = logging.getLogger(__name__)


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request):
        """allauth's rate limits count per client address: the same one as
        sign-in lockouts and every other limit (TRUSTED_PROXY_COUNT)."""
        return client_ip(request) or super().get_client_ip(request)

    def send_mail(self, template_prefix, email, context):
        """Every link in the email (allauth's "*_url" values: confirmation,
        password reset, sign-up) points at SITE_URL; the templates
        (portal/templates/account/email/) get the site's name and address."""
        context = {
            name: on_site(value) if name.endswith("_url") else value for name, value in context.items()
        }
        context.update(site_name=settings.WAGTAIL_SITE_NAME, site_url=site_base_url())
        try:
            super().send_mail(template_prefix, email, context)
        except OSError:
            logger.exception("Could not send the %s email", template_prefix)

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.is_staff = False
        user.is_superuser = False
        if commit:
            user.save()
        return user

    def get_login_redirect_url(self, request):
        """Without an explicit ?next=: the invitation opened in this browser."""
        return selectors.invitation_waiting_url(session=request.session) or super().get_login_redirect_url(
            request
        )

    def get_signup_redirect_url(self, request):
        """Signed in at the end of sign-up (after verifying the address in
        this browser): the same."""
        return selectors.invitation_waiting_url(session=request.session) or super().get_signup_redirect_url(
            request
        )

    def get_email_verification_redirect_url(self, email_address):
        """After verifying: the invitation opened in this browser, else one
        sent to the address just verified (the accept page asks an anonymous
        visitor to sign in first and comes back)."""
        session = getattr(self.request, "session", None)
        url = selectors.invitation_waiting_url(session=session, email=email_address.email)
        return url or super().get_email_verification_redirect_url(email_address)


def on_site(url):
    """An absolute link moved under SITE_URL (scheme, host and port), path
    and query kept; anything but an http(s) link is left alone."""
    if not isinstance(url, str):
        return url
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return url
    base = urlsplit(site_base_url())
    path = base.path.rstrip("/") + parts.path
    return urlunsplit((base.scheme, base.netloc, path, parts.query, parts.fragment))


def user_display(user):
    """ACCOUNT_USER_DISPLAY: a person is named by their email address (the
    login), not by the username allauth generated for them."""
    return user.email or user.get_username()
