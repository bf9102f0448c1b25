"""The sitemap: an index of sections (each archive type, the tags, the people,
the other pages), each a page of at most ``SITEMAP_LIMIT`` live public addresses with
their last change."""

from functools import cached_property

from django.contrib.contenttypes.models import ContentType
from django.contrib.sitemaps.views import SitemapIndexItem
from django.db.models import Count, Max
from django.db.models.functions import Coalesce
from django.urls import reverse
from wagtail.contrib.sitemaps import Sitemap

from .listing import CountedPaginator
from .models import ArchiveTag, Person, public_use_counts
from .page_types import ArchiveType, archive_types
from .sites import site_root_url
from .visibility import visible_q

SITEMAP_LIMIT = 500
"""Addresses per sitemap page; a section past it continues at ``?p=2``."""


class ArchiveSitemap(Sitemap):
    """Wagtail's sitemap of the live public pages below the site's root, at a
    fixed, small cost.

    A page's address and last change are page fields, so every page is built
    as its own type from the page row alone (``specific(defer=True)``), and
    privacy is the subquery the listings use. The section's size and last
    change come from one aggregate query, which the index reads too: Django's
    own would read every page to find the latest.
    """

    limit = SITEMAP_LIMIT

    def pages(self):
        """The pages of the section, visible, in the site."""
        return self.get_wagtail_site().root_page.get_descendants(inclusive=True)

    def items(self):
        return self.pages().filter(visible_q()).order_by("path").specific(defer=True)

    @cached_property
    def _summary(self) -> dict:
        return (
            self.pages()
            .filter(visible_q())
            .order_by()
            .aggregate(
                count=Count("pk"),
                latest=Max(Coalesce("last_published_at", "latest_revision_created_at")),
            )
        )

    @property
    def paginator(self):
        return CountedPaginator(self.items(), self.limit, count=self._summary["count"])

    def get_latest_lastmod(self):
        return self._summary["latest"]


class TypeSitemap(ArchiveSitemap):
    """The pages of one archive type."""

    def __init__(self, archive_type: ArchiveType, request=None):
        super().__init__(request)
        self.archive_type = archive_type

    def pages(self):
        return self.archive_type.model.objects.descendant_of(
            self.get_wagtail_site().root_page
        )

    def items(self):
        return self.pages().filter(visible_q()).order_by("path")


class OtherPagesSitemap(ArchiveSitemap):
    """Every page that is of no archive type: the home page and the indexes."""

    def pages(self):
        return super().pages().not_type(*archive_types.models)


class TagSitemap(ArchiveSitemap):
    """The page of every tag a visible page carries."""

    @cached_property
    def _tag_ids(self) -> list[int]:
        return list(public_use_counts())

    def items(self):
        return ArchiveTag.objects.filter(pk__in=self._tag_ids).order_by("name")

    @property
    def paginator(self):
        return CountedPaginator(self.items(), self.limit, count=len(self._tag_ids))

    def get_latest_lastmod(self):
        return None

    def _urls(self, page, protocol, domain):
        root = site_root_url(self.request)
        return [
            {
                "item": tag,
                "location": f"{root}{tag.get_absolute_url()}",
                "lastmod": None,
                "changefreq": None,
                "priority": None,
                "alternates": [],
            }
            for tag in self.paginator.page(page).object_list
        ]


class PeopleSitemap(TagSitemap):
    """The page of every person and institution the public may meet."""

    def items(self):
        return Person.objects.public().order_by("name", "pk")

    @cached_property
    def paginator(self):
        return CountedPaginator(self.items(), self.limit, count=self.items().count())


def index_entries(request) -> list[SitemapIndexItem]:
    """Every page of every section, for the index: one grouped query over the
    site's visible pages by type, one over the tags' uses and one counting the
    people, whatever the number of types, sections or pages."""
    root = site_root_url(request)
    sections = sitemaps(request)
    site_pages = sections["pages"].get_wagtail_site().root_page
    rows = (
        site_pages.get_descendants(inclusive=True)
        .filter(visible_q())
        .order_by()
        .values("content_type_id")
        .annotate(
            count=Count("pk"),
            latest=Max(Coalesce("last_published_at", "latest_revision_created_at")),
        )
    )
    by_type = ContentType.objects.get_for_models(*archive_types.models)
    type_of = {ct.pk: model for model, ct in by_type.items()}
    summaries: dict[str, dict] = {
        name: {"count": 0, "latest": None} for name in sections
    }
    for row in rows:
        model = type_of.get(row["content_type_id"])
        t = archive_types.for_model(model) if model else None
        summary = summaries[t.plural_key if t else "pages"]
        summary["count"] += row["count"]
        if row["latest"] and (
            summary["latest"] is None or row["latest"] > summary["latest"]
        ):
            summary["latest"] = row["latest"]
    for name in ("tags", "people"):
        summaries[name]["count"] = sections[name].paginator.count
    entries = []
    for name, summary in summaries.items():
        url = f"{root}{reverse('sitemap_section', kwargs={'section': name})}"
        pages = max(1, -(-summary["count"] // sections[name].limit))
        entries.append(SitemapIndexItem(url, summary["latest"]))
        entries += [
            SitemapIndexItem(f"{url}?p={n}", summary["latest"])
            for n in range(2, pages + 1)
        ]
    return entries


def sitemaps(request) -> dict[str, Sitemap]:
    """The index's sections by name: ``/sitemap-<name>.xml``."""
    return {
        "pages": OtherPagesSitemap(request),
        **{t.plural_key: TypeSitemap(t, request) for t in archive_types},
        "tags": TagSitemap(request),
        "people": PeopleSitemap(request),
    }
