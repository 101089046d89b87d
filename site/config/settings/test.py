"""Test runs: fast hashing, in-memory email outbox, tasks through the real
database backend (tests run the worker explicitly when they need to)."""

from .base import *  # noqa: F403
from .base import DEV_INQUIRY_KEY, env, env_list

DEBUG = False
SECRET_KEY = "test-only-insecure-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SITE_URL_MODE = "off"  # tests turn it on where they test it
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]
INQUIRY_ENCRYPTION_KEYS = env_list("INQUIRY_ENCRYPTION_KEYS", DEV_INQUIRY_KEY)
TASKS = {
    "default": {
        "BACKEND": env("TASK_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"),
        "QUEUES": ["default"],
    }
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Serve static files straight from the source folders (no collectstatic needed).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Rebuild the directory search index inline, so a test sees its own writes.
DIRECTORY_INDEX_BACKGROUND = False
