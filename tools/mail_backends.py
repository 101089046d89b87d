"""A mail backend that stands in for a slow SMTP server, for the
`bench_inquiry_submit` benchmark (never used by the site itself)."""

import time

from django.core.mail.backends.locmem import EmailBackend


class SlowEmailBackend(EmailBackend):
    delay_seconds = 5

    def send_messages(self, messages):
        time.sleep(self.delay_seconds)
        return super().send_messages(messages)
