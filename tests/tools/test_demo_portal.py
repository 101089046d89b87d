import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from inquiries.models import Inquiry
from portal.models import Membership, Role
from tools.demo.portal import CENTER_EMAIL, ORG_SLUG

pytestmark = pytest.mark.django_db


def test_load_demo_creates_a_center_account_with_listings_and_encrypted_inquiries(client, tmp_path):
    out = StringIO()
    call_command("load_demo", "--listings", "20", stdout=out)
    match = re.search(rf"{re.escape(CENTER_EMAIL)}\s+(\S+)", out.getvalue())
    assert match, out.getvalue()
    membership = Membership.objects.get(user__email=CENTER_EMAIL)
    assert membership.role == Role.MANAGER and membership.organization.slug == ORG_SLUG
    assert not membership.user.is_staff
    programs = list(membership.organization.programs.all())
    assert len(programs) == 2 and all(p.is_sample and p.name.endswith("(Sample)") for p in programs)
    inquiries = Inquiry.objects.filter(program__in=programs)
    assert inquiries.count() == 3
    assert {i.name for i in inquiries} >= {"Jordan (Sample)"}
    # Encrypted at rest: the raw column does not hold the name.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM inquiries_inquiry WHERE id = %s", [inquiries[0].pk])
        assert "(Sample)" not in cursor.fetchone()[0]

    # The printed password signs in, and the inbox shows the sample inquiries.
    client.post(reverse("account_login"), {"login": CENTER_EMAIL, "password": match.group(1)})
    page = client.get(reverse("portal:inbox", kwargs={"org_slug": ORG_SLUG})).content.decode()
    assert all(i.reference in page for i in inquiries)

    # Again: nothing duplicated, the password changes.
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert Inquiry.objects.filter(program__in=programs).count() == 3
    assert re.search(rf"{re.escape(CENTER_EMAIL)}\s+(\S+)", out.getvalue()).group(1) != match.group(1)


def test_demo_inquiries_reach_a_center_that_already_manages_its_listings(monkeypatch):
    """Deliveries run as each inquiry commits (as in `make run`): the center
    is a member by then, so the email says the inquiry waits in its inbox,
    not "claim your listing". (Inside the test's transaction nothing really
    commits, so on_commit callbacks run at once, as a real commit would.)"""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())
    call_command("load_demo", "--listings", "20", stdout=StringIO())
    notices = [m for m in mail.outbox if m.subject.startswith("New inquiry")]
    assert len(notices) == 3
    assert not any("claim" in m.body.lower() for m in notices)
