"""Reads that span the archive types: tags and the pages that carry them.

The types come from the registry (``page_types.archive_types``); this module
names none of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet
from wagtail.models import Page

from .models import ArchiveTag
from .page_types import ArchiveType, archive_types
from .visibility import visible_q


@dataclass(frozen=True)
class TagSection:
    """The visible pages of one type that carry a tag."""

    type: ArchiveType
    pages: list[Page]

    @property
    def count_text(self) -> str:
        return self.type.count_text(len(self.pages))


@dataclass
class TagDetail:
    tag: ArchiveTag
    sections: list[TagSection] = field(default_factory=list)
    related: list[ArchiveTag] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(len(section.pages) for section in self.sections)


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


def tag_counts() -> QuerySet[ArchiveTag]:
    """Tags on at least one visible page, by name, with counts per page type."""
    return ArchiveTag.objects.counted().order_by("name")


def _related_tags(tag: ArchiveTag, *, limit: int) -> list[ArchiveTag]:
    """Tags that share the most visible pages with ``tag``."""
    shared = {
        t.key: t.tag_through.objects.filter(
            visible_q("content_object__"), tag=tag
        ).values("content_object_id")
        for t in archive_types
    }
    return list(
        ArchiveTag.objects.exclude(pk=tag.pk)
        .with_counts(among=shared)
        .filter(total__gt=0)
        .order_by("-total", "name")[:limit]
    )


def tag_detail(*, slug: str) -> TagDetail | None:
    """A tag and the visible pages of every type that carry it; None for a tag
    no visible page carries."""
    tag = visible_tag(slug=slug)
    if tag is None:
        return None
    sections = [
        TagSection(
            t,
            list(
                t.model.objects.filter(visible_q(), tagged_items__tag=tag).order_by(
                    *t.ordering
                )
            ),
        )
        for t in archive_types
    ]
    return TagDetail(tag=tag, sections=sections, related=_related_tags(tag, limit=8))
