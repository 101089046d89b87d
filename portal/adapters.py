"""allauth adapter: a mail outage must not take sign-up or password reset
down (the user can ask for the email again), center users never get staff
or admin rights from signing up, and someone who came through an
invitation link lands on accepting it after signing up, verifying their
address (even in another browser) and signing in."""

import logging

from allauth.account.adapter import DefaultAccountAdapter

from config.client import client_ip

from . import selectors

logger = logging.getLogger(__name__)


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request):
        """allauth's rate limits count per client address: the same one as
        sign-in lockouts and every other limit (TRUSTED_PROXY_COUNT)."""
        return client_ip(request) or super().get_client_ip(request)

    def send_mail(self, template_prefix, email, context):
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
