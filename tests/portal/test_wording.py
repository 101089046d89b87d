"""Small wording bugs: a time at the end of a sentence took a second full
stop ("7:03 a.m.."), and the admin menu said "Treatment approachs"."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from inquiries.models import Inquiry

from .factories import center, make_inquiry

pytestmark = pytest.mark.django_db


def test_a_time_ending_a_sentence_takes_one_full_stop(client):
    user, organization, (program, _) = center()
    inquiry = make_inquiry(program)
    morning = timezone.make_aware(datetime.datetime(2026, 12, 7, 7, 3))
    Inquiry.objects.filter(pk=inquiry.pk).update(created_at=morning, answered_at=morning)
    client.force_login(user)
    url = reverse("portal:inquiry_detail", kwargs={"org_slug": organization.slug, "pk": inquiry.pk})
    page = client.get(url).content.decode()
    assert "received December 7, 2026 7:03 a.m. Status:" in page
    assert f"First opened by {user.email} on " in page
    assert "Contacted December 7, 7:03 a.m.</p>" in page
    assert ".." not in page.split("<main", 1)[1].split("</main>")[0].replace("...", "")


def test_the_admin_menu_says_treatment_approaches(client):
    admin = get_user_model().objects.create_superuser(
        "menu-admin", "menu-admin@example.org", "x-admin-pass-123"
    )
    client.force_login(admin)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Treatment approaches" in page
    assert "approachs" not in page
