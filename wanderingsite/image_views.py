"""The share images (``og:image``) of pages, tags and the rest of the site, and
the site's icons: PNGs and an ICO drawn by ``share_images``."""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.urls import reverse
from wagtail.models import Page

from .page_types import archive_types
from .selectors import visible_tag
from .share_images import (
    ShareCard,
    favicon_ico,
    share_image,
    touch_icon_png,
)
from .sites import site_root_url
from .visibility import visible_q


def _png(data: bytes) -> HttpResponse:
    return HttpResponse(data, content_type="image/png")


def page_card(page: Page) -> ShareCard:
    """What a page's share image shows: its kind, title and original title."""
    archive_type = archive_types.for_model(type(page))
    return ShareCard(
        title=page.title,
        eyebrow=str(archive_type.singular) if archive_type else "",
        original_title=getattr(page, "original_title", "") or "",
    )


def page_share_image(request, page_id: int):
    """A public page's share image; a 404 for any page the public may not see."""
    page = Page.objects.filter(visible_q(), pk=page_id, depth__gt=1).specific().first()
    if page is None or page.get_url(request) is None:
        raise Http404
    return _png(share_image(page_card(page), version=f"page-{page.pk}"))


def tag_share_image(request, slug: str):
    """A tag's share image, for a tag some visible page carries."""
    tag = visible_tag(slug=slug)
    if tag is None:
        raise Http404
    card = ShareCard(title=tag.name, eyebrow="Tag")
    return _png(share_image(card, version=f"tag-{tag.pk}"))


def site_share_image(request):
    """The share image of the pages that are no page or tag: lists, search."""
    return _png(share_image(ShareCard(title=settings.WAGTAIL_SITE_NAME, footer="")))


def share_image_path(*, page=None, tag=None) -> str:
    """The share image's path for a page (a saved one), else a tag, else the site."""
    if page is not None and getattr(page, "pk", None) and isinstance(page, Page):
        return reverse("page_share_image", args=[page.pk])
    if tag is not None and getattr(tag, "slug", None):
        return reverse("tag_share_image", args=[tag.slug])
    return reverse("site_share_image")


def share_image_url(request, **found) -> str:
    return f"{site_root_url(request)}{share_image_path(**found)}"


def favicon(request):
    return HttpResponse(favicon_ico(), content_type="image/x-icon")


def touch_icon(request):
    return _png(touch_icon_png())
