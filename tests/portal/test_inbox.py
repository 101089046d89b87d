from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from inquiries.models import Inquiry
from inquiries.selectors import inquiry_read_url, inquiry_recipients, program_accepts_inquiries
from portal.models import ProgramPageView, Role
from portal.selectors import program_monthly_stats
from tests.directory.factories import ProgramFactory

from .factories import MembershipFactory, center, make_inquiry

pytestmark = pytest.mark.django_db


def inbox_url(org, **params):
    from urllib.parse import urlencode

    url = reverse("portal:inbox", kwargs={"org_slug": org.slug})
    return f"{url}?{urlencode(params)}" if params else url


def test_inbox_lists_the_organizations_inquiries_newest_first_and_filters(client):
    user, org, (first, second) = center()
    old = make_inquiry(first)
    Inquiry.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
    new = make_inquiry(second)
    Inquiry.objects.filter(pk=new.pk).update(status=Inquiry.Status.CONTACTED)
    foreign = make_inquiry(ProgramFactory())
    client.force_login(user)
    page = client.get(inbox_url(org)).content.decode()
    assert page.index(new.reference) < page.index(old.reference)
    assert foreign.reference not in page
    assert "Sam (Sample)" not in page  # contents only when opened
    page = client.get(inbox_url(org, program=first.pk)).content.decode()
    assert old.reference in page and new.reference not in page
    page = client.get(inbox_url(org, status="contacted")).content.decode()
    assert new.reference in page and old.reference not in page


def test_bad_inbox_filters_are_a_clear_400(client):
    user, org, _ = center()
    other = ProgramFactory()
    client.force_login(user)
    response = client.get(inbox_url(org, program=other.pk, status="lost"))
    assert response.status_code == HTTPStatus.BAD_REQUEST
    page = response.content.decode()
    assert "That listing is not one of this organization" in page
    assert "Choose new, contacted or closed." in page


def test_opening_an_inquiry_decrypts_it_and_records_who_when(client):
    user, org, (program, _) = center()
    inquiry = make_inquiry(program, message="Asking about detox for my brother.")
    client.force_login(user)
    response = client.get(reverse("portal:inquiry_detail", kwargs={"org_slug": org.slug, "pk": inquiry.pk}))
    assert response.status_code == HTTPStatus.OK
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert "Asking about detox for my brother." in page and "Sam (Sample)" in page
    inquiry.refresh_from_db()
    assert inquiry.opened_by == user and inquiry.opened_at is not None


def test_mark_contacted_and_keep_a_private_note(client):
    user, org, (program, _) = center()
    inquiry = make_inquiry(program)
    client.force_login(user)
    kwargs = {"org_slug": org.slug, "pk": inquiry.pk}
    response = client.post(reverse("portal:inquiry_status", kwargs=kwargs), {"status": "contacted"})
    assert response["Location"] == reverse("portal:inquiry_detail", kwargs=kwargs)
    client.post(reverse("portal:inquiry_note", kwargs=kwargs), {"note": "Called back, intake Tuesday."})
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.CONTACTED and inquiry.answered_at is not None
    assert inquiry.center_note == "Called back, intake Tuesday."
    assert (
        "Called back, intake Tuesday."
        in client.get(reverse("portal:inquiry_detail", kwargs=kwargs)).content.decode()
    )
    response = client.post(reverse("portal:inquiry_status", kwargs=kwargs), {"status": "lost"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Choose new, contacted or closed." in response.content.decode()
    long_note = "x" * 4001
    response = client.post(reverse("portal:inquiry_note", kwargs=kwargs), {"note": long_note})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert long_note in response.content.decode()  # typed value kept


def test_claimed_programs_accept_inquiries_and_members_are_told(client):
    user, org, (program, _) = center()
    program.inquiry_email = ""
    program.save()
    colleague = MembershipFactory(organization=org, role=Role.STAFF).user
    assert program_accepts_inquiries(program)
    assert inquiry_recipients(program) == [user.email, colleague.email]
    lone = ProgramFactory(inquiry_email="")
    assert not program_accepts_inquiries(lone)

    inquiry = make_inquiry(program)
    from inquiries.delivery import inquiry_deliver

    inquiry_deliver(inquiry_id=inquiry.pk)
    message = mail.outbox[-1]
    assert sorted(message.to) == sorted([user.email, colleague.email])
    assert f"/for-centers/organizations/{org.slug}/inbox/{inquiry.pk}/" in message.body
    assert "Asking about outpatient care." not in message.body


def test_read_url_points_at_the_claim_page_for_unclaimed_programs():
    program = ProgramFactory(inquiry_email="intake@example.org")
    inquiry = make_inquiry(program)
    assert inquiry_read_url(inquiry).endswith(f"/for-centers/claim/listing/{program.slug}/")


def test_monthly_stats_count_views_inquiries_and_median_answer_time(client):
    user, org, (program, _) = center()
    for _ in range(3):
        client.get(program.get_absolute_url())
    assert ProgramPageView.objects.get(program=program).count == 3
    now = timezone.now()
    for hours in (1, 3, 20):
        inquiry = make_inquiry(program)
        Inquiry.objects.filter(pk=inquiry.pk).update(
            created_at=now - timedelta(hours=hours + 1), answered_at=now - timedelta(hours=1)
        )
    make_inquiry(program)  # not answered yet
    this_month = program_monthly_stats(program=program)[0]
    assert this_month["views"] == 3
    assert this_month["inquiries"] == 4
    assert this_month["median_answer"] == "3 h 0 min"
    client.force_login(user)
    page = client.get(reverse("portal:program_stats", kwargs={"slug": program.slug})).content.decode()
    assert "3 h 0 min" in page


def test_a_failing_page_view_write_does_not_break_the_program_page(client, monkeypatch):
    from django.db import DatabaseError

    program = ProgramFactory()

    def broken(*args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(ProgramPageView.objects, "create", broken)
    monkeypatch.setattr("django.db.models.query.QuerySet.update", broken)
    response = client.get(program.get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    assert program.name in response.content.decode()
