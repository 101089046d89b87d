"""Security headers on real responses, in the default mode and with the
production settings' HTTPS switches applied."""

import importlib
from http import HTTPStatus

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db

PRODUCTION_SECURITY_SETTINGS = [
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
]


@pytest.fixture
def production_security(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "s" * 60)
    monkeypatch.setenv("INQUIRY_ENCRYPTION_KEYS", "8Dx22BsP0oQZIY-poVyLgMoZTITEd6N3saRWwkD9SSc=")
    production = importlib.import_module("config.settings.production")
    return {name: getattr(production, name) for name in PRODUCTION_SECURITY_SETTINGS}


def parse_csp(header):
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def test_content_security_policy(client):
    response = client.get("/")
    csp = parse_csp(response["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp["script-src"]
    assert "'unsafe-eval'" not in csp["script-src"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]


def test_basic_security_headers(client):
    response = client.get("/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_production_redirects_to_https_and_sends_hsts(client, production_security):
    with override_settings(**production_security):
        insecure = client.get("/")
        assert insecure.status_code == HTTPStatus.MOVED_PERMANENTLY
        assert insecure["Location"].startswith("https://")
        response = client.get("/", headers={"x-forwarded-proto": "https"})
    assert response.status_code == HTTPStatus.OK
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "Content-Security-Policy" in response


def test_production_cookies_are_secure(client, production_security):
    with override_settings(**production_security):
        response = client.get("/admin/login/", headers={"x-forwarded-proto": "https"})
    cookie = response.cookies["csrftoken"]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True


def test_permissions_policy_and_cross_origin_resource_policy(client):
    for url in ["/", "/learn/", "/healthz", "/no-such-page/"]:
        response = client.get(url)
        assert response["Cross-Origin-Resource-Policy"] == "same-origin", url
        policy = response["Permissions-Policy"]
        for feature in ["camera", "microphone", "payment", "usb", "geolocation"]:
            assert f"{feature}=()" in policy, (url, feature)


def test_geolocation_only_on_the_search_page(client):
    policy = client.get("/find/")["Permissions-Policy"]
    assert "geolocation=(self)" in policy
    assert "camera=()" in policy
