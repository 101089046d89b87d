"""inquiries/wagtail_hooks.py and admin_views.py: the staff list (no
contents), the detail view (contents only with the permission, each viewing
audit-logged) and "send again"."""

from http import HTTPStatus

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse
from wagtail.models import ModelLogEntry

from inquiries import services
from inquiries.models import Inquiry
from tests.inquiries.conftest import CANARY, inquiry_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def inquiry(program):
    return services.inquiry_create(program=program, data=inquiry_data(message=CANARY), idempotency_key="k")


def staff(django_user_model, *codenames):
    user = django_user_model.objects.create_user("staff-" + "-".join(codenames), password="pw")
    perms = Permission.objects.filter(codename__in=["access_admin", *codenames])
    user.user_permissions.set(perms)
    return user


def test_list_shows_delivery_state_not_contents(client, admin_user, inquiry):
    client.force_login(admin_user)
    response = client.get(reverse("inquiries_admin:index"))
    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert inquiry.reference in html and "Waiting to send" in html
    assert CANARY not in html and "sam@example.org" not in html


def test_list_filters_by_delivery_state(client, admin_user, inquiry):
    client.force_login(admin_user)
    html = client.get(reverse("inquiries_admin:index"), {"delivery_state": "failed"}).content.decode()
    assert inquiry.reference not in html


def test_viewer_without_contents_permission_sees_no_contents(client, django_user_model, inquiry):
    client.force_login(staff(django_user_model, "view_inquiry"))
    response = client.get(reverse("inquiries_admin:inspect", args=[inquiry.pk]))
    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "You do not have permission to read the contents" in html
    assert CANARY not in html
    assert not ModelLogEntry.objects.filter(action="inquiries.view_contents").exists()
    inquiry.refresh_from_db()
    assert inquiry.opened_at is None


def test_contents_permission_reads_and_is_logged(client, django_user_model, inquiry):
    user = staff(django_user_model, "view_inquiry_contents")
    client.force_login(user)
    for _ in range(2):
        html = client.get(reverse("inquiries_admin:inspect", args=[inquiry.pk])).content.decode()
        assert CANARY in html and "sam@example.org" in html
    entries = ModelLogEntry.objects.filter(action="inquiries.view_contents", object_id=str(inquiry.pk))
    assert [entry.user for entry in entries] == [user, user]
    inquiry.refresh_from_db()
    assert inquiry.opened_by == user


def test_no_permission_is_refused(client, django_user_model, inquiry):
    client.force_login(staff(django_user_model))
    response = client.get(reverse("inquiries_admin:inspect", args=[inquiry.pk]))
    assert response.status_code in (HTTPStatus.FORBIDDEN, HTTPStatus.FOUND)
    assert CANARY not in response.content.decode()


def test_resend_and_link_to_program(client, admin_user, inquiry, django_capture_on_commit_callbacks):
    Inquiry.objects.filter(pk=inquiry.pk).update(delivery_state=Inquiry.Delivery.FAILED, last_error="Refused")
    client.force_login(admin_user)
    html = client.get(reverse("inquiries_admin:inspect", args=[inquiry.pk])).content.decode()
    assert "Refused" in html
    assert reverse("wagtailsnippets_directory_program:edit", args=[inquiry.program_id]) in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("inquiries_admin:resend", args=[inquiry.pk]))
    assert response.status_code == HTTPStatus.FOUND
    inquiry.refresh_from_db()
    assert inquiry.delivery_state == Inquiry.Delivery.SENT
    assert len(mail.outbox) == 1


def test_read_url_of_an_unclaimed_program_is_its_claim_page(unjoined_program, settings):
    from inquiries.selectors import inquiry_read_url

    settings.SITE_URL = "https://findcare.example.org"
    inquiry = services.inquiry_create(program=unjoined_program, data=inquiry_data(), idempotency_key="k")
    slug = inquiry.program.slug
    assert inquiry_read_url(inquiry) == f"https://findcare.example.org/for-centers/claim/listing/{slug}/"
