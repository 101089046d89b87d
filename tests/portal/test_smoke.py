from http import HTTPStatus

import pytest
from django.urls import reverse

from .factories import center

pytestmark = pytest.mark.django_db


def test_pages_render(client):
    user, org, programs = center()
    client.force_login(user)
    for url in [
        reverse("portal:dashboard"),
        reverse("portal:program_stats", kwargs={"slug": programs[0].slug}),
        reverse("portal:team", kwargs={"org_slug": org.slug}),
        reverse("account_email"),
        reverse("mfa_index"),
    ]:
        response = client.get(url)
        assert response.status_code == HTTPStatus.OK, url
