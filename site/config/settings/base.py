"""Settings shared by every mode. Everything a deployment changes is read
from the environment here, once; dev/test/production only adjust defaults."""

import os
import warnings
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

SITE_DIR = Path(__file__).resolve().parent.parent.parent  # site/
BASE_DIR = SITE_DIR.parent  # repository root
VAR_DIR = BASE_DIR / "var"  # git-ignored: SQLite file, media, collected static


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


SECRET_KEY = env("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "directory",
    "content",
    "inquiries",
    "portal",
    "guide",
    "tools",  # benchmarks, load test, demo data (load_demo, used by `make run`)
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.table_block",
    "wagtail.contrib.typed_table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "ninja",  # self-hosted Swagger UI for the API docs (no CDN)
    "django_tasks",
    "django_tasks_db",
    "csp",
    "axes",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.SecurityHeadersMiddleware",  # Permissions-Policy, Cross-Origin-Resource-Policy
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.middleware.WagtailAdminCSPMiddleware",  # inline scripts under /admin/ only
    "config.site_url.FollowServedAddressMiddleware",  # dev only: SITE_URL_MODE=request
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "config.middleware.RequestGuardMiddleware",  # 400 on NUL bytes / unknown charsets, our 405 page
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks: turns a lockout into our 429 page
]

# Server-Timing header (app, SQL and garbage-collection time per request;
# config/timing.py) for benchmarks: off by default, since it tells anyone
# how long our queries take. When off the middleware is not even installed.
SERVER_TIMING = env_bool("SERVER_TIMING", False)
if SERVER_TIMING:
    MIDDLEWARE.insert(0, "config.timing.ServerTimingMiddleware")  # first: times everything below

# Login lockout (django-axes): every login that goes through authenticate()
# with a request (Django admin, Wagtail admin, allauth) counts. After
# AXES_FAILURE_LIMIT failures from one client IP, logins from it are refused
# for AXES_COOLOFF_TIME, even with the right password; a success resets the
# count. The client IP is config.client.client_ip, the same address every
# rate limit uses (TRUSTED_PROXY_COUNT below).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out clients (every login form)
    "django.contrib.auth.backends.ModelBackend",  # Wagtail admin login (username)
    "allauth.account.auth_backends.AuthenticationBackend",  # center portal (email)
]
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "lockout.html"  # crisis lines, plain words, status 429
AXES_HTTP_RESPONSE_CODE = 429
AXES_USERNAME_CALLABLE = "config.errors.login_username"  # username, email or allauth's "login"
AXES_SENSITIVE_PARAMETERS = ["password", "password1", "password2"]
AXES_CLIENT_IP_CALLABLE = "config.client.client_ip"


def read_trusted_proxy_count(environ) -> tuple[int, list[str]]:
    """How many trusted proxies append to X-Forwarded-For in front of the
    app: TRUSTED_PROXY_COUNT, or the two names it replaced
    (AXES_PROXY_COUNT, RATELIMIT_PROXY_COUNT) with a warning. Values that
    disagree, or are not whole numbers >= 0, stop the start. Returns the
    count and the warnings to show."""
    names = ["TRUSTED_PROXY_COUNT", "AXES_PROXY_COUNT", "RATELIMIT_PROXY_COUNT"]
    given = {}
    for name in names:
        raw = (environ.get(name) or "").strip()
        if not raw:
            continue
        if not raw.isdigit():
            raise ImproperlyConfigured(f"{name}={raw!r}: give the number of trusted proxies, like 0 or 1.")
        given[name] = int(raw)
    if len(set(given.values())) > 1:
        values = ", ".join(f"{name}={value}" for name, value in given.items())
        raise ImproperlyConfigured(
            f"The proxy counts disagree ({values}). Set only TRUSTED_PROXY_COUNT: the number of "
            "trusted proxies in front of the app, used for sign-in lockouts and rate limits alike."
        )
    old = [name for name in names[1:] if name in given]
    notes = [
        f"{name} is deprecated and will be ignored in a later release: set TRUSTED_PROXY_COUNT instead."
        for name in old
    ]
    return (next(iter(given.values())) if given else 0), notes


