"""The site a request is for, as the public addresses it."""

from wagtail.models import Site


def site_root_url(request) -> str:
    """The site's root URL for ``request``, without a trailing slash."""
    site = Site.find_for_request(request) if request is not None else None
    if site is not None:
        return site.root_url
    return request.build_absolute_uri("/").rstrip("/") if request else ""
