"""The page a path names, found in two queries at any depth.

Wagtail routes a level at a time: from the site's root page (read again as
its own type), each level's page row and then its type's row, and then one
query more for the view restrictions of the page and its ancestors. Every page
stores its ``url_path``, so the page and every page above it are one query
away, with whether each holds a view restriction; the page's own type is one
query more. Anything unusual (an alias on the way, a restriction, two pages
claiming one path) is left to Wagtail's own routing and checks.
"""

import itertools

from django.db.models import Exists, OuterRef
from django.http import Http404
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.url_routing import RouteResult


def _url_path_prefixes(url_path: str) -> list[str]:
    """``/home/films/x/`` -> ``/``, ``/home/``, ``/home/films/``, ``/home/films/x/``."""
    parts = [part for part in url_path.split("/") if part]
    return [
        "/" + "".join(f"{part}/" for part in parts[:end])
        for end in range(len(parts) + 1)
    ]


def route_below(root: Page, request, path_components: list[str]) -> RouteResult:
    """Route ``path_components`` from ``root`` as Wagtail's ``Page.route`` would;
    raises ``Http404`` where it would."""
    if not path_components:
        return Page.route(root.specific, request, path_components)
    target = root.url_path + "".join(f"{slug}/" for slug in path_components)
    levels = list(
        Page.objects.filter(url_path__in=_url_path_prefixes(target))
        .annotate(
            restricted=Exists(PageViewRestriction.objects.filter(page=OuterRef("pk")))
        )
        .order_by("depth")
    )
    depths = [level.depth for level in levels]
    if depths != list(range(1, len(levels) + 1)) or any(
        not below.path.startswith(above.path)
        for above, below in itertools.pairwise(levels)
    ):
        # Two pages share a path, or the stored url_paths disagree with the tree.
        return Page.route(root.specific, request, path_components)
    if len(levels) <= root.depth:
        raise Http404
    for above, below in itertools.pairwise(levels):
        below._cached_parent_obj = above
    # The specific page keeps the row's attributes (its parent, ``restricted``).
    page = levels[-1].specific
    if not any(level.restricted or level.alias_of_id for level in levels):
        page.known_view_restrictions = ()
    # What is left of the path (a page the tree does not hold) is the page's
    # own to route: Wagtail's 404, or a route of the page type's own.
    return page.route(request, path_components[page.depth - root.depth :])


def route_for_request(request, path: str) -> RouteResult | None:
    """Wagtail's ``Page.route_for_request``, cached on the request where
    Wagtail looks for it, so that its view and its hooks reuse the route."""
    if not hasattr(request, "_wagtail_route_for_request"):
        try:
            site = Site.find_for_request(request)
            components = [component for component in path.split("/") if component]
            request._wagtail_route_for_request = (
                route_below(site.root_page.localized, request, components)
                if site
                else None
            )
        except Http404:
            request._wagtail_route_for_request = None
    return request._wagtail_route_for_request
