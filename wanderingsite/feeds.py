"""Feeds of the newest pages of the whole archive, and of one tag, each in Atom
and as its RSS 2.0 twin.

Both carry an ``<?xml-stylesheet?>`` that turns the feed into a readable page
in a browser (``static/feeds/feed.xsl``), and are served as
``application/xml``: browsers apply a stylesheet to that type, while the
Atom and RSS types make them show the text or download it. The format is
named where the feeds are announced (``includes/feed_links.html``).

Every entry says two dates: the page's own (an essay's publication, a film's
release, an event's day, as precise as the source) and the day the archive
published the page. Atom has a field for each: ``published`` is an essay's
publication date (for films and events, which are the archive's own pages, the
day it published them) and ``updated`` the archive's latest published
revision. RSS has one: ``pubDate`` is when the archive added the page, the
order the feed lists them in, with an essay's publication date beside it in
``dc:date``. Both say the two dates in words in the entry's text.
"""

from __future__ import annotations

import datetime

from django.contrib.syndication.views import Feed
from django.db.models import Q
from django.http import Http404
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, Stylesheet
from django.utils.html import escape, format_html_join
from django.utils.translation import gettext as _
from django.utils.xmlutils import SimplerXMLGenerator
from wagtail.models import Page

from .dates import DatePrecision, format_precise_date, iso_precise_date
from .page_types import archive_types
from .selectors import specific_pages, visible_tag
from .templatetags.archive_tags import _CJK_RUN, lang_marks
from .visibility import visible_q

FEED_LENGTH = 30
SITE_NAME = "The Wandering Earth Archive"
FEED_CONTENT_TYPE = "application/xml; charset=utf-8"
FEED_STYLESHEET = "feeds/feed.xsl"
XHTML = "http://www.w3.org/1999/xhtml"
DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"
NOT_RECORDED = "not recorded in the archive's sources"
# RFC 3339 needs a time of day: noon UTC keeps a source's calendar date the
# same day for readers in every time zone from UTC-11 to UTC+11.
_NOON_UTC = datetime.time(12, tzinfo=datetime.UTC)


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


def _day(moment: datetime.datetime) -> str:
    return format_precise_date(timezone.localtime(moment).date(), DatePrecision.DAY)


def dates_line(page) -> str:
    """The entry's two dates in words: "Published: May 2019. Added to the
    archive: 1 December 2026." """
    archive_type = archive_types.for_model(type(page))
    parts = []
    if archive_type is not None and archive_type.date_label:
        own, precision = archive_type.own_date(page)
        if own is None:
            parts.append(f"{archive_type.date_label}: {NOT_RECORDED}.")
        else:
            shown = format_precise_date(own, precision)
            parts.append(f"{archive_type.date_label}: {shown}.")
    if page.first_published_at:
        added = _day(page.first_published_at)
        parts.append(_("Added to the archive: %(day)s.") % {"day": added})
    return " ".join(parts)


def publication_date(page) -> tuple[datetime.date, str] | None:
    """The date a text the page holds was first published elsewhere, if it is
    such a page and the date is recorded: (date, precision)."""
    archive_type = archive_types.for_model(type(page))
    if archive_type is None or not archive_type.published_elsewhere:
        return None
    own, precision = archive_type.own_date(page)
    return None if own is None else (own, precision)


def _entry_paragraphs(page) -> list[str]:
    return [text for text in (page.summary, dates_line(page)) if text]


def _xhtml_paragraph(handler, text: str) -> None:
    """``text`` as a ``<p>``, each run of Chinese characters in a ``lang="zh"`` span."""
    handler.startElement("p", {})
    start = 0
    for run in _CJK_RUN.finditer(text):
        handler.characters(text[start : run.start()])
        handler.addQuickElement("span", run.group(0), {"lang": "zh"})
        start = run.end()
    handler.characters(text[start:])
    handler.endElement("p")


class StyledFeedMixin:
    """A feed generator that names its stylesheet and is served as XML."""

    content_type = FEED_CONTENT_TYPE

    def add_stylesheets(self, handler):
        for stylesheet in self.feed["stylesheets"] or []:
            handler.processingInstruction("xml-stylesheet", str(stylesheet))


