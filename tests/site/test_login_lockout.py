"""django-axes: after AXES_FAILURE_LIMIT wrong passwords from one client,
even the right password is refused, on every login form, with our page."""

from http import HTTPStatus

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # noqa: S105


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_superuser("staffer", password=PASSWORD)


@pytest.mark.parametrize("url", ["/admin/login/", "/django-admin/login/"])
def test_wrong_passwords_then_right_one_is_refused(client, staff, url):
    statuses = [
        client.post(url, {"username": "staffer", "password": "wrong"}).status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses[:-1] == [HTTPStatus.OK] * (settings.AXES_FAILURE_LIMIT - 1)  # the form, with its error
    assert statuses[-1] == HTTPStatus.TOO_MANY_REQUESTS  # the attempt that reaches the limit
    response = client.post(url, {"username": "staffer", "password": PASSWORD})
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    page = response.content.decode()
    assert "Too many sign-in attempts" in page and "988" in page
    assert "_auth_user_id" not in client.session
    # Another client is not affected.
    other = client.post(url, {"username": "staffer", "password": PASSWORD}, REMOTE_ADDR="10.1.2.3")
    assert other.status_code == HTTPStatus.FOUND


def test_success_before_the_limit_resets_the_count(client, staff):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post("/admin/login/", {"username": "staffer", "password": "wrong"})
    assert client.post("/admin/login/", {"username": "staffer", "password": PASSWORD}).status_code == 302
    client.logout()
    client.post("/admin/login/", {"username": "staffer", "password": "wrong"})
    assert client.post("/admin/login/", {"username": "staffer", "password": PASSWORD}).status_code == 302
