"""Headers every response carries: the content policy, the permissions policy,
and what a browser may keep."""

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


def is_admin_path(path: str) -> bool:
    return path.startswith(settings.ADMIN_URL_PREFIXES)


def is_admin_request(request: HttpRequest) -> bool:
    """Under the admin, or a preview the admin renders (Wagtail passes a preview
    through the middleware as a request for the page's own path)."""
    return getattr(request, "is_preview", False) or is_admin_path(request.path)


class ArchiveCSPMiddleware(CSPMiddleware):
    """``CONTENT_SECURITY_POLICY`` on public pages, ``ADMIN_CONTENT_SECURITY_POLICY``
    for the admin and its previews, which its own scripts and frames need."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None and is_admin_request(request):
            parts.config = default_config(
                settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
            )
        return parts


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class BrowserCacheMiddleware:
    """Pages from the page cache are revalidated by browsers on every visit.

    The page cache sets ``max-age`` to its own timeout; a browser keeping the
    page that long would show it after a purge. A proxy or CDN in front may
    keep it ``PROXY_CACHE_SECONDS``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.get(settings.WAGTAIL_CACHE_HEADER) in ("hit", "miss"):
            del response["Expires"]
            del response["Cache-Control"]
            patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
            if settings.PROXY_CACHE_SECONDS:
                patch_cache_control(response, s_maxage=settings.PROXY_CACHE_SECONDS)
        return response


def client_ip(request: HttpRequest) -> str | None:
    """The visitor's address, as sign-in throttling counts it.

    ``REMOTE_ADDR``; behind ``TRUSTED_PROXY_COUNT`` proxies that each append to
    ``X-Forwarded-For``, the address the outermost of them saw.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        header = request.META.get("HTTP_X_FORWARDED_FOR", "")
        forwarded = [part.strip() for part in header.split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")
