"""The tag pages: every tag with its counts, and one tag across all types;
the search page."""

import re

from django.http import Http404
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from .search import search_archive
from .selectors import tag_counts, tag_detail
from .sites import site_root_url

TAG_SLUG = re.compile(r"[-\w]{1,100}")


def _home_crumb() -> dict:
    return {"title": _("Home"), "url": "/"}


def tag_index(request):
    tags = list(tag_counts())
    canonical = f"{site_root_url(request)}/tags/"
    context = {
        "tags": tags,
        "seo_title": _("Tags"),
        "meta_description": _(
            "Every tag in the archive, with how many films, essays and policy "
            "events carry it."
        ),
        "canonical_url": canonical,
        "breadcrumbs": [_home_crumb()],
        "json_ld": {
            "@context": "https://schema.org",
            "@type": "CollectionPage",
            "name": _("Tags"),
            "url": canonical,
        },
    }
    return render(request, "wanderingsite/tag_index.html", context)


def tag_page(request, slug: str):
    # Slugs may be Chinese or accented (taggit keeps unicode), so the URL takes
    # any segment; what no slug could be is refused before the database sees it.
    detail = tag_detail(slug=slug) if TAG_SLUG.fullmatch(slug) else None
    if detail is None:
        # Raised, not rendered, so that the redirects middleware still sees a
        # 404 and can send a renamed or merged tag's old address on.
        raise Http404(_("No such tag"))
    tag = detail.tag
    canonical = f"{site_root_url(request)}{tag.get_absolute_url()}"
    description = tag.description or _(
        "Films, essays and policy events tagged “%(tag)s”."
    ) % {"tag": tag.name}
    context = {
        "detail": detail,
        "tag": tag,
        # includes/feed_links.html announces the tag's feed in <head>.
        "feed_tag": tag,
        "seo_title": _("Tag: %(tag)s") % {"tag": tag.name},
        "crumb_title": tag.name,
        "meta_description": description,
        "canonical_url": canonical,
        "breadcrumbs": [_home_crumb(), {"title": _("Tags"), "url": "/tags/"}],
        "json_ld": {
            "@context": "https://schema.org",
            "@type": "CollectionPage",
            "name": tag.name,
            "url": canonical,
            "description": description,
            "numberOfItems": detail.total,
        },
    }
    return render(request, "wanderingsite/tag_page.html", context)


def search_view(request):
    params = request.GET
    search = search_archive(
        query=params.get("q", ""),
        type=params.get("type"),
        tag=params.get("tag"),
        page=params.get("page", 1),
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
