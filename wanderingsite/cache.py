"""The page cache for anonymous visitors (wagtail-cache), and when it is purged.

Every page shows others (lists, counts, tags, names), so any public change
empties the whole cache, once the change is committed: a purge inside the
transaction would let a request in between cache the old page again.
"""

import logging
from threading import Timer
from urllib.parse import urlsplit
from urllib.request import Request, urlopen

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move
from wagtailcache.cache import clear_cache

from .middleware import is_admin_request
from .models import ArchiveTag, Person
from .replicas import replica_configured

UNCACHED_PATHS = ("/healthz",)
logger = logging.getLogger(__name__)


def purge_page_cache() -> None:
    """Empty the page cache once the current transaction commits (now, outside one)."""
    transaction.on_commit(_clear_now_and_after_replicas)


def _clear_now_and_after_replicas() -> None:
    _clear_everywhere()
    if replica_configured():
        # A visitor's page built in between from a replica that had not yet
        # replayed the change would otherwise stay cached.
        Timer(settings.REPLICA_PURGE_DELAY, _clear_everywhere).start()


def _clear_everywhere() -> None:
    clear_cache()
    if settings.PROXY_BAN_URL:
        ban_proxy(settings.PROXY_BAN_URL)


def ban_proxy(url: str) -> None:
    """Ask the proxy in front (Varnish) to drop every page it keeps: a ``BAN``,
    as Wagtail's front-end cache invalidation purges one page's URLs."""
    if urlsplit(url).scheme not in ("http", "https"):
        logger.error("PROXY_BAN_URL must be an http:// address, not %r", url)
        return
    try:
        with urlopen(Request(url, method="BAN"), timeout=2):  # noqa: S310
            pass
    except OSError:
        logger.warning("The proxy at %s did not take the ban", url, exc_info=True)


# A save of only these records a person's draft or lock: the public sees nothing new.
PERSON_BOOKKEEPING = frozenset(
    {"latest_revision", "has_unpublished_changes", "locked", "locked_at", "locked_by"}
)


def _purge(**kwargs) -> None:
    purge_page_cache()


def _purge_for_person(update_fields=None, **kwargs) -> None:
    if update_fields and set(update_fields) <= PERSON_BOOKKEEPING:
        return
    purge_page_cache()


def connect_purges() -> None:
    """Purge on publish, unpublish, move, delete, privacy, and any change to a
    tag, redirect, site, image or document, or to a person's live version (an
    editor's draft of a person leaves the row, and the cache, as it is)."""
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(_purge, dispatch_uid=f"page-cache-{id(signal)}")
    # Publishing covers a page's saves; deleting one sends post_delete for its
    # Page row too, whatever its type.
    post_delete.connect(_purge, sender=Page, dispatch_uid="page-cache-page-delete")
    for signal in (post_save, post_delete):
        uid = f"page-cache-person-{id(signal)}"
        signal.connect(_purge_for_person, sender=Person, dispatch_uid=uid)
    watched = (
        PageViewRestriction,
        ArchiveTag,
        Redirect,
        Site,
        get_image_model(),
        get_document_model(),
    )
    for model in watched:
        for signal in (post_save, post_delete):
            signal.connect(
                _purge, sender=model, dispatch_uid=f"page-cache-{model._meta.label}"
            )


def is_request_cacheable(request: HttpRequest, is_cacheable: bool) -> bool:
    """Never the admin (its login page and previews included) or the health check."""
    if is_admin_request(request) or request.path.startswith(UNCACHED_PATHS):
        return False
    return is_cacheable


def is_response_cacheable(response: HttpResponse, is_cacheable: bool) -> bool:
    """Never a response that sets a cookie or that asks not to be stored."""
    if response.cookies or "no-store" in response.get("Cache-Control", ""):
        return False
    return is_cacheable
