"""Who is asking: the client's IP address, the same everywhere it matters:
sign-in lockouts (django-axes, AXES_CLIENT_IP_CALLABLE), allauth's rate
limits (portal.adapters), public form limits, CSV download slots."""

from django.conf import settings


def client_ip(request) -> str:
    """REMOTE_ADDR, or with TRUSTED_PROXY_COUNT trusted proxies in front,
    the address they saw (counted from the right of X-Forwarded-For, so a
    client cannot pick its own). Without it, everyone behind a load balancer
    would share one address and one limit."""
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = [
        part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
    ]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")
