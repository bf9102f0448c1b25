"""The page a path names, found in three queries at any depth.

Wagtail routes a level at a time: from the site's root page (read again as
its own type), each level's page row and then its type's row, and then one
query more for the view restrictions of the page and its ancestors. Every page
stores its ``url_path``, so the page and every page above it are one query
away, with whether each holds a view restriction; the page's own type is one
query more. Anything unusual (an alias on the way, a restriction, two pages
claiming one path) is left to Wagtail's own routing and checks.

The site, the levels and the page's own row are read with plain SQL through
``Model.objects.raw`` (so database routers still choose the connection): these
three statements run on every page view, and building them with the ORM cost
ten times as long as running them (benchmarks/README.md).
"""

import itertools

from django.http import Http404
from django.http.request import split_domain_port
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.url_routing import RouteResult

# Wagtail's order of preference among the sites a request could be for
# (wagtail.models.sites.get_site_for_hostname).
MATCH_HOSTNAME_PORT, MATCH_HOSTNAME_DEFAULT, MATCH_DEFAULT, MATCH_HOSTNAME = range(4)


def _site_rank(site: Site, hostname: str, port: int) -> int:
    if site.hostname == hostname and site.port == port:
        return MATCH_HOSTNAME_PORT
    if site.hostname == hostname and site.is_default_site:
        return MATCH_HOSTNAME_DEFAULT
    if site.is_default_site:
        return MATCH_DEFAULT
    return MATCH_HOSTNAME


def find_site(request) -> Site | None:
    """``Site.find_for_request``, the same choice in one plain statement;
    cached on the request where Wagtail looks for it."""
    if hasattr(request, "_wagtail_site"):
        return request._wagtail_site
    hostname = split_domain_port(request._get_raw_host())[0]
    port = int(request.get_port())
    table = Site._meta.db_table
    sites = sorted(
        Site.objects.raw(
            f"SELECT * FROM {table} WHERE hostname = %s OR is_default_site",  # noqa: S608
            [hostname],
        ),
        key=lambda site: _site_rank(site, hostname, port),
    )
    site = None
    if len(sites) == 1 or (
        sites and _site_rank(sites[0], hostname, port) < MATCH_DEFAULT
    ):
        site = sites[0]
    elif sites and _site_rank(sites[0], hostname, port) == MATCH_DEFAULT:
        site = sites[len(sites) == 2]
    request._wagtail_site = site
    return site


def _levels(prefixes: list[str]) -> list[Page]:
    """The pages stored at ``prefixes``, shallowest first, each marked with
    whether it holds a view restriction."""
    pages = Page._meta.db_table
    restrictions = PageViewRestriction._meta.db_table
    placeholders = ", ".join(["%s"] * len(prefixes))
    # Table names from the models, values as parameters.
    restricted = f"EXISTS (SELECT 1 FROM {restrictions} r WHERE r.page_id = p.id)"  # noqa: S608
    sql = (
        f"SELECT p.*, {restricted} AS restricted FROM {pages} p"  # noqa: S608
        f" WHERE p.url_path IN ({placeholders}) ORDER BY p.depth"
    )
    levels = list(Page.objects.raw(sql, prefixes))
    for level in levels:
        level.restricted = bool(level.restricted)
    return levels


def _specific(page: Page) -> Page:
    """``page.specific``, its own type's row read alone: the columns it
    inherits are the ones ``page`` already holds."""
    model = page.specific_class
    if model is None or isinstance(page, model):
        return page
    if model._meta.get_parent_list() != [Page]:
        return page.specific
    pointer = model._meta.pk.column
    rows = list(
        model.objects.raw(
            f"SELECT * FROM {model._meta.db_table} WHERE {pointer} = %s",  # noqa: S608
            [page.pk],
        )
    )
    if not rows:
        return page.specific
    specific = rows[0]
    own = {field.attname for field in model._meta.concrete_fields}
    for field in Page._meta.concrete_fields:
        specific.__dict__[field.attname] = page.__dict__[field.attname]
    for name, value in page.__dict__.items():
        if name not in own and name != "_state":
            specific.__dict__[name] = value
    return specific


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
    return _route(root.url_path, lambda: root, request, path_components)


def _route(root_path: str, root, request, path_components: list[str]) -> RouteResult:
    """Route from the page stored at ``root_path``; ``root()`` gives that page
    where Wagtail's own routing has to take over."""
    target = root_path + "".join(f"{slug}/" for slug in path_components)
    levels = _levels(_url_path_prefixes(target))
    root_depth = len(_url_path_prefixes(root_path))
    depths = [level.depth for level in levels]
    if (
        depths != list(range(1, len(levels) + 1))
        or len(levels) < root_depth
        or levels[root_depth - 1].url_path != root_path
        or any(
            not below.path.startswith(above.path)
            for above, below in itertools.pairwise(levels)
        )
    ):
        # Two pages share a path, or the stored url_paths disagree with the tree.
        return Page.route(root().specific, request, path_components)
    if path_components and len(levels) == root_depth:
        raise Http404
    for above, below in itertools.pairwise(levels):
        below._cached_parent_obj = above
    # The specific page keeps the row's attributes (its parent, ``restricted``).
    page = _specific(levels[-1])
    if not any(level.restricted or level.alias_of_id for level in levels):
        page.known_view_restrictions = ()
    # What is left of the path (a page the tree does not hold) is the page's
    # own to route: Wagtail's 404, or a route of the page type's own.
    return page.route(request, path_components[page.depth - root_depth :])


def _root_path(site: Site) -> str | None:
    """The ``url_path`` of ``site``'s root page, from Wagtail's cached list."""
    for root in Site.get_site_root_paths():
        if root.site_id == site.pk:
            return root.root_path
    return None


def route_for_request(request, path: str) -> RouteResult | None:
    """Wagtail's ``Page.route_for_request``, cached on the request where
    Wagtail looks for it, so that its view and its hooks reuse the route."""
    if not hasattr(request, "_wagtail_route_for_request"):
        try:
            site = find_site(request)
            components = [component for component in path.split("/") if component]
            root_path = _root_path(site) if site else None
            if site is None:
                route = None
            elif root_path is None:
                route = route_below(site.root_page.localized, request, components)
            else:
                route = _route(
                    root_path, lambda: site.root_page.localized, request, components
                )
            request._wagtail_route_for_request = route
        except Http404:
            request._wagtail_route_for_request = None
    return request._wagtail_route_for_request
