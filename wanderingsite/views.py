"""The tag pages: every tag with its counts, and one tag across all types;
the search page; Wagtail's page view, routed by ``routing``."""

from django.contrib.sitemaps import views as sitemap_views
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail import views as wagtail_views

from .citing import listing_reference
from .page_types import archive_types
from .routing import route_for_request
from .search import search_archive
from .selectors import tag_counts, tag_detail
from .sitemaps import index_entries, sitemaps
from .sites import site_root_url

TAGS_PER_PAGE = 100


def serve_page(request, path: str):
    """Wagtail's page view; the route it reads from the request is ours."""
    route_for_request(request, path)
    return wagtail_views.serve(request, path)


def _home_crumb() -> dict:
    return {"title": _("Home"), "url": "/"}


def _collection(name: str, url: str, **extra) -> dict:
    """JSON-LD for a page that gathers others."""
    return {
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "name": name,
        "url": url,
        **extra,
    }


def tag_index(request):
    shown = Paginator(tag_counts(), TAGS_PER_PAGE).get_page(request.GET.get("page"))
    canonical = f"{site_root_url(request)}{reverse('tag_index')}"
    if shown.number > 1:
        canonical += f"?page={shown.number}"
    context = {
        "types": list(archive_types),
        "tags": shown,
        "rows": [
            (tag, [getattr(tag, t.count_name) for t in archive_types]) for tag in shown
        ],
        "seo_title": _("Tags"),
        "meta_description": _(
            "Every tag in the archive, with how many films, essays and policy "
            "events carry it."
        ),
        "canonical_url": canonical,
        "breadcrumbs": [_home_crumb()],
        "json_ld": _collection(_("Tags"), canonical),
    }
    return render(request, "wanderingsite/tag_index.html", context)


def tag_page(request, slug: str):
    # Slugs may be Chinese or accented, so the URL takes any segment; the
    # lookup refuses what no slug could be before the database sees it.
    detail = tag_detail(
        slug=slug, type=request.GET.get("type"), page=request.GET.get("page")
    )
    if detail is None:
        # Raised, not rendered, so that the redirects middleware still sees a
        # 404 and can send a renamed or merged tag's old address on.
        raise Http404(_("No such tag"))
    tag = detail.tag
    canonical = f"{site_root_url(request)}{tag.get_absolute_url()}"
    chosen = detail.chosen
    if chosen is not None:
        number = chosen.page.number
        canonical += chosen.query + (f"&page={number}" if number > 1 else "")
    description = tag.description or _(
        "Films, essays and policy events tagged “%(tag)s”."
    ) % {"tag": tag.name}
    title = tag.name
    if chosen is not None:
        title = _("%(type)s tagged “%(tag)s”") % {
            "type": chosen.type.verbose_name_plural.capitalize(),
            "tag": tag.name,
        }
    context = {
        "detail": detail,
        "tag": tag,
        # includes/feed_links.html announces the tag's feed in <head>.
        "feed_tag": tag,
        "seo_title": _("Tag: %(tag)s") % {"tag": title},
        "crumb_title": title,
        "meta_description": description,
        "canonical_url": canonical,
        # A ?type= naming no type shows the whole tag: not a page of its own.
        "noindex": detail.type_requested and chosen is None,
        "breadcrumbs": [
            _home_crumb(),
            {"title": _("Tags"), "url": reverse("tag_index")},
            *([{"title": tag.name, "url": tag.get_absolute_url()}] if chosen else []),
        ],
        "json_ld": _collection(
            title,
            canonical,
            description=description,
            numberOfItems=chosen.count if chosen else detail.total,
        ),
        "cite": listing_reference(
            title=_("Tag: %(tag)s") % {"tag": title},
            url=canonical,
            genre=_("tag"),
            key=f"wea-tag-{tag.slug}",
        ),
    }
    return render(request, "wanderingsite/tag_page.html", context)


def sitemap_index(request):
    """/sitemap.xml: the sections, each page of each."""
    return TemplateResponse(
        request,
        "sitemap_index.xml",
        {"sitemaps": index_entries(request)},
        content_type="application/xml",
    )


def sitemap_section(request, section: str):
    """/sitemap-<section>.xml?p=<n>: one page of a section; 404 past the last."""
    return sitemap_views.sitemap(request, sitemaps(request), section=section)


def search_view(request):
    params = request.GET
    search = search_archive(
        query=params.get("q", ""),
        type=params.get("type"),
        tag=params.get("tag"),
        page=params.get("page", 1),
        sort=params.get("sort"),
    )
    json_ld = {
        "@context": "https://schema.org",
        "@type": "SearchResultsPage",
        "name": "Search the archive",
        "url": f"{site_root_url(request)}{request.path}",
    }
    return TemplateResponse(
        request, "search/search.html", {"search": search, "json_ld": json_ld}
    )
