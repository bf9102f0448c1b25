"""Permalinks by page id (``/p/<id>/``), which survive a change of slug or
place, and the downloads of a page's reference (``/p/<id>/cite.bib`` ...)."""

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _
from wagtail.models import Page

from .citing import FORMATS
from .visibility import visible_q

_LARGEST_ID = 2**31 - 1


def _public_page(page_id: str) -> Page:
    """The page with that id if the public may see it; else a 404, without a
    query for an id no page could have."""
    number = int(page_id)
    page = None
    if 0 < number <= _LARGEST_ID:
        page = Page.objects.filter(visible_q(), pk=number, depth__gt=1).first()
    if page is None:
        raise Http404(_("No such page"))
    return page


def permalink(request, page_id: str):
    """The page's address today."""
    url = _public_page(page_id).get_url(request)
    if not url:
        raise Http404(_("No such page"))
    return HttpResponseRedirect(url)


def cite_download(request, page_id: str, suffix: str):
    """The page's reference as a file in the format ``suffix`` names."""
    page = _public_page(page_id).specific
    get_reference = getattr(page, "get_reference", None)
    if get_reference is None:
        raise Http404(_("No such page"))
    reference = get_reference(request)
    download = reference.download(suffix)
    content_type = FORMATS[suffix][1]
    response = HttpResponse(
        reference.render(suffix), content_type=f"{content_type}; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{download.filename}"'
    return response
