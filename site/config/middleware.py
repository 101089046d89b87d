"""Site-wide request guards and response headers.

RequestGuardMiddleware (last in MIDDLEWARE, so every outer middleware still
adds its headers to what it returns) answers 400 before any view runs when a
request carries a NUL byte in its path, query string or form data (PostgreSQL
rejects NUL in text, so it would otherwise surface as a 500) or declares a
character set Python does not know. It also turns Django's empty 405
responses into our 405 page. (A Wagtail workflow action's data is checked
where its task is known: config/workflow_actions.py.)

SecurityHeadersMiddleware adds Permissions-Policy and
Cross-Origin-Resource-Policy to every response.

WagtailAdminCSPMiddleware lets the Wagtail admin (and only it) run inline
scripts under the site's Content-Security-Policy, and lets the admin's own
preview panel frame its preview responses (frame-ancestors 'self'); every
other response keeps frame-ancestors 'none'."""

import codecs

from csp.constants import SELF
from django.http import HttpResponseNotAllowed
from django.urls import reverse

from .errors import error_response

# Features the site never uses are switched off for it and anything it embeds.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in [
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    ]
)
# The search page's "Use my location" button asks the browser for a position.
SEARCH_PERMISSIONS_POLICY = PERMISSIONS_POLICY.replace("geolocation=()", "geolocation=(self)")


def has_nul(text: str) -> bool:
    return "\x00" in text or "%00" in text


def strip_body(response) -> None:
    if response.streaming:
        close = getattr(response.streaming_content, "close", None)
        if close:
            close()
        response.streaming_content = []
    else:
        response.headers.setdefault("Content-Length", str(len(response.content)))
        response.content = b""


class RequestGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = self.problem(request)
        if problem:
            return error_response(request, 400, message=problem)
        # HEAD is answered wherever GET is (monitors and link checkers use
        # it): the view runs as GET and the body is dropped.
        head = request.method == "HEAD"
        if head:
            request.method = "GET"
        response = self.get_response(request)
        if isinstance(response, HttpResponseNotAllowed) and not response.content:
            allowed = response["Allow"]
            response = error_response(request, 405)
            response["Allow"] = allowed
        if head:
            request.method = "HEAD"
            strip_body(response)
        return response

    def problem(self, request) -> str | None:
        if "\x00" in request.path or has_nul(request.META.get("QUERY_STRING", "")):
            return "The address contains a character that is not allowed (a NUL byte)."
        charset = request.content_params.get("charset") if request.content_params else None
        if charset:
            try:
                codecs.lookup(charset)
            except LookupError:
                return "The form was sent in a character set the site does not know. Send it as UTF-8."
        urlencoded = request.method == "POST" and request.content_type == "application/x-www-form-urlencoded"
        if urlencoded and (b"\x00" in request.body or b"%00" in request.body):
            return "The form contains a character that is not allowed (a NUL byte)."
        return None

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Multipart forms are checked once parsed (the CSRF check parses them
        # anyway), so uploads are not read twice.
        if request.method == "POST" and request.content_type == "multipart/form-data":
            for values in request.POST.lists():
                if any("\x00" in value for value in values[1]):
                    return error_response(request, 400, message="The form contains a NUL byte.")
        return None


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.search_path = None

    def __call__(self, request):
        response = self.get_response(request)
        if self.search_path is None:
            self.search_path = reverse("directory:search")
        policy = SEARCH_PERMISSIONS_POLICY if request.path == self.search_path else PERMISSIONS_POLICY
        response.headers.setdefault("Permissions-Policy", policy)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


class WagtailAdminCSPMiddleware:
    """Wagtail's admin (8.0) still starts its choosers, date pickers and
    inline panels with small inline <script> blocks, which the site-wide
    policy (script-src 'self') blocks, leaving editors with broken forms.
    Under the admin URL only, where every user is signed-in staff, inline
    scripts are allowed; the public site keeps the strict policy.

    Wagtail's preview views (the preview panel's page preview and the
    StreamField block previews) mark their responses X-Frame-Options:
    SAMEORIGIN, because the editor shows them in an iframe; the site-wide
    frame-ancestors 'none' would still block them (a blank preview panel and
    a Checks panel reading nothing). Under the admin URL only, a response so
    marked gets frame-ancestors 'self', consistent with its X-Frame-Options.
    Every other response keeps X-Frame-Options DENY and frame-ancestors 'none'.

    Must come after csp.middleware.CSPMiddleware in MIDDLEWARE, so that it
    marks the response before CSPMiddleware writes the header, and inside
    XFrameOptionsMiddleware, so that the only X-Frame-Options it sees is the
    one a view set itself."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = None

    def __call__(self, request):
        response = self.get_response(request)
        if self.prefix is None:
            self.prefix = reverse("wagtailadmin_home")
        if request.path.startswith(self.prefix):
            update = dict(getattr(response, "_csp_update", None) or {})
            update["script-src"] = [*update.get("script-src", []), "'unsafe-inline'"]
            response._csp_update = update
            if response.get("X-Frame-Options", "").upper() == "SAMEORIGIN":
                allow_framing_by_self(response)
        return response


def allow_framing_by_self(response) -> None:
    """frame-ancestors 'self' for one response. A page preview was rendered
    by Wagtail through the whole middleware chain again (a simulated request
    for the page's public URL), so it already carries the public page's
    policy: only its frame-ancestors changes. Other responses get theirs
    when CSPMiddleware writes the header."""
    header = "Content-Security-Policy"
    if header in response:
        parts = [part.strip() for part in response[header].split(";")]
        parts = [part for part in parts if part and part.split()[0] != "frame-ancestors"]
        response[header] = "; ".join([*parts, f"frame-ancestors {SELF}"])
    else:
        replace = dict(getattr(response, "_csp_replace", None) or {})
        replace["frame-ancestors"] = [SELF]
        response._csp_replace = replace
