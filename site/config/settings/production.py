"""Production: PostgreSQL via DATABASE_URL, Redis cache via REDIS_URL,
HTTPS everywhere, static files served by WhiteNoise, tasks in the database
for `manage.py db_worker`."""

from .base import *  # noqa: F403
from .base import env, env_bool, env_list, require_secret_key

DEBUG = False
SECRET_KEY = require_secret_key(env("SECRET_KEY", ""))
INQUIRY_ENCRYPTION_KEYS = env_list("INQUIRY_ENCRYPTION_KEYS", "")  # checked at startup: inquiries/apps.py

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# Behind a load balancer that terminates TLS and sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31_536_000  # one year
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
