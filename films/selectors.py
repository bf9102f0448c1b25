"""Reads of films, policy events and the timeline for the public pages.

Every read shows only what the public may see (``visible_q``) and fetches
what its template needs in a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, F, Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from essays.models import BoxOfficeFigure, Citation, EssayPage
from wanderingsite.dates import DatePrecision
from wanderingsite.listing import Choice, Listing, build_listing, pick_filters
from wanderingsite.models import ArchiveTag
from wanderingsite.visibility import visible_q

from .models import (
    FilmCredit,
    FilmPage,
    FilmPageTag,
    PolicyEventPage,
)

FILMS_PER_PAGE = 12
RELEASE_KIND = "release"
RELEASE_LABEL = _("Film release")
_PRECISION_RANK = {DatePrecision.YEAR: 0, DatePrecision.MONTH: 1, DatePrecision.DAY: 2}


@dataclass(frozen=True)
class TimelineEntry:
    page: FilmPage | PolicyEventPage
    kind: str
    kind_label: str

    @property
    def is_release(self) -> bool:
        return self.kind == RELEASE_KIND

    @property
    def sort_key(self) -> tuple:
        return (
            self.page.date,
            _PRECISION_RANK.get(self.page.date_precision, 2),
            self.page.title.lower(),
        )


@dataclass(frozen=True)
class BoxOfficeRegion:
    region: str
    figures: list[BoxOfficeFigure]

    @property
    def sources_disagree(self) -> bool:
        stated = {(f.amount, f.currency, f.qualifier) for f in self.figures}
        return len(stated) > 1


@dataclass
class FilmDetail:
    credits: dict[str, list[FilmCredit]] = field(default_factory=dict)
    box_office: list[BoxOfficeRegion] = field(default_factory=list)
    facts: list[tuple[str, list[Citation]]] = field(default_factory=list)
    essays: list[EssayPage] = field(default_factory=list)
    events: list[PolicyEventPage] = field(default_factory=list)
    tags: list[ArchiveTag] = field(default_factory=list)


@dataclass
class EventDetail:
    actors: list = field(default_factory=list)
    films: list[FilmPage] = field(default_factory=list)
    facts: list[tuple[str, list[Citation]]] = field(default_factory=list)
    essays: list[EssayPage] = field(default_factory=list)
    tags: list[ArchiveTag] = field(default_factory=list)


def _tag_items(through) -> Prefetch:
    return Prefetch(
        "tagged_items",
        queryset=through.objects.select_related("tag").order_by("tag__name"),
    )


def film_list(*, tag: str | None = None, year: int | None = None) -> QuerySet[FilmPage]:
    """Visible films, newest first, with their tags."""
    films = FilmPage.objects.filter(visible_q())
    if tag:
        films = films.filter(tagged_items__tag__slug=tag)
    if year:
        films = films.filter(date__year=year)
    return films.prefetch_related(_tag_items(FilmPageTag)).order_by(
        F("date").desc(nulls_last=True), "title"
    )


def film_years() -> list[int]:
    """Years in which visible films were released, newest first."""
    dates = FilmPage.objects.filter(visible_q(), date__isnull=False).dates(
        "date", "year", order="DESC"
    )
    return [d.year for d in dates]


def film_tag_choices() -> list[Choice]:
    """Tags on visible films, with how many films carry each."""
    tags = (
        ArchiveTag.objects.filter(
            film_items__content_object__in=FilmPage.objects.filter(visible_q()).values(
                "pk"
            )
        )
        .annotate(n=Count("film_items"))
        .order_by("name")
    )
    return [Choice(t.slug, t.name, t.n) for t in tags]


def film_listing(*, params) -> Listing:
    """One page of the film index, filtered by ``?tag=`` and ``?year=``."""

    def select(tag: str | None = None, year: str | None = None):
        return film_list(tag=tag, year=int(year) if year else None)

    years = [Choice(str(y), str(y)) for y in film_years()]
    return build_listing(
        params,
        choices={"tag": film_tag_choices(), "year": years},
        select=select,
        per_page=FILMS_PER_PAGE,
    )


def timeline_kind_choices() -> list[Choice]:
    """The kinds of entry on the timeline: film releases and each event kind."""
    return [
        Choice(RELEASE_KIND, str(RELEASE_LABEL)),
        *(Choice(value, str(label)) for value, label in PolicyEventPage.Kind.choices),
    ]


def timeline_tag_choices() -> list[Choice]:
    """Tags on dated visible films and events, with how many entries carry each."""
    counts: dict[int, int] = {}
    names: dict[int, ArchiveTag] = {}
    for tag in ArchiveTag.objects.filter(
        film_items__content_object__in=FilmPage.objects.filter(
            visible_q(), date__isnull=False
        ).values("pk")
    ).annotate(n=Count("film_items")):
        counts[tag.pk] = tag.n
        names[tag.pk] = tag
    for tag in ArchiveTag.objects.filter(
        event_items__content_object__in=PolicyEventPage.objects.filter(
            visible_q(), date__isnull=False
        ).values("pk")
    ).annotate(n=Count("event_items")):
        counts[tag.pk] = counts.get(tag.pk, 0) + tag.n
        names[tag.pk] = tag
    ordered = sorted(names.values(), key=lambda t: t.name.lower())
    return [Choice(t.slug, t.name, counts[t.pk]) for t in ordered]


def timeline_entries(
    *, kind: str | None = None, tag: str | None = None
) -> list[TimelineEntry]:
    """Dated film releases and policy events together, oldest first."""
    entries: list[TimelineEntry] = []
    kinds = dict(PolicyEventPage.Kind.choices)
    if kind in (None, RELEASE_KIND):
        films = FilmPage.objects.filter(visible_q(), date__isnull=False)
        if tag:
            films = films.filter(tagged_items__tag__slug=tag)
        entries += [TimelineEntry(f, RELEASE_KIND, str(RELEASE_LABEL)) for f in films]
    if kind != RELEASE_KIND:
        events = PolicyEventPage.objects.filter(visible_q(), date__isnull=False)
        if kind:
            events = events.filter(kind=kind)
        if tag:
            events = events.filter(tagged_items__tag__slug=tag)
        entries += [
            TimelineEntry(e, e.kind, str(kinds.get(e.kind, e.kind))) for e in events
        ]
    return sorted(entries, key=lambda entry: entry.sort_key)


def timeline_by_year(
    entries: Iterable[TimelineEntry],
) -> list[tuple[int, list[TimelineEntry]]]:
    """Entries grouped under their year, in the order given."""
    years: dict[int, list[TimelineEntry]] = {}
    for entry in entries:
        years.setdefault(entry.page.date.year, []).append(entry)
    return list(years.items())


@dataclass
class Timeline:
    years: list[tuple[int, list[TimelineEntry]]]
    choices: dict[str, list[Choice]]
    active: dict[str, Choice]
    filter_requested: bool

    @property
    def is_filtered(self) -> bool:
        return bool(self.active)

    @property
    def count(self) -> int:
        return sum(len(entries) for _year, entries in self.years)


def timeline_listing(*, params) -> Timeline:
    """The timeline, filtered by ``?kind=`` and ``?tag=``, grouped by year."""
    choices = {"kind": timeline_kind_choices(), "tag": timeline_tag_choices()}
    active = pick_filters(params, choices)
    entries = timeline_entries(
        **{name: choice.value for name, choice in active.items()}
    )
    return Timeline(
        years=timeline_by_year(entries),
        choices=choices,
        active=active,
        filter_requested=any(params.get(name) for name in choices),
    )


def _facts_by_topic(citations: Iterable[Citation]) -> list[tuple[str, list]]:
    topics = dict(Citation.Topic.choices)
    grouped: dict[str, list[Citation]] = {}
    for citation in citations:
        grouped.setdefault(citation.topic, []).append(citation)
    return [
        (str(label), grouped[topic])
        for topic, label in topics.items()
        if topic in grouped
    ] + [(topic, items) for topic, items in grouped.items() if topic not in topics]


def _visible_citations(relation) -> list:
    """The citations whose essay the public may see, each with its essay loaded."""
    citations = relation.all()
    if isinstance(citations, QuerySet):
        return list(citations.filter(visible_q("essay__")).select_related("essay"))
    # A preview's unsaved relation is a list in memory: read its essays at once.
    essays = EssayPage.objects.filter(visible_q()).in_bulk(
        {c.essay_id for c in citations}
    )
    kept = []
    for citation in citations:
        if citation.essay_id in essays:
            citation.essay = essays[citation.essay_id]
            kept.append(citation)
    return kept


def _essays_about(**relation) -> list[EssayPage]:
    return list(
        EssayPage.objects.filter(visible_q(), **relation).order_by(
            F("published_date").asc(nulls_last=True), "title"
        )
    )


def _tags_of(page) -> list[ArchiveTag]:
    return sorted(page.tags.all(), key=lambda t: t.name.lower())


def film_detail(*, film: FilmPage) -> FilmDetail:
    """What the film page shows besides the film's own fields."""
    detail = FilmDetail()
    credits = list(film.credits.select_related("person"))
    for role, _label in FilmCredit.Role.choices:
        people = [c for c in credits if c.role == role]
        if people:
            detail.credits[role] = people
    figures = _visible_citations(film.box_office_figures)
    citations = _visible_citations(film.citations)
    regions: dict[str, list[BoxOfficeFigure]] = {}
    for figure in figures:
        regions.setdefault(figure.region, []).append(figure)
    detail.box_office = [BoxOfficeRegion(r, fs) for r, fs in regions.items()]
    detail.facts = _facts_by_topic(citations)
    detail.tags = _tags_of(film)
    if film.pk:
        detail.essays = _essays_about(films=film)
        detail.events = list(
            PolicyEventPage.objects.filter(visible_q(), films=film).order_by(
                F("date").asc(nulls_last=True), "title"
            )
        )
    return detail