# One fact, used everywhere a client address matters (config/client.py):
# sign-in lockouts (axes), allauth's rate limits, public form and CSV limits.
TRUSTED_PROXY_COUNT, _proxy_warnings = read_trusted_proxy_count(os.environ)
for _message in _proxy_warnings:
    warnings.warn(_message, stacklevel=1)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT  # allauth asks our adapter (portal/adapters.py) anyway

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Database: DATABASE_URL, else a SQLite file under var/ so a fresh machine
# needs nothing else.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(env("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
USING_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
if USING_POSTGRES:
    INSTALLED_APPS.append("django.contrib.postgres")
else:
    VAR_DIR.mkdir(exist_ok=True)
    # Several requests (and the task worker) may write at once.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set (shared by every app server), else a
# per-process local-memory cache. Keys are prefixed with the database, so
# two sites sharing a Redis database never read each other's entries
# (CACHE_KEY_PREFIX overrides). The Redis backend degrades to "no cache"
# while Redis is unreachable (config/cache.py): the site keeps serving.
REDIS_URL = env("REDIS_URL", "")
CACHE_KEY_PREFIX = env(
    "CACHE_KEY_PREFIX",
    "findcare:{HOST}:{PORT}:{NAME}".format(**{"HOST": "", "PORT": "", **DATABASES["default"]}),
)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }

# The directory search index rebuilds in a background thread while the old
# one serves (directory/search/freshness.py); tests rebuild inline.
DIRECTORY_INDEX_BACKGROUND = True

# Everyone (staff and center users): at least 12 characters, common and
# all-digit passwords refused. allauth's forms use these validators too.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]


# Sessions expire: SESSION_HOURS (default 8, a working day) after sign-in for
# everyone, and the center portal's sign-in does not offer "remember me", so
# its session also ends when the browser closes.
SESSION_COOKIE_AGE = int(env("SESSION_HOURS", "8")) * 3600

# Center portal accounts (django-allauth): email is the login, addresses must
# be verified before the first sign-in, password reset by emailed link,
# allauth's own rate limits on failed logins, optional TOTP second factor.
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:dashboard"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "FindCare: "
# allauth rate limits (in the cache): failed sign-ins 10 a minute per IP and 5
# per 5 minutes per account; the other defaults (signup, reset) stay on.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/300s/key"}
ACCOUNT_ADAPTER = "portal.adapters.AccountAdapter"
# Sign-up fills in the invited address for someone who came through an
# invitation link (portal/forms.py).
ACCOUNT_FORMS = {"signup": "portal.forms.SignupForm"}
ACCOUNT_PREVENT_ENUMERATION = True
# People are named by their email address (the login) in pages, messages and
# emails, never by the username allauth generates ("dana.ortiz").
ACCOUNT_USER_DISPLAY = "portal.adapters.user_display"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "FindCare"

