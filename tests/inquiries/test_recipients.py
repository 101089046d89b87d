"""inquiries.recipients: inquiries asks who at a center hears of an inquiry
through this interface (the portal registers its members rule at start-up)
and works without it: the program's inquiry address only, and a link to
the public listing."""

import pytest
from django.core import mail

from inquiries import recipients
from inquiries.selectors import inquiry_read_url, inquiry_recipients, program_accepts_inquiries
from inquiries.services import inquiry_create
from tests.inquiries.conftest import inquiry_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered():
    """Put back whatever the apps registered after the test."""
    before = recipients.center_recipients()
    yield
    recipients.register(before)


class CenterWithOneMember:
    def has_members(self, organization_id):
        return True

    def member_emails(self, organization_id):
        return ["member@example.org"]

    def read_path(self, inquiry):
        return f"/inbox/{inquiry.pk}/"


def test_the_portal_registers_its_members_rule():
    from portal.recipients import PortalRecipients

    assert isinstance(recipients.center_recipients(), PortalRecipients)


def test_inquiries_use_what_is_registered(program, settings, registered, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://findcare.example.org"
    recipients.register(CenterWithOneMember())
    assert inquiry_recipients(program) == ["intake@example.org", "member@example.org"]
    with django_capture_on_commit_callbacks(execute=True):
        inquiry = inquiry_create(program=program, data=inquiry_data(), idempotency_key="k")
    assert inquiry_read_url(inquiry) == f"https://findcare.example.org/inbox/{inquiry.pk}/"
    [message] = mail.outbox
    assert message.to == ["intake@example.org", "member@example.org"]
    assert "Sign in to the FindCare center portal" in message.body


def test_without_a_portal_the_inquiry_address_alone_is_told(
    program, settings, registered, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://findcare.example.org"
    recipients.register(recipients.NoPortal())
    assert inquiry_recipients(program) == ["intake@example.org"]
    with django_capture_on_commit_callbacks(execute=True):
        inquiry = inquiry_create(program=program, data=inquiry_data(), idempotency_key="k")
    assert inquiry_read_url(inquiry) == "https://findcare.example.org" + program.get_absolute_url()
    [message] = mail.outbox
    assert message.to == ["intake@example.org"]
    assert message.subject == f"New inquiry for {program.name} on FindCare"
    program.inquiry_email = ""
    assert not program_accepts_inquiries(program)
