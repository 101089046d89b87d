"""Email backends for tests: one that always fails, one that is slow."""

import smtplib
import time

from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class FailingBackend(LocmemBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class SlowBackend(LocmemBackend):
    """A mail server that takes 5 seconds to answer."""

    delay = 5

    def send_messages(self, messages):
        time.sleep(self.delay)
        return super().send_messages(messages)
