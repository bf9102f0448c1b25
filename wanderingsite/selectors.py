"""Reads that span the archive types: tags and the pages that carry them.

The types come from the registry (``page_types.archive_types``); this module
names none of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Page as PaginatorPage
from django.db.models import Count, QuerySet
from wagtail.models import Page

from .listing import CountedPaginator
from .models import ArchiveTag, public_use_counts
from .page_types import ArchiveType, archive_types
from .visibility import visible_q

TAG_SECTION_LENGTH = 20
"""How many pages of each type a tag page shows before "see all"."""
TAG_TYPE_PAGE_LENGTH = 50
"""How many pages of one type a tag page's "see all" shows at a time."""
RELATED_TAGS = 10
"""How many of the tags found with a tag its page shows."""
RELATED_TAGS_SAMPLE = 1000
"""Of each type, how many of a tag's visible pages, the latest, the tags found
with it are counted over: a tag on every page costs what a tag on a thousand
does."""


@dataclass(frozen=True)
class TagSection:
    """The visible pages of one type that carry a tag: the first few, or one
    page of them all, and how many there are."""

    type: ArchiveType
    pages: list[Page]
    count: int
    page: PaginatorPage | None = None
    """The page of the section when it is the one asked for (``?type=``)."""

    @property
    def count_text(self) -> str:
        return self.type.count_text(self.count)

    @property
    def has_more(self) -> bool:
        return self.page is None and self.count > len(self.pages)

    @property
    def query(self) -> str:
        """The query string that shows every page of the section."""
        return f"?type={self.type.key}"


@dataclass
class TagDetail:
    tag: ArchiveTag
    sections: list[TagSection] = field(default_factory=list)
    related: list[ArchiveTag] = field(default_factory=list)
    """The tags found most often with this one, each with ``total`` shared pages."""
    related_among: int = 0
    """How many of the tag's pages ``related`` was counted over."""
    chosen: TagSection | None = None
    """The one section shown in full, a page at a time (``?type=``)."""
    type_requested: bool = False

    @property
    def total(self) -> int:
        return sum(section.count for section in self.sections)

    @property
    def related_sampled(self) -> bool:
        """True when ``related`` was counted over the tag's latest pages only."""
        return self.related_among < self.total

    @property
    def shown(self) -> list[TagSection]:
        return [self.chosen] if self.chosen else self.sections


def specific_pages(pages: QuerySet[Page]) -> list[Page]:
    """The pages of every archive type among ``pages``, as their own types, in
    one query whatever the mix (each type's table joined to its page row)."""
    children = [t.model._meta.model_name for t in archive_types]
    found = []
    for row in pages.select_related(*children):
        child = next((c for c in children if getattr(row, c, None) is not None), None)
        if child is not None:
            found.append(getattr(row, child))
    return found


def visible_tags() -> QuerySet[ArchiveTag]:
    """Tags on at least one visible page: the only tags the public may meet."""
    return ArchiveTag.objects.public()


def visible_tag(*, slug: str) -> ArchiveTag | None:
    """The tag with ``slug`` (in any case), if a visible page carries it; None,
    without a query, for what no tag slug could be."""
    return visible_tags().with_slug(slug)


def tag_counts() -> list[ArchiveTag]:
    """Tags on at least one visible page, by name, with counts per page type."""
    return ArchiveTag.objects.counted()


def _related_tags(tag: ArchiveTag, *, limit: int) -> tuple[list[ArchiveTag], int]:
    """The ``limit`` tags that share the most visible pages with ``tag`` (each
    with ``total``, the pages shared), and how many pages they were counted
    over: the tag's latest ``RELATED_TAGS_SAMPLE`` visible pages of each type,
    all of them for most tags. One grouped query over the tag rows of those
    pages, whatever the number of pages that carry the tag."""
    grouped = []
    for t in archive_types:
        sample = (
            t.tag_through.objects.filter(visible_q("content_object__"), tag=tag)
            .order_by("-content_object_id")
            .values("content_object_id")[:RELATED_TAGS_SAMPLE]
        )
        grouped.append(
            t.tag_through.objects.filter(content_object_id__in=sample)
            .order_by()
            .values("tag_id", "tag__name", "tag__slug")
            .annotate(n=Count("pk"))
            .values_list("tag_id", "tag__name", "tag__slug", "n")
        )
    shared: dict[int, ArchiveTag] = {}
    among = 0
    for tag_id, name, slug, n in grouped[0].union(*grouped[1:], all=True):
        if tag_id == tag.pk:
            among += n
            continue
        other = shared.setdefault(tag_id, ArchiveTag(pk=tag_id, name=name, slug=slug))
        other.total = getattr(other, "total", 0) + n
    top = sorted(shared.values(), key=lambda t: (-t.total, t.name.lower()))[:limit]
    return top, among


def _tagged(archive_type: ArchiveType, tag: ArchiveTag) -> QuerySet[Page]:
    return archive_type.model.objects.filter(visible_q(), tagged_items__tag=tag)


def tag_detail(
    *, slug: str, type: str | None = None, page: str | None = None
) -> TagDetail | None:
    """A tag and the visible pages of every type that carry it, a few of each
    with their counts, or one page of one type (``type``, a registry key);
    None for a tag no visible page carries."""
    tag = visible_tag(slug=slug)
    if tag is None:
        return None
    counts = public_use_counts(tags=[tag.pk]).get(tag.pk, {})
    chosen_type = archive_types.get(type)
    sections = []
    chosen = None
    for t in archive_types:
        count = counts.get(t.key, 0)
        pages = _tagged(t, tag).order_by(*t.ordering)
        if t is chosen_type:
            paginator = CountedPaginator(pages, TAG_TYPE_PAGE_LENGTH, count=count)
            shown = paginator.get_page(page)
            chosen = TagSection(t, list(shown.object_list), count, shown)
            sections.append(chosen)
        else:
            first = (
                list(pages[:TAG_SECTION_LENGTH]) if count and not chosen_type else []
            )
            sections.append(TagSection(t, first, count))
    related, related_among = _related_tags(tag, limit=RELATED_TAGS)
    return TagDetail(
        tag=tag,
        sections=sections,
        related=related,
        related_among=related_among,
        chosen=chosen,
        type_requested=type is not None,
    )
