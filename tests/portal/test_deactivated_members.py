"""A member whose account staff deactivated (someone who left the center)
can no longer sign in, so they are nobody to tell: every rule for "who at
the center hears of this" leaves them out, and a listing whose only member
is deactivated (and that has no inquiry address) offers no inquiry form,
since nobody could read what a family sends."""

import pytest
from django.core import mail

from inquiries.selectors import inquiry_read_url, inquiry_recipients, program_accepts_inquiries
from portal.members import has_members, member_emails
from portal.reminders import availability_reminder_recipients
from portal.selectors import listing_review_recipients
from tests.portal.factories import MembershipFactory, center, make_inquiry

pytestmark = pytest.mark.django_db


def deactivate(user):
    user.is_active = False
    user.save(update_fields=["is_active"])


def test_every_recipient_rule_leaves_out_a_deactivated_member():
    user, org, (program, _) = center()
    colleague = MembershipFactory(organization=org).user
    program.inquiry_email = ""
    program.save()
    deactivate(user)

    expected = [colleague.email]
    assert member_emails(org.pk, active=True) == expected
    assert listing_review_recipients(program=program) == expected
    assert inquiry_recipients(program) == expected
    assert availability_reminder_recipients(program) == expected


def test_a_listing_whose_only_member_left_offers_no_inquiry_form(client):
    user, org, (program, _) = center()
    program.inquiry_email = ""
    program.save()
    assert program_accepts_inquiries(program)
    deactivate(user)

    assert not has_members(org.pk, active=True)
    assert not program_accepts_inquiries(program)
    page = client.get(program.get_absolute_url()).content.decode()
    assert "does not receive messages through FindCare yet" in page
    assert 'name="contact_method"' not in page


def test_an_inquiry_to_a_listing_whose_members_left_links_to_the_claim_page(
    django_capture_on_commit_callbacks,
):
    user, org, (program, _) = center()
    program.inquiry_email = "intake@example.org"
    program.save()
    deactivate(user)
    with django_capture_on_commit_callbacks(execute=True):
        inquiry = make_inquiry(program)
    assert "/claim" in inquiry_read_url(inquiry)
    assert [m.to for m in mail.outbox] == [["intake@example.org"]]
