"""Local development: DEBUG on, email printed to the console, tasks run
immediately so nobody needs a worker to try the site."""

from .base import *  # noqa: F403
from .base import DEV_INQUIRY_KEY, env, env_bool, env_list

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-change-me")  # noqa: S105
# Links in emails and metadata follow the address the site is served at.
SITE_URL_MODE = env("SITE_URL_MODE", "request")
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
INQUIRY_ENCRYPTION_KEYS = env_list("INQUIRY_ENCRYPTION_KEYS", DEV_INQUIRY_KEY)
TASKS = {
    "default": {
        "BACKEND": env("TASK_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"),
        "QUEUES": ["default"],
    }
}

# Serve static files straight from the source folders (no collectstatic needed).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
