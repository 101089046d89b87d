"""Every error response is ours: 400/403/404/405/500 pages with the crisis
lines (and, through the middleware stack, the security headers), JSON under
/api/, and a plain built-in page when even the template cannot render (for
example with the database down)."""

import logging
from http import HTTPStatus

from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.html import escape

logger = logging.getLogger("config.errors")

API_PREFIX = "/api/"

MESSAGES = {
    400: ("Something was wrong with that request", "The page could not understand what was sent. "
          "Go back, check what you entered and try again."),
    403: ("You cannot do that here", "You do not have permission to see this page or do this."),
    404: ("Page not found", "We could not find that page. It may have moved, or the program may "
          "no longer be listed."),
    405: ("That does not work on this page", "This page cannot be used that way. Go back and try "
          "again from the page itself."),
    429: ("Too many requests", "You have sent a lot of requests in a short time. Please wait a "
          "minute and try again."),
    500: ("Something went wrong", "Sorry, the site had a problem. Please try again in a minute."),
}  # fmt: skip

CSRF_MESSAGE = (
    "Your form expired, or your browser blocked the cookie this form needs. Nothing was sent. "
    "Go back, reload the page and send the form again."
)

FALLBACK_PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} | FindCare</title></head>
<body>
<p><strong>In crisis?</strong> Call or text <a href="tel:988">988</a>. SAMHSA National Helpline
<a href="tel:+18006624357">1-800-662-4357</a> (free, 24/7). Emergency <a href="tel:911">911</a>.</p>
<main><h1>{title}</h1><p>{message}</p>
<p><a href="/">Home page</a> · <a href="/find/">Find treatment</a></p></main>
</body>
</html>
"""


def is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def api_error(status: int, detail: str | None = None, errors: dict | None = None) -> JsonResponse:
    """The API's error body, the same shape as its documented ErrorOut."""
    detail = detail or MESSAGES.get(status, (HTTPStatus(status).phrase, ""))[0]
    return JsonResponse({"detail": detail, "errors": errors or {}}, status=status)


def error_response(request, status: int, *, message: str | None = None, use_context=True) -> HttpResponse:
    if is_api(request):
        return api_error(status, message)
    title, default_message = MESSAGES.get(status, (HTTPStatus(status).phrase, ""))
    message = message or default_message
    try:
        template = loader.get_template(f"{status}.html" if status in {404, 500} else "error.html")
        content = template.render(
            {"title": title, "message": message, "status": status}, request if use_context else None
        )
    except Exception:  # the page must render whatever else is broken
        logger.exception("Error page %s could not render; sending the built-in page", status)
        content = FALLBACK_PAGE.format(title=escape(title), message=escape(message))
    return HttpResponse(content, status=status)


def bad_request(request, exception=None):
    return error_response(request, 400)


def permission_denied(request, exception=None):
    return error_response(request, 403)


def page_not_found(request, exception=None):
    return error_response(request, 404)


def server_error(request):
    # No request context: the context processors (user, messages) may be
    # what failed.
    return error_response(request, 500, use_context=False)


def csrf_failure(request, reason=""):
    return error_response(request, 403, message=CSRF_MESSAGE)


def login_username(request, credentials):
    """The name a login attempt used, for django-axes' log: Django and
    Wagtail send `username`, allauth `email` or its `login` field."""
    credentials = credentials or {}
    for name in ("username", "email", "login"):
        if credentials.get(name):
            return credentials[name]
    post = getattr(request, "POST", None) or {}
    return post.get("login") or post.get("username") or None
