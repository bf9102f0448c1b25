"""Reads of essays for the public pages; only what the public may see."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, F, Prefetch, QuerySet

from films.models import FilmPage, PolicyEventPage
from wanderingsite.listing import Choice, Listing, build_listing
from wanderingsite.models import ArchiveTag, Person
from wanderingsite.visibility import visible_q

from .models import EssayAuthor, EssayPage, EssayPageTag

ESSAYS_PER_PAGE = 10


@dataclass
class EssayDetail:
    authors: list[EssayAuthor] = field(default_factory=list)
    films: list[FilmPage] = field(default_factory=list)
    events: list[PolicyEventPage] = field(default_factory=list)
    tags: list[ArchiveTag] = field(default_factory=list)


def _authors() -> Prefetch:
    return Prefetch(
        "authors",
        queryset=EssayAuthor.objects.select_related("person").order_by("sort_order"),
    )


def _tag_items() -> Prefetch:
    return Prefetch(
        "tagged_items",
        queryset=EssayPageTag.objects.select_related("tag").order_by("tag__name"),
    )


def essay_list(
    *, tag: str | None = None, author: str | None = None
) -> QuerySet[EssayPage]:
    """Visible essays, latest first, with their authors and tags."""
    essays = EssayPage.objects.filter(visible_q())
    if tag:
        essays = essays.filter(tagged_items__tag__slug=tag)
    if author:
        essays = essays.filter(authors__person__slug=author)
    return essays.prefetch_related(_authors(), _tag_items()).order_by(
        F("published_date").desc(nulls_last=True), "title"
    )


def latest_essays(*, limit: int = 5) -> list[EssayPage]:
    """The ``limit`` most recently published visible essays, with authors."""
    essays = EssayPage.objects.filter(visible_q()).prefetch_related(_authors())
    return list(
        essays.order_by(F("published_date").desc(nulls_last=True), "title")[:limit]
    )


def essay_tag_choices() -> list[Choice]:
    """Tags on visible essays, with how many essays carry each."""
    tags = (
        ArchiveTag.objects.filter(
            essay_items__content_object__in=EssayPage.objects.filter(
                visible_q()
            ).values("pk")
        )
        .annotate(n=Count("essay_items"))
        .order_by("name")
    )
    return [Choice(t.slug, t.name, t.n) for t in tags]


def essay_author_choices() -> list[Choice]:
    """People who wrote visible essays, with how many each wrote."""
    people = (
        Person.objects.filter(
            essays_written__page__in=EssayPage.objects.filter(visible_q()).values("pk")
        )
        .annotate(n=Count("essays_written"))
        .order_by("name")
    )
    return [Choice(p.slug, p.name, p.n) for p in people]


def essay_listing(*, params) -> Listing:
    """One page of the essay index, filtered by ``?tag=`` and ``?author=``."""
    return build_listing(
        params,
        choices={"tag": essay_tag_choices(), "author": essay_author_choices()},
        select=essay_list,
        per_page=ESSAYS_PER_PAGE,
    )


def essay_detail(*, essay: EssayPage) -> EssayDetail:
    """What the essay page shows besides the essay's own fields."""
    # values_list works on the saved relations and on a preview's unsaved ones.
    return EssayDetail(
        authors=list(essay.authors.select_related("person")),
        films=list(
            FilmPage.objects.filter(
                visible_q(), pk__in=essay.films.values_list("id", flat=True)
            ).order_by(F("date").asc(nulls_last=True), "title")
        ),
        events=list(
            PolicyEventPage.objects.filter(
                visible_q(), pk__in=essay.events.values_list("id", flat=True)
            ).order_by(F("date").asc(nulls_last=True), "title")
        ),
        tags=sorted(essay.tags.all(), key=lambda t: t.name.lower()),
    )