LANGUAGE_CODE = "en-us"
TIME_ZONE = env("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [SITE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Facility files staff upload in the admin (docs/data-import.md): kept outside
# MEDIA_ROOT (never served), at most DIRECTORY_IMPORT_MAX_UPLOAD_MB, deleted
# with their reports after DIRECTORY_IMPORT_RETENTION_DAYS by purge_import_files.
DIRECTORY_IMPORT_ROOT = Path(env("DIRECTORY_IMPORT_ROOT", str(VAR_DIR / "private" / "imports")))
DIRECTORY_IMPORT_MAX_UPLOAD_MB = int(env("DIRECTORY_IMPORT_MAX_UPLOAD_MB", "60"))
DIRECTORY_IMPORT_RETENTION_DAYS = int(env("DIRECTORY_IMPORT_RETENTION_DAYS", "30"))

# Email: Django's SMTP backend unless EMAIL_BACKEND says otherwise.
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "FindCare <no-reply@findcare.example.org>")
SERVER_EMAIL = env("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# A staff inbox someone reads: the reply-to of the alert a listing's previous
# contact gets when its contact details change (directory/review/contacts.py).
LISTING_SAFETY_EMAIL = env(
    "LISTING_SAFETY_EMAIL", "FindCare listing safety <listing-safety@findcare.example.org>"
)
# A staff inbox someone reads: told of each new listing claim (portal/tasks.py),
# with a link to the claim in the admin. Defaults to the same inbox as above;
# empty sends nothing (the admin dashboard still counts pending claims).
STAFF_REVIEW_EMAIL = env("STAFF_REVIEW_EMAIL", LISTING_SAFETY_EMAIL)
# How long that alert's "This was not us" link works.
CONTACT_RESTORE_LINK_DAYS = int(env("CONTACT_RESTORE_LINK_DAYS", "30"))

# Background tasks (django-tasks): the database backend with a `db_worker`
# process in production; TASK_BACKEND can select another backend class.
TASKS = {
    "default": {
        "BACKEND": env("TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Inquiries (inquiries/): contents encrypted with the first of these Fernet
# keys, readable with any of them (production requires them; dev/test use a
# fixed dev key; inquiries/apps.py stops the start when they are missing or
# malformed). Purged after INQUIRY_RETENTION_DAYS by purge_inquiries.
INQUIRY_ENCRYPTION_KEYS = env_list("INQUIRY_ENCRYPTION_KEYS", "")
DEV_INQUIRY_KEY = "ckAfHoSAcFztQh84qUJJBV2VGW9vHBVKsBpI3qypgrU="  # public: dev/test and demo data only
INQUIRY_RETENTION_DAYS = int(env("INQUIRY_RETENTION_DAYS", "90"))
INQUIRY_MIN_FILL_SECONDS = int(env("INQUIRY_MIN_FILL_SECONDS", "3"))
INQUIRY_FORM_MAX_AGE_SECONDS = 24 * 3600
INQUIRY_DELIVERY_MAX_ATTEMPTS = int(env("INQUIRY_DELIVERY_MAX_ATTEMPTS", "8"))

# Rate limits for public POST forms (inquiries, problem reports), counted in
# the default cache by django-ratelimit (Redis in production). A cache outage
# lets requests through rather than taking the forms down.
RATELIMIT_PER_IP = env("RATELIMIT_PER_IP", "10/h")
RATELIMIT_PER_PROGRAM = env("RATELIMIT_PER_PROGRAM", "60/h")
# Every attempt, forms sent back with errors included (config/ratelimit.py).
RATELIMIT_ATTEMPTS_PER_IP = env("RATELIMIT_ATTEMPTS_PER_IP", "100/h")
RATELIMIT_FAIL_OPEN = True

# Wagtail
WAGTAIL_SITE_NAME = "FindCare"
WAGTAILADMIN_BASE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_URL = WAGTAILADMIN_BASE_URL
# Whether SITE_URL was given (`make run` gives it): in development a command
# then links to it rather than to the address last served (config/site_url.py).
SITE_URL_FROM_ENV = bool(env("SITE_URL", ""))
# Where the site's base URL comes from (config/site_url.py): "setting" (SITE_URL,
# applied to the Wagtail Site on every migrate), "request" (dev: the address it
# is served at) or "off".
SITE_URL_MODE = env("SITE_URL_MODE", "setting")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "pdf", "txt"]
WAGTAIL_ENABLE_UPDATE_CHECK = False  # no calls to outside hosts
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no avatars from gravatar.com in the admin
WAGTAIL_USAGE_COUNT_ENABLED = True
# Approving the last workflow task publishes even though reviewers lack the
# publish permission (see content/workflows.py).
WAGTAIL_FINISH_WORKFLOW_ACTION = "content.workflows.publish_approved"
WAGTAILADMIN_RICH_TEXT_EDITORS = {
    "default": {
        "WIDGET": "wagtail.admin.rich_text.DraftailRichTextArea",
        "OPTIONS": {"features": ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]},
    }
}

# Security headers that apply in every mode; production adds HTTPS ones.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "config.errors.csrf_failure"  # our 403 page, crisis lines included
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

# Content-Security-Policy: the site loads nothing from other hosts. Scripts
# only from our origin (or with the per-request nonce); no inline event
# handlers, no eval. Wagtail's admin needs inline styles, so style-src allows
# them; its inline scripts are allowed under the admin URL only
# (config.middleware.WagtailAdminCSPMiddleware).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

LOG_LEVEL = env("LOG_LEVEL", "INFO")
# Every handler redacts secrets carried in URL paths (inquiry status links,
# invitations, email confirmations, password resets; config/log_redaction.py):
# Django logs the path of 4xx responses and CSRF failures, axes of sign-ins,
# runserver every request line.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_secrets": {"()": "config.log_redaction.RedactSecrets"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact_secrets"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["redact_secrets"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Request logs carry only method and path; inquiries are POSTed, so
        # health information never reaches a URL or a log line.
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # Django's own default handlers on "django" (console when DEBUG,
        # mail_admins) would skip the redaction: everything goes to the root's.
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        # runserver's request lines (development), as Django logs them, redacted.
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
}


def require_secret_key(value):
    if not value:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random "
            "string (for example: python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    return value
