"""Content-Security-Policy adjustment for the Wagtail admin only."""

from django.urls import reverse


class WagtailAdminCSPMiddleware:
    """Wagtail's admin (8.0) still starts its choosers, date pickers and
    inline panels with small inline <script> blocks, which the site-wide
    policy (script-src 'self') blocks, leaving editors with broken forms.
    Under the admin URL only, where every user is signed-in staff, inline
    scripts are allowed; the public site keeps the strict policy.

    Must come after csp.middleware.CSPMiddleware in MIDDLEWARE, so that it
    marks the response before CSPMiddleware writes the header."""

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
        return response
