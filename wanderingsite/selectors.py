"""Reads that span films, essays and events: tags and the home page."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from wagtail.models import Page

from essays.models import EssayPage, EssayPageTag
from essays.selectors import latest_essays
from films.models import FilmPage, FilmPageTag, PolicyEventPage, PolicyEventPageTag
from films.selectors import TimelineEntry, featured_film, timeline_teaser

from .models import ArchiveTag
from .visibility import visible_q

_THROUGH = {"film": FilmPageTag, "essay": EssayPageTag, "event": PolicyEventPageTag}


@dataclass
class TagDetail:
    tag: ArchiveTag
    films: list[FilmPage] = field(default_factory=list)
    essays: list[EssayPage] = field(default_factory=list)
    events: list[PolicyEventPage] = field(default_factory=list)
    related: list[ArchiveTag] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.films) + len(self.essays) + len(self.events)


@dataclass
class HomeContent:
    featured_film: FilmPage | None
    latest_essays: list[EssayPage]
    timeline: list[TimelineEntry]
    tags: list[ArchiveTag]
    sections: list[Page]


def _count(through, **filters) -> Coalesce:
    """How many visible pages of one type carry the outer tag."""
    rows = (
        through.objects.filter(visible_q("content_object__"), tag=OuterRef("pk"))
        .filter(**filters)
        .order_by()
        .values("tag")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def _counted(tags: QuerySet[ArchiveTag], **filters) -> QuerySet[ArchiveTag]:
    per_type = {
        f"{kind}_count": _count(through, **filters.get(kind, {}))
        for kind, through in _THROUGH.items()
    }
    return tags.annotate(**per_type).annotate(
        total=F("film_count") + F("essay_count") + F("event_count")
    )


def visible_tags() -> QuerySet[ArchiveTag]:
    """Tags on at least one visible page: the only tags the public may meet."""
    in_use = Q()
    for through in _THROUGH.values():
        in_use |= Exists(
            through.objects.filter(visible_q("content_object__"), tag=OuterRef("pk"))
        )
    return ArchiveTag.objects.filter(in_use)


def visible_tag(*, slug: str) -> ArchiveTag | None:
    """The tag with ``slug`` (in any case), if a visible page carries it."""
    return visible_tags().filter(slug=slug.lower()).first()


def tag_counts() -> QuerySet[ArchiveTag]:
    """Tags on at least one visible page, by name, with counts per page type."""
    return _counted(ArchiveTag.objects.all()).filter(total__gt=0).order_by("name")


def tag_cloud(*, limit: int = 30) -> list[ArchiveTag]:
    """The ``limit`` most used tags, by name, with their counts."""
    top = list(tag_counts().order_by("-total", "name")[:limit])
    return sorted(top, key=lambda t: t.name.lower())


def _related_tags(tag: ArchiveTag, *, limit: int) -> list[ArchiveTag]:
    """Tags that share the most visible pages with ``tag``."""
    filters = {
        kind: {
            "content_object_id__in": through.objects.filter(
                visible_q("content_object__"), tag=tag
            ).values("content_object_id")
        }
        for kind, through in _THROUGH.items()
    }
    return list(
        _counted(ArchiveTag.objects.exclude(pk=tag.pk), **filters)
        .filter(total__gt=0)
        .order_by("-total", "name")[:limit]
    )


def tag_detail(*, slug: str) -> TagDetail | None:
    """A tag and the visible films, essays and events that carry it; None for
    a tag no visible page carries."""
    tag = visible_tag(slug=slug)
    if tag is None:
        return None
    by_date = F("date").asc(nulls_last=True)
    return TagDetail(
        tag=tag,
        films=list(
            FilmPage.objects.filter(visible_q(), tagged_items__tag=tag).order_by(
                by_date, "title"
            )
        ),
        essays=list(
            EssayPage.objects.filter(visible_q(), tagged_items__tag=tag).order_by(
                F("published_date").desc(nulls_last=True), "title"
            )
        ),
        events=list(
            PolicyEventPage.objects.filter(visible_q(), tagged_items__tag=tag).order_by(
                by_date, "title"
            )
        ),
        related=_related_tags(tag, limit=8),
    )


def section_pages(*, home: Page) -> list[Page]:
    """The visible pages directly under ``home``: the indexes and the timeline."""
    return list(Page.objects.child_of(home).filter(visible_q()).order_by("path"))


def home_content(*, home) -> HomeContent:
    """What the home page shows: a film, essays, a timeline teaser, the tags."""
    return HomeContent(
        featured_film=featured_film(pk=home.featured_film_id),
        latest_essays=latest_essays(limit=3),
        timeline=timeline_teaser(limit=5),
        tags=tag_cloud(limit=40),
        sections=section_pages(home=home),
    )