class ArchiveAtomFeed(StyledFeedMixin, Atom1Feed):
    """Atom with a stylesheet, whose summaries are ``type="text"`` and whose
    content is the summary and the dates line as XHTML paragraphs.

    Summaries are the editors' plain sentences; Django sends them as
    ``type="html"``, so a reader would render any markup typed into one. In
    XHTML content they are text nodes, so markup stays text too.
    """

    def write(self, outfile, encoding):
        # Atom1Feed.write with the stylesheets, which Django adds to RSS only.
        handler = SimplerXMLGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        self.add_stylesheets(handler)
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})
        if item.get("paragraphs"):
            handler.startElement("content", {"type": "xhtml"})
            handler.startElement("div", {"xmlns": XHTML})
            for text in item["paragraphs"]:
                _xhtml_paragraph(handler, text)
            handler.endElement("div")
            handler.endElement("content")


class ArchiveRssFeed(StyledFeedMixin, Rss201rev2Feed):
    """RSS 2.0 with a stylesheet; each item's guid is its link, and an essay's
    publication date is in ``dc:date`` (W3C-DTF, as precise as the source).

    RSS never says whether a title is text or HTML, and readers render both;
    titles are escaped, as Django's own feeds escape them, so that markup
    typed into one stays text either way. Descriptions are HTML.
    """

    def write(self, outfile, encoding):
        self.feed = {
            **self.feed,
            "title": escape(self.feed["title"]),
            "description": escape(self.feed["description"] or ""),
        }
        super().write(outfile, encoding)

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:dc": DUBLIN_CORE}

    def add_item_elements(self, handler, item):
        item = {
            **item,
            "title": escape(item["title"]),
            "unique_id": item["link"],
            "unique_id_is_permalink": True,
        }
        super().add_item_elements(handler, item)
        if item.get("published_iso"):
            handler.addQuickElement("dc:date", item["published_iso"])


class ArchiveFeed(Feed):
    """An Atom feed of archive pages; ``rss`` gives its RSS twin."""

    feed_type = ArchiveAtomFeed
    author_name = SITE_NAME
    rss = False

    def stylesheets(self):
        return [Stylesheet(static(FEED_STYLESHEET), mimetype="text/xsl")]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        if self.rss:
            paragraphs = _entry_paragraphs(item)
            return format_html_join(
                "", "<p>{}</p>", ((lang_marks(text),) for text in paragraphs)
            )
        return item.summary

    def item_link(self, item):
        return item.get_url()

    def item_guid(self, item):
        return item.get_url()

    def item_pubdate(self, item):
        published = publication_date(item)
        if published is None or self.rss:
            return item.first_published_at
        return datetime.datetime.combine(published[0], _NOON_UTC)

    def item_updateddate(self, item):
        return item.last_published_at or item.first_published_at

    def item_categories(self, item):
        return item.feed_categories

    def item_extra_kwargs(self, item):
        published = publication_date(item)
        return {
            "paragraphs": _entry_paragraphs(item),
            "published_iso": iso_precise_date(*published) if published else "",
        }


class RssFeedMixin:
    feed_type = ArchiveRssFeed
    rss = True


class LatestFeed(ArchiveFeed):
    title = f"{SITE_NAME}: newest films, essays and events"
    subtitle = description = "Films, essays and film-policy events, newest first."
    url_name = "latest_feed"

    def link(self):
        return "/"

    def feed_url(self):
        return reverse(self.url_name)

    def items(self):
        return _newest(Page.objects.all())


class LatestRssFeed(RssFeedMixin, LatestFeed):
    url_name = "latest_rss_feed"


class TagFeed(ArchiveFeed):
    url_name = "tag_feed"

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

    def description(self, tag):
        return self.subtitle(tag)

    def link(self, tag):
        return tag.get_absolute_url()

    def feed_url(self, tag):
        return reverse(self.url_name, args=[tag.slug])

    def items(self, tag):
        tagged = Q()
        for t in archive_types:
            tagged |= Q(
                pk__in=t.tag_through.objects.filter(tag=tag).values("content_object_id")
            )
        return _newest(Page.objects.filter(tagged))


class TagRssFeed(RssFeedMixin, TagFeed):
    url_name = "tag_rss_feed"