def event_detail(*, event: PolicyEventPage) -> EventDetail:
    """What the event page shows besides the event's own fields."""
    detail = EventDetail()
    detail.actors = list(event.actors.select_related("person"))
    # values_list works on the saved relation and on a preview's unsaved one.
    film_ids = event.films.values_list("id", flat=True)
    detail.films = list(
        FilmPage.objects.filter(visible_q(), pk__in=film_ids).order_by(
            F("date").asc(nulls_last=True), "title"
        )
    )
    detail.facts = _facts_by_topic(_visible_citations(event.citations))
    detail.tags = _tags_of(event)
    if event.pk:
        detail.essays = _essays_about(events=event)
    return detail


def timeline_teaser(*, limit: int = 5) -> list[TimelineEntry]:
    """The latest ``limit`` timeline entries, oldest first."""
    kinds = dict(PolicyEventPage.Kind.choices)
    latest = F("date").desc()
    films = FilmPage.objects.filter(visible_q(), date__isnull=False).order_by(latest)
    events = PolicyEventPage.objects.filter(visible_q(), date__isnull=False).order_by(
        latest
    )
    entries = [
        *(TimelineEntry(f, RELEASE_KIND, str(RELEASE_LABEL)) for f in films[:limit]),
        *(
            TimelineEntry(e, e.kind, str(kinds.get(e.kind, e.kind)))
            for e in events[:limit]
        ),
    ]
    return sorted(entries, key=lambda entry: entry.sort_key)[-limit:]


def featured_film(*, pk: int | None) -> FilmPage | None:
    """The film with that id if the public may see it, else the latest film."""
    films = FilmPage.objects.filter(visible_q()).order_by(
        F("date").desc(nulls_last=True), "title"
    )
    if pk:
        chosen = films.filter(pk=pk).first()
        if chosen is not None:
            return chosen
    return films.first()
