"""Atom feeds: the newest pages of the whole archive, and of one tag."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from wagtail.models import Page

from .page_types import archive_types
from .selectors import specific_pages, visible_tag
from .visibility import visible_q

FEED_LENGTH = 30
SITE_NAME = "The Wandering Earth Archive"


def _newest(pages) -> list[Page]:
    """The ``FEED_LENGTH`` newest visible pages of ``pages``, specific, with tags."""
    newest = specific_pages(
        pages.filter(visible_q())
        .type(*archive_types.models)
        .order_by("-first_published_at", "-pk")[:FEED_LENGTH]
    )
    ids = [page.pk for page in newest]
    names: dict[int, list[str]] = {pk: [] for pk in ids}
    rows = [
        t.tag_through.objects.filter(content_object_id__in=ids)
        .order_by()
        .values_list("content_object_id", "tag__name")
        for t in archive_types
    ]
    for page_id, name in rows[0].union(*rows[1:], all=True):
        names[page_id].append(name)
    for page in newest:
        page.feed_categories = sorted(names[page.pk], key=str.casefold)
    return newest


class PlainTextAtomFeed(Atom1Feed):
    """Atom whose entry summaries are ``type="text"``.

    Summaries are the editors' plain sentences; Django sends them as
    ``type="html"``, so a reader would render any markup typed into one.
    """

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class ArchiveFeed(Feed):
    feed_type = PlainTextAtomFeed
    author_name = SITE_NAME

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.get_url()

    def item_guid(self, item):
        return item.get_url()

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at or item.first_published_at

    def item_categories(self, item):
        return item.feed_categories


class LatestFeed(ArchiveFeed):
    title = f"{SITE_NAME}: newest films, essays and events"
    subtitle = "Films, essays and film-policy events, newest first."

    def link(self):
        return "/"

    def feed_url(self):
        return reverse("latest_feed")

    def items(self):
        return _newest(Page.objects.all())


class TagFeed(ArchiveFeed):
    def get_object(self, request, slug):
        tag = visible_tag(slug=slug)
        if tag is None:
            # Raised, so that the redirects middleware can send a merged or
            # renamed tag's old feed address on.
            raise Http404("No such tag")
        return tag

    def title(self, tag):
        return f"{SITE_NAME}: tagged “{tag.name}”"

    def subtitle(self, tag):
        return tag.description or f"Films, essays and events tagged “{tag.name}”."

    def link(self, tag):
        return tag.get_absolute_url()

    def feed_url(self, tag):
        return reverse("tag_feed", args=[tag.slug])

    def items(self, tag):
        tagged = Q()
        for t in archive_types:
            tagged |= Q(
                pk__in=t.tag_through.objects.filter(tag=tag).values("content_object_id")
            )
        return _newest(Page.objects.filter(tagged))
