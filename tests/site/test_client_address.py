"""One setting, TRUSTED_PROXY_COUNT, says how many proxies are in front;
sign-in lockouts (django-axes), allauth's rate limits, the public form
limits and the CSV download slots all see the same client address."""

from http import HTTPStatus

import pytest
from allauth.account.adapter import get_adapter
from allauth.core.internal.ratelimit import get_ip as allauth_rate_limit_ip
from axes.helpers import get_client_ip_address as axes_client_ip
from axes.models import AccessAttempt
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from config.client import client_ip
from config.ratelimit import client_ip as form_limit_ip
from config.settings.base import read_trusted_proxy_count

from .test_settings import run_manage

CASES = [
    # (proxies, REMOTE_ADDR, X-Forwarded-For, the client)
    (0, "198.51.100.9", "", "198.51.100.9"),
    (0, "10.0.0.1", "203.0.113.7", "10.0.0.1"),  # no trusted proxy: the header is anyone's
    (1, "10.0.0.1", "203.0.113.7", "203.0.113.7"),
    (1, "10.0.0.1", "192.0.2.66, 203.0.113.7", "203.0.113.7"),  # the client typed its own first entry
    (2, "10.0.0.2", "192.0.2.66, 203.0.113.7, 10.0.0.1", "203.0.113.7"),
    (2, "10.0.0.1", "203.0.113.7", "10.0.0.1"),  # fewer entries than proxies: not trusted
]


@pytest.mark.parametrize(("proxies", "remote", "forwarded", "expected"), CASES)
def test_every_limit_sees_the_same_client(settings, proxies, remote, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    request = RequestFactory().post("/for-centers/account/login/", REMOTE_ADDR=remote, **extra)
    seen = {
        "config.client": client_ip(request),
        "axes": axes_client_ip(request),
        "allauth adapter": get_adapter(request).get_client_ip(request),
        "allauth rate limits": allauth_rate_limit_ip(request),
        "public forms": form_limit_ip("inquiries", request),
    }
    assert set(seen.values()) == {expected}, seen


@pytest.mark.django_db
def test_lockout_behind_a_proxy_is_per_client_not_per_proxy(client, settings, django_user_model):
    settings.TRUSTED_PROXY_COUNT = 1
    right = "correct horse battery staple"  # noqa: S105
    django_user_model.objects.create_superuser("staffer", password=right)

    def login(forwarded, password="wrong"):  # noqa: S107
        return client.post(
            "/admin/login/",
            {"username": "staffer", "password": password},
            REMOTE_ADDR="10.0.0.1",  # the load balancer
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    for _ in range(settings.AXES_FAILURE_LIMIT):
        login("203.0.113.7")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}
    assert login("203.0.113.7", right).status_code == HTTPStatus.TOO_MANY_REQUESTS
    # Another family's browser behind the same load balancer can still sign in.
    assert login("198.51.100.2", right).status_code == HTTPStatus.FOUND


def test_one_setting_with_the_old_names_as_fallbacks():
    assert read_trusted_proxy_count({}) == (0, [])
    assert read_trusted_proxy_count({"TRUSTED_PROXY_COUNT": "1"}) == (1, [])
    count, warnings = read_trusted_proxy_count({"AXES_PROXY_COUNT": "1", "RATELIMIT_PROXY_COUNT": "1"})
    assert count == 1
    assert len(warnings) == 2 and all("set TRUSTED_PROXY_COUNT instead" in w for w in warnings)
    count, warnings = read_trusted_proxy_count({"TRUSTED_PROXY_COUNT": "2", "RATELIMIT_PROXY_COUNT": "2"})
    assert count == 2 and warnings == [
        "RATELIMIT_PROXY_COUNT is deprecated and will be ignored in a later release: "
        "set TRUSTED_PROXY_COUNT instead."
    ]


@pytest.mark.parametrize(
    "environ",
    [
        {"AXES_PROXY_COUNT": "1", "RATELIMIT_PROXY_COUNT": "0"},
        {"TRUSTED_PROXY_COUNT": "1", "AXES_PROXY_COUNT": "2"},
        {"TRUSTED_PROXY_COUNT": "one"},
        {"TRUSTED_PROXY_COUNT": "-1"},
    ],
)
def test_disagreeing_or_invalid_counts_refuse_to_start(environ):
    with pytest.raises(ImproperlyConfigured):
        read_trusted_proxy_count(environ)


def test_startup_warns_about_an_old_name_and_refuses_a_disagreement():
    code = "from django.conf import settings; print('count', settings.TRUSTED_PROXY_COUNT)"
    old_name = {"RATELIMIT_PROXY_COUNT": "1"}
    result = run_manage("shell", "-c", code, settings="config.settings.dev", extra_env=old_name)
    assert result.returncode == 0, result.stderr
    assert "count 1" in result.stdout
    assert "RATELIMIT_PROXY_COUNT is deprecated" in result.stderr
    disagreeing = {"TRUSTED_PROXY_COUNT": "1", "AXES_PROXY_COUNT": "2"}
    result = run_manage("check", settings="config.settings.dev", extra_env=disagreeing)
    assert result.returncode != 0
    assert "The proxy counts disagree (TRUSTED_PROXY_COUNT=1, AXES_PROXY_COUNT=2)" in result.stderr
