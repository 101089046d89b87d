"""Each settings mode loads in a fresh interpreter, and production refuses to
start without a secret key or with deploy-check warnings."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, settings, extra_env=None):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "INQUIRY_ENCRYPTION_KEYS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env["DJANGO_SETTINGS_MODULE"] = settings
    env.update(extra_env or {})
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


@pytest.mark.parametrize("mode", ["dev", "test"])
def test_settings_mode_loads(mode):
    result = run_manage("check", settings=f"config.settings.{mode}")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_requires_secret_key():
    result = run_manage("check", settings="config.settings.production")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_check_deploy_has_no_warnings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        settings="config.settings.production",
        extra_env={
            "SECRET_KEY": "x" * 20 + "-production-like-secret-key-for-the-check-0123456789",
            "ALLOWED_HOSTS": "findcare.example.org",
            "INQUIRY_ENCRYPTION_KEYS": "8Dx22BsP0oQZIY-poVyLgMoZTITEd6N3saRWwkD9SSc=",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_redis_url_selects_shared_cache():
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    result = run_manage(
        "shell",
        "-c",
        code,
        settings="config.settings.dev",
        extra_env={"REDIS_URL": "redis://127.0.0.1:6379/0"},
    )
    assert result.returncode == 0, result.stderr
    assert "RedisCache" in result.stdout


def test_database_url_is_read():
    code = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    result = run_manage(
        "shell",
        "-c",
        code,
        settings="config.settings.dev",
        extra_env={"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/nowhere"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("postgresql")


@pytest.mark.parametrize(
    ("keys", "message"),
    [("", "INQUIRY_ENCRYPTION_KEYS is not set"), ("not-a-key", "key number 1 is not a valid Fernet key")],
)
def test_production_requires_inquiry_keys(keys, message):
    result = run_manage(
        "check",
        settings="config.settings.production",
        extra_env={
            "SECRET_KEY": "x" * 20 + "-production-like-secret-key-for-the-check-0123456789",
            "INQUIRY_ENCRYPTION_KEYS": keys,
        },
    )
    assert result.returncode != 0
    assert message in result.stderr
