"""allauth adapter: a mail outage must not take sign-up or password reset
down (the user can ask for the email again), and center users never get
staff or admin rights from signing up."""

import logging

from allauth.account.adapter import DefaultAccountAdapter

from config.client import client_ip

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
