"""Reads that span the archive types: tags and the pages that carry them.

The types come from the registry (``page_types.archive_types``); this module
names none of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Page as PaginatorPage
from django.db.models import QuerySet
from wagtail.models import Page

from .listing import CountedPaginator, IgnoredFilter, ignored_filters
from .models import ArchiveTag, most_used, public_tags, public_use_counts
from .page_types import ArchiveType, archive_types
from .visibility import visible_q

TAG_SECTION_LENGTH = 20
"""How many pages of each type a tag page shows before "see all"."""
TAG_TYPE_PAGE_LENGTH = 50
"""How many pages of one type a tag page's "see all" shows at a time."""


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
    chosen: TagSection | None = None
    """The one section shown in full, a page at a time (``?type=``)."""
    type_requested: bool = False
    ignored: list[IgnoredFilter] = field(default_factory=list)
    """A ``?type=`` that names no type, as the page says it ignored it."""

    @property
    def total(self) -> int:
        return sum(section.count for section in self.sections)

    @property
    def with_pages(self) -> list[TagSection]:
        """The sections that hold pages: the only ones linked or shown."""
        return [section for section in self.sections if section.count]

    @property
    def shown(self) -> list[TagSection]:
        """The chosen section (even empty, since it was asked for), or every
        section that holds pages."""
        return [self.chosen] if self.chosen else self.with_pages


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


def _related_tags(tag: ArchiveTag, *, limit: int) -> list[ArchiveTag]:
    """Tags that share the most visible pages with ``tag``: one grouped query
    over the tag rows of the pages ``tag`` is on."""
    shared = {
        t.key: t.tag_through.objects.filter(tag=tag).values("content_object_id")
        for t in archive_types
    }
    others = [t for t in public_tags(among=shared) if t.pk != tag.pk]
    return sorted(
        most_used(others, limit=limit), key=lambda t: (-t.total, t.name.lower())
    )


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
    return TagDetail(
        tag=tag,
        sections=sections,
        related=_related_tags(tag, limit=8),
        chosen=chosen,
        type_requested=type is not None,
        ignored=ignored_filters(
            {"type": type}, ["type"], {"type": chosen} if chosen else {}
        ),
    )
