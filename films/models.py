"""The screen and the state policy around it: films, policy events, the
timeline, and what their pages read.

Citations and box-office figures are rows of the ``essays`` app (they quote
essays); films reach them, and the essays that discuss a film, through their
reverse relations and never import ``essays``.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django import forms
from django.db import models
from django.db.models import Case, Count, F, Value, When
from django.db.models.functions import ExtractYear, Lower
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import ItemBase
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
)
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from wanderingsite import serializers
from wanderingsite.blocks import RICH_TEXT_FEATURES, ArticleBodyBlock
from wanderingsite.dates import DatePrecision
from wanderingsite.listing import (
    LISTING_CHOICES,
    Choice,
    CountedPaginator,
    Listing,
    build_listing,
    ignored_filters,
    pick,
    pick_filters,
    shown_value,
    tag_choices,
    with_tags,
)
from wanderingsite.models import (
    ArchiveIndexPage,
    ArchivePage,
    ArchiveTag,
    PreciseDateMixin,
    person_panel,
    tags_panel,
    with_public_people,
)
from wanderingsite.page_types import ArchiveType, archive_types
from wanderingsite.quotes import block_text, html_to_text
from wanderingsite.visibility import visible_q

FILMS_PER_PAGE = 12
TIMELINE_PAGE_LENGTH = 50
RELEASE_KIND = "release"
RELEASE_LABEL = _("Film release")
_PRECISION_RANK = {DatePrecision.YEAR: 0, DatePrecision.MONTH: 1, DatePrecision.DAY: 2}
_BY_DATE = (F("date").asc(nulls_last=True), "title")
_NEWEST_FIRST = (F("date").desc(nulls_last=True), "title")


class FactTopic(models.TextChoices):
    """What a cited fact on a film or event is about, in the order pages list
    them. Credits, the source work, the release and the distribution feed the
    film's infobox; a relation to another film is under "Related films"."""

    CREDITS = "credits", _("Credits")
    SOURCE = "source", _("Source work")
    RELEASE = "release", _("Release")
    PRODUCTION = "production", _("Production")
    DISTRIBUTION = "distribution", _("Distribution")
    BOX_OFFICE = "box-office", _("Box office")
    RECEPTION = "reception", _("Reception")
    STORY = "story", _("Story")
    CONTEXT = "context", _("Context")
    LINEAGE = "lineage", _("Related films")


class FilmRelation(models.TextChoices):
    """How a film relates to another, as a source says: the label reads from
    the film that states it (``INVERSE_LABELS`` from the other one)."""

    PREQUEL = "prequel", _("Prequel to")
    SEQUEL = "sequel", _("Sequel to")
    SAME_SOURCE = "same-source", _("From the same source work as")
    COMPARED = "compared", _("Compared with")


INVERSE_LABELS = {
    FilmRelation.PREQUEL: _("Has a prequel"),
    FilmRelation.SEQUEL: _("Has a sequel"),
    FilmRelation.SAME_SOURCE: FilmRelation.SAME_SOURCE.label,
    FilmRelation.COMPARED: FilmRelation.COMPARED.label,
}
SYMMETRIC_RELATIONS = frozenset({FilmRelation.SAME_SOURCE, FilmRelation.COMPARED})


class FilmPageTag(ItemBase):
    tag = models.ForeignKey(
        ArchiveTag, related_name="film_items", on_delete=models.CASCADE
    )
    content_object = ParentalKey(
        "films.FilmPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class PolicyEventPageTag(ItemBase):
    tag = models.ForeignKey(
        ArchiveTag, related_name="event_items", on_delete=models.CASCADE
    )
    content_object = ParentalKey(
        "films.PolicyEventPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class FilmCredit(Orderable):
    class Role(models.TextChoices):
        DIRECTOR = "director", _("Director")
        WRITER = "writer", _("Writer")
        AUTHOR = "author", _("Author of the source work")
        CAST = "cast", _("Cast")
        PRODUCER = "producer", _("Producer")
        DISTRIBUTOR = "distributor", _("Distributor")

    page = ParentalKey(
        "films.FilmPage", related_name="credits", on_delete=models.CASCADE
    )
    person = models.ForeignKey(
        "wanderingsite.Person", on_delete=models.PROTECT, related_name="film_credits"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    character = models.CharField(
        _("character"),
        max_length=200,
        blank=True,
        help_text=_("For cast: the character played, as the sources name it."),
    )

    panels = [
        FieldRowPanel(
            [
                person_panel(),
                FieldPanel("role", help_text=_("What they did on the film.")),
            ]
        ),
        FieldPanel("character"),
    ]

    def __str__(self):
        return f"{self.person} ({self.get_role_display()})"


class EventActor(Orderable):
    page = ParentalKey(
        "films.PolicyEventPage", related_name="actors", on_delete=models.CASCADE
    )
    person = models.ForeignKey(
        "wanderingsite.Person", on_delete=models.PROTECT, related_name="event_roles"
    )
    role = models.CharField(
        _("role"),
        max_length=200,
        blank=True,
        help_text=_("What they did in the event, e.g. 'laid out the plan'."),
    )

    panels = [
        person_panel(),
        FieldPanel("role"),
    ]

    def __str__(self):
        return str(self.person)


@dataclass(frozen=True)
class BoxOfficeRegion:
    region: str
    figures: list

    @property
    def sources_disagree(self) -> bool:
        stated = {(f.amount, f.currency, f.qualifier) for f in self.figures}
        return len(stated) > 1


# The topics of the facts that back each kind of credit in the infobox.
CREDIT_EVIDENCE = {
    FilmCredit.Role.DIRECTOR: {FactTopic.CREDITS},
    FilmCredit.Role.WRITER: {FactTopic.CREDITS},
    FilmCredit.Role.CAST: {FactTopic.CREDITS},
    FilmCredit.Role.PRODUCER: {FactTopic.CREDITS},
    FilmCredit.Role.AUTHOR: {FactTopic.SOURCE, FactTopic.LINEAGE},
    FilmCredit.Role.DISTRIBUTOR: {FactTopic.DISTRIBUTION},
}


@dataclass(frozen=True)
class CitedCredit:
    """A credit and the facts whose quotes name the person."""

    credit: FilmCredit
    sources: list


@dataclass
class RelatedFilm:
    """Another film, how this one relates to it, and the facts that say so."""

    relation: str
    label: str
    film: FilmPage
    inverse: bool
    """True when the other film states the relation (``TWE II`` is a prequel
    to this one) and it reads differently from here (this one has a prequel)."""
    citations: list = field(default_factory=list)


@dataclass
class Infobox:
    """What a reader asks first about a film, each answer with the facts that
    state it; an empty list is a field the sources do not record."""

    directors: list[CitedCredit] = field(default_factory=list)
    writers: list[CitedCredit] = field(default_factory=list)
    cast: list[CitedCredit] = field(default_factory=list)
    producers: list[CitedCredit] = field(default_factory=list)
    authors: list[CitedCredit] = field(default_factory=list)
    distributors: list[CitedCredit] = field(default_factory=list)
    source_work: list = field(default_factory=list)
    release: list = field(default_factory=list)
    distribution: list = field(default_factory=list)


@dataclass
class FilmDetail:
    credits: dict[str, list[FilmCredit]] = field(default_factory=dict)
    box_office: list[BoxOfficeRegion] = field(default_factory=list)
    facts: list[tuple[str, list]] = field(default_factory=list)
    infobox: Infobox = field(default_factory=Infobox)
    related: list[RelatedFilm] = field(default_factory=list)
    essays: list[Page] = field(default_factory=list)
    events: list[PolicyEventPage] = field(default_factory=list)
    tags: list[ArchiveTag] = field(default_factory=list)


@dataclass
class EventDetail:
    actors: list[EventActor] = field(default_factory=list)
    films: list[FilmPage] = field(default_factory=list)
    facts: list[tuple[str, list]] = field(default_factory=list)
    essays: list[Page] = field(default_factory=list)
    tags: list[ArchiveTag] = field(default_factory=list)


def _tags_of(page) -> list[ArchiveTag]:
    return sorted(page.tags.all(), key=lambda t: t.name.lower())


def _people(rows) -> list[dict]:
    return [row.person.get_json_ld() for row in rows]


def _visible_citations(relation) -> list:
    """The citations in ``relation`` whose essay the public may see."""
    return relation.model.visible_in(relation)


def _facts_by_topic(relation) -> list[tuple[str, list]]:
    return relation.model.by_topic(_visible_citations(relation))


def _related_films(own: list, inverse: list) -> list[RelatedFilm]:
    """Each other film with how this one relates to it, the film's own
    statements and other films' statements about it read the same way: a
    relation both ways (compared with) is one entry, whichever film states it."""
    related: dict[tuple, RelatedFilm] = {}
    stated = [(c, c.related_film, False) for c in own if c.is_relation]
    stated += [(c, c.page, True) for c in inverse]
    for citation, film, reversed_ in stated:
        kind = FilmRelation(citation.relation)
        inverse = reversed_ and kind not in SYMMETRIC_RELATIONS
        label = INVERSE_LABELS[kind] if inverse else kind.label
        key = (kind, inverse, film.pk)
        entry = related.setdefault(key, RelatedFilm(kind, str(label), film, inverse))
        if all(c.pk != citation.pk for c in entry.citations):
            entry.citations.append(citation)
    order = list(FilmRelation)
    return sorted(
        related.values(),
        key=lambda r: (
            order.index(r.relation),
            r.inverse,
            r.film.date or datetime.date.max,
            r.film.title,
        ),
    )


def _cited_credits(credits, role: str, facts: list) -> list[CitedCredit]:
    topics = CREDIT_EVIDENCE.get(role, {FactTopic.CREDITS})
    backing = [c for c in facts if c.topic in topics]
    return [
        CitedCredit(credit, [c for c in backing if c.names(credit.person)])
        for credit in credits
        if credit.role == role
    ]


def _infobox(credits, own: list, related: list[RelatedFilm]) -> Infobox:
    """The infobox's answers: credits with the facts that name each person,
    and the facts on the source work, the release and the distribution."""
    same_source = [
        citation
        for entry in related
        if entry.relation == FilmRelation.SAME_SOURCE
        for citation in entry.citations
    ]
    facts = [c for c in own if not c.is_relation] + same_source
    Role = FilmCredit.Role
    return Infobox(
        directors=_cited_credits(credits, Role.DIRECTOR, facts),
        writers=_cited_credits(credits, Role.WRITER, facts),
        cast=_cited_credits(credits, Role.CAST, facts),
        producers=_cited_credits(credits, Role.PRODUCER, facts),
        authors=_cited_credits(credits, Role.AUTHOR, facts),
        distributors=_cited_credits(credits, Role.DISTRIBUTOR, facts),
        source_work=[c for c in facts if c.topic in CREDIT_EVIDENCE[Role.AUTHOR]],
        release=[c for c in facts if c.topic == FactTopic.RELEASE],
        distribution=[c for c in facts if c.topic == FactTopic.DISTRIBUTION],
    )


def _visible_essays(relation) -> list[Page]:
    """The visible essays of ``essays``' relation to the page, oldest first."""
    oldest_first = (F("published_date").asc(nulls_last=True), "title")
    return list(relation.filter(visible_q()).order_by(*oldest_first))


class FilmPage(PreciseDateMixin, ArchivePage):
    original_title = models.CharField(
        _("original title"),
        max_length=200,
        blank=True,
        help_text=_("The title in the film's own language and script, e.g. 流浪地球."),
    )
    original_language = models.CharField(
        _("original language"),
        max_length=10,
        default="zh",
        help_text=_("BCP 47 code of the original title's language: zh, en ..."),
    )
    other_titles = models.TextField(
        _("other titles"),
        max_length=1000,
        blank=True,
        help_text=_(
            "Other titles the sources or readers use, one per line; search finds "
            "the film by each."
        ),
    )
    based_on = models.CharField(
        _("based on"),
        max_length=300,
        blank=True,
        help_text=_("The work the film adapts, e.g. a novella by Liu Cixin."),
    )
    based_on_title = models.CharField(
        _("title of the source work"),
        max_length=300,
        blank=True,
        help_text=_(
            "Only as a source names it; leave blank and the page says the title "
            "is not recorded. Credit its author under Credits."
        ),
    )
    synopsis = RichTextField(
        _("synopsis"),
        features=RICH_TEXT_FEATURES,
        max_length=10000,
        blank=True,
        help_text=_("The story, as the essays tell it."),
    )
    tags = ClusterTaggableManager(through=FilmPageTag, blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("original_title"), FieldPanel("original_language")]
                ),
                FieldPanel("other_titles"),
            ],
            heading=_("Titles"),
        ),
        PreciseDateMixin.date_panel(_("Release")),
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("based_on"), FieldPanel("based_on_title")],
            heading=_("Source work"),
        ),
        FieldPanel("synopsis"),
        InlinePanel("credits", heading=_("Credits"), label=_("Credit")),
        InlinePanel(
            "box_office_figures",
            heading=_("Box office"),
            label=_("Box-office figure"),
            help_text=_("Each figure with the essay passage that states it."),
        ),
        InlinePanel(
            "citations",
            heading=_("Facts and their sources"),
            label=_("Cited fact"),
        ),
        tags_panel(),
    ]

    search_fields = [
        *ArchivePage.search_fields,
        index.SearchField("original_title"),
        index.SearchField("other_titles"),
        index.SearchField("synopsis"),
        index.SearchField("based_on"),
        index.SearchField("based_on_title"),
        index.AutocompleteField("original_title"),
        index.FilterField("date"),
        index.RelatedFields("tags", [index.SearchField("name")]),
    ]
    api_fields = [
        APIField("summary"),
        APIField("original_title"),
        APIField("original_language"),
        APIField("other_title_list"),
        *serializers.DATE_FIELDS,
        APIField("based_on"),
        APIField("based_on_title"),
        APIField("synopsis", serializer=serializers.RichTextField()),
        APIField(
            "credits", serializer=serializers.PeopleField(extra=("role", "character"))
        ),
        APIField(
            "box_office_figures",
            serializer=serializers.CitationsField(
                extra=("region", "amount", "currency", "qualifier")
            ),
        ),
        APIField(
            "citations",
            serializer=serializers.CitationsField(
                extra=("relation",), related="related_film"
            ),
        ),
        # What other films state of this one; in a film's own record only
        # (``ArchivePagesAPIViewSet.detail_only_fields``), as a listing would
        # need a query more. Its own relations are among its ``citations``.
        APIField(
            "related_by",
            serializer=serializers.RelatedPagesField(
                relation="cited_relations", other="page", labels=INVERSE_LABELS
            ),
        ),
        APIField("essays", serializer=serializers.PagesField()),
        APIField("events", serializer=serializers.PagesField()),
        APIField("tags", serializer=serializers.TagsField()),
    ]

    parent_page_types = ["films.FilmIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("film")
        # Listings and the home page read films newest or oldest first, a few
        # at a time: an index on "date DESC NULLS LAST" (migration 0003, on
        # PostgreSQL only) walks to them without sorting every film. It is not
        # declared here: SQLite cannot index NULLS LAST, and rebuilds its
        # tables from the declared indexes on every later change.

    def get_page_context(self, request) -> dict:
        return {"film": self.get_detail()}

    @property
    def other_title_list(self) -> list[str]:
        return [line.strip() for line in self.other_titles.splitlines() if line.strip()]

    def get_detail(self) -> FilmDetail:
        """What the page shows besides the film's own fields."""
        detail = FilmDetail()
        credits = with_public_people(self.credits.select_related("person"))
        for role, _label in FilmCredit.Role.choices:
            people = [c for c in credits if c.role == role]
            if people:
                detail.credits[role] = people
        regions: dict[str, list] = {}
        for figure in _visible_citations(self.box_office_figures):
            regions.setdefault(figure.region, []).append(figure)
        detail.box_office = [BoxOfficeRegion(r, fs) for r, fs in regions.items()]
        citations = self.citations.model
        own, inverse = citations.of_film(self)
        detail.facts = citations.by_topic(c for c in own if not c.is_relation)
        detail.related = _related_films(own, inverse)
        detail.infobox = _infobox(credits, own, detail.related)
        detail.tags = _tags_of(self)
        if self.pk:
            detail.essays = _visible_essays(self.essays)
            detail.events = list(self.events.filter(visible_q()).order_by(*_BY_DATE))
        return detail

    def get_json_ld(self, context) -> dict:
        film = context["film"]
        request = context.get("request")
        return self.describe(
            context,
            "Movie",
            tags=film.tags,
            alternateName=[t for t in [self.original_title] if t]
            + self.other_title_list,
            datePublished=self.date_iso,
            isBasedOn=self.based_on_json_ld(film, request),
            director=_people(film.credits.get("director", [])),
            author=_people(film.credits.get("writer", [])),
            actor=_people(film.credits.get("cast", [])),
            producer=_people(film.credits.get("producer", [])),
        )

    def based_on_json_ld(self, film: FilmDetail, request=None) -> list[dict]:
        """The source work (a ``Book`` with its author) and, for a prequel or a
        sequel, the film it was made from."""
        based_on = []
        if self.based_on or self.based_on_title:
            work = {"@type": "Book"}
            if self.based_on_title:
                work["name"] = self.based_on_title
            if self.based_on:
                work["description"] = self.based_on
            authors = _people(film.credits.get("author", []))
            if authors:
                work["author"] = authors
            based_on.append(work)
        for related in film.related:
            lineage = related.relation in (FilmRelation.PREQUEL, FilmRelation.SEQUEL)
            if lineage and not related.inverse:
                based_on.append(
                    {
                        "@type": "Movie",
                        "name": related.film.title,
                        "url": related.film.get_full_url(request),
                    }
                )
        return based_on

    @classmethod
    def featured(cls, *, pk: int | None) -> FilmPage | None:
        """The film with that id if the public may see it, else the latest film."""
        films = cls.objects.filter(visible_q()).order_by(*_NEWEST_FIRST)
        if pk:
            chosen = films.filter(pk=pk).first()
            if chosen is not None:
                return chosen
        return films.first()

    def search_passages(self) -> tuple[list[str], list[str]]:
        """What a search result may quote: (prose, labels)."""
        prose = [self.summary, html_to_text(self.synopsis)]
        return prose, [self.based_on, self.other_titles]


class FilmIndexPage(ArchiveIndexPage):
    subpage_types = ["films.FilmPage"]

    class Meta:
        verbose_name = _("film index")

    def get_listing(self, params) -> Listing:
        """One page of films, filtered by ``?tag=`` and ``?year=``."""
        visible = FilmPage.objects.filter(visible_q())
        dates = visible.filter(date__isnull=False).dates("date", "year", order="DESC")
        years = [Choice(str(d.year), str(d.year)) for d in dates]

        def select(tag: str | None = None, year: str | None = None):
            films = visible.filter(tagged_items__tag__slug=tag) if tag else visible
            if year:
                films = films.filter(date__year=int(year))
            return with_tags(films).order_by(*_NEWEST_FIRST)

        return build_listing(
            params,
            choices={
                "tag": tag_choices(
                    visible, limit=LISTING_CHOICES, keep=params.get("tag")
                ),
                "year": years,
            },
            select=select,
            per_page=FILMS_PER_PAGE,
        )

    def get_home_teaser(self, *, home) -> FilmPage | None:
        return FilmPage.featured(pk=home.featured_film_id)


class PolicyEventPage(PreciseDateMixin, ArchivePage):
    class Kind(models.TextChoices):
        MARKET_OPENING = "market-opening", _("Market opening")
        REGULATION = "regulation", _("Regulation")
        SPEECH = "speech", _("Speech")
        PLAN = "plan", _("Plan")
        DIPLOMACY = "diplomacy", _("Diplomacy")
        MILESTONE = "milestone", _("Box-office milestone")
        SCIENCE = "science", _("Science and space")
        DISTRIBUTION = "distribution", _("Distribution")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    body = StreamField(
        ArticleBodyBlock(),
        blank=True,
        max_num=50,
        verbose_name=_("body"),
        help_text=_("What happened and why it matters; paragraphs can be cited."),
    )
    films = ParentalManyToManyField(
        "films.FilmPage",
        blank=True,
        related_name="events",
        verbose_name=_("related films"),
    )
    tags = ClusterTaggableManager(through=PolicyEventPageTag, blank=True)

    content_panels = [
        *Page.content_panels,
        PreciseDateMixin.date_panel(_("When")),
        FieldPanel(
            "kind",
            help_text=_("What sort of event: a regulation, a speech, a plan ..."),
        ),
        FieldPanel("summary"),
        InlinePanel("actors", heading=_("Actors"), label=_("Actor")),
        FieldPanel("body"),
        FieldPanel(
            "films",
            widget=forms.CheckboxSelectMultiple,
            help_text=_("Films the event bears on; their pages list it."),
        ),
        InlinePanel(
            "citations", heading=_("Facts and their sources"), label=_("Cited fact")
        ),
        tags_panel(),
    ]

    search_fields = [
        *ArchivePage.search_fields,
        index.SearchField("body"),
        index.FilterField("date"),
        index.FilterField("kind"),
        index.RelatedFields("tags", [index.SearchField("name")]),
    ]
    api_fields = [
        APIField("summary"),
        *serializers.DATE_FIELDS,
        APIField("kind"),
        APIField(
            "kind_display", serializer=serializers.CharField(source="get_kind_display")
        ),
        APIField("actors", serializer=serializers.PeopleField(extra=("role",))),
        APIField("body"),
        APIField("citations", serializer=serializers.CitationsField()),
        APIField("films", serializer=serializers.PagesField()),
        APIField("essays", serializer=serializers.PagesField()),
        APIField("tags", serializer=serializers.TagsField()),
    ]

    parent_page_types = ["films.TimelinePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("policy event")
        indexes = [models.Index("date", name="policy_event_date")]

    def get_page_context(self, request) -> dict:
        return {"event": self.get_detail()}

    def get_detail(self) -> EventDetail:
        """What the page shows besides the event's own fields."""
        detail = EventDetail()
        detail.actors = with_public_people(self.actors.select_related("person"))
        # values_list works on the saved relation and on a preview's unsaved one.
        film_ids = self.films.values_list("id", flat=True)
        detail.films = list(
            FilmPage.objects.filter(visible_q(), pk__in=film_ids).order_by(*_BY_DATE)
        )
        detail.facts = _facts_by_topic(self.citations)
        detail.tags = _tags_of(self)
        if self.pk:
            detail.essays = _visible_essays(self.essays)
        return detail

    def get_json_ld(self, context) -> dict:
        event = context["event"]
        return self.describe(
            context,
            "Event",
            tags=event.tags,
            startDate=self.date_iso,
            contributor=_people(event.actors),
            about=[{"@type": "Movie", "name": film.title} for film in event.films],
        )

    def search_passages(self) -> tuple[list[str], list[str]]:
        """What a search result may quote: (prose, labels)."""
        return [self.summary, *(block_text(block) for block in self.body)], []


@dataclass(frozen=True)
class TimelineEntry:
    page: FilmPage | PolicyEventPage
    kind: str
    kind_label: str

    @classmethod
    def of(cls, page: FilmPage | PolicyEventPage) -> TimelineEntry:
        """A film's release, or an event under its kind."""
        if isinstance(page, FilmPage):
            return cls(page, RELEASE_KIND, str(RELEASE_LABEL))
        return cls(page, page.kind, page.get_kind_display())

    @property
    def is_release(self) -> bool:
        return self.kind == RELEASE_KIND


@dataclass(frozen=True)
class TimelineYear:
    year: int
    count: int
    query: str
    """The query string of the year's own listing (filters kept)."""


@dataclass
class Timeline(Listing):
    """One page of the timeline: at most ``TIMELINE_PAGE_LENGTH`` entries
    (``page``, of ``TimelineEntry``s, oldest first) under their years, and
    every year with how many entries it holds."""

    year_counts: dict[int, int] = field(default_factory=dict)
    year: int | None = None
    asked_year: str = ""
    """What ``?year=`` said, as the page may repeat it when it names no year."""

    @property
    def count(self) -> int:
        return self.page.paginator.count

    @property
    def years(self) -> list[tuple[int, list[TimelineEntry]]]:
        return _by_year(self.page.object_list)

    @property
    def narrowed(self) -> bool:
        return self.is_filtered or self.year is not None

    @property
    def not_a_year(self) -> bool:
        """True when ``?year=`` named no year: the page says so."""
        return self.year == NOT_A_YEAR

    @property
    def years_index(self) -> list[TimelineYear]:
        """Every year with entries, oldest first, as links to it."""
        return [
            TimelineYear(year, n, self.year_query(year))
            for year, n in self.year_counts.items()
        ]

    def _query(self, **extra) -> str:
        params = {name: choice.value for name, choice in self.active.items()}
        if self.year is not None:
            params["year"] = self.year
        params.update({k: v for k, v in extra.items() if v is not None})
        return f"?{urlencode(params)}" if params else ""

    def year_query(self, year: int) -> str:
        params = {name: choice.value for name, choice in self.active.items()}
        return f"?{urlencode({**params, 'year': year})}"

    @property
    def all_years_query(self) -> str:
        """The whole timeline under the same filters."""
        params = {name: choice.value for name, choice in self.active.items()}
        return f"?{urlencode(params)}" if params else ""

    @property
    def canonical_query(self) -> str:
        """A year and a page number are pages of their own; filters are not."""
        if self.filter_requested:
            return ""
        params = {}
        if self.year is not None:
            params["year"] = self.year
        if self.page.number > 1:
            params["page"] = self.page.number
        return f"?{urlencode(params)}" if params else ""


def _dated(model) -> models.QuerySet:
    return model.objects.filter(visible_q(), date__isnull=False)


def _by_year(
    entries: Iterable[TimelineEntry],
) -> list[tuple[int, list[TimelineEntry]]]:
    years: dict[int, list[TimelineEntry]] = {}
    for entry in entries:
        years.setdefault(entry.page.date.year, []).append(entry)
    return list(years.items())


def _precision_rank() -> Case:
    return Case(
        *(When(date_precision=p, then=Value(r)) for p, r in _PRECISION_RANK.items()),
        default=Value(2),
        output_field=models.IntegerField(),
    )


NOT_A_YEAR = 0
"""What ``_timeline_year`` gives for a ``?year=`` that names no year."""


def _timeline_year(raw: str | None) -> int | None:
    """The year ``?year=`` names (None without one, ``NOT_A_YEAR`` for what is
    no year from 1 to 9999)."""
    if raw is None:
        return None
    raw = raw.strip()
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= 9999:
        return NOT_A_YEAR
    return int(raw)


class TimelinePage(ArchiveIndexPage):
    subpage_types = ["films.PolicyEventPage"]

    class Meta:
        verbose_name = _("timeline")

    def get_listing(self, params) -> Timeline:
        """Dated releases and events, oldest first by year, filtered by
        ``?kind=`` and ``?tag=``, a page at a time, or one year's (``?year=``).

        A ``?year=`` that is no year (not a number from 1 to 9999), or a year
        without entries, shows no entries and says so, never the whole
        timeline in its place.
        """
        tags = tag_choices(
            _dated(FilmPage),
            _dated(PolicyEventPage),
            limit=LISTING_CHOICES,
            keep=params.get("tag"),
        )
        tag = pick(params.get("tag"), tags)
        grouped = self._kind_year_counts(tag=tag.value if tag else None)
        per_kind: Counter[str] = Counter()
        for (kind, _year), n in grouped.items():
            per_kind[kind] += n
        # Only kinds with entries are offered, and the one asked for.
        asked = (params.get("kind") or "").strip().lower()
        kinds = [
            Choice(value, str(label), per_kind[value])
            for value, label in [
                (RELEASE_KIND, RELEASE_LABEL),
                *PolicyEventPage.Kind.choices,
            ]
            if per_kind[value] or value == asked
        ]
        choices = {"kind": kinds, "tag": tags}
        active = pick_filters(params, choices)
        filters = {name: choice.value for name, choice in active.items()}
        year = _timeline_year(params.get("year"))
        counts: Counter[int] = Counter()
        for (kind, in_year), n in grouped.items():
            if kind == filters.get("kind", kind):
                counts[in_year] += n
        counts = dict(sorted(counts.items()))
        count = counts.get(year, 0) if year is not None else sum(counts.values())
        entries = (
            [] if year == NOT_A_YEAR else _LazyEntries(self, {**filters, "year": year})
        )
        paginator = CountedPaginator(entries, TIMELINE_PAGE_LENGTH, count=count)
        return Timeline(
            page=paginator.get_page(params.get("page")),
            year_counts=counts,
            choices=choices,
            active=active,
            # A year without entries is a message, not a page of its own.
            filter_requested=any(params.get(name) for name in choices)
            or (year is not None and not count),
            ignored=ignored_filters(params, choices, active),
            year=year,
            asked_year=shown_value(params.get("year") or ""),
        )

    @staticmethod
    def _pages(
        *, kind: str | None = None, tag: str | None = None, year: int | None = None
    ) -> list[models.QuerySet]:
        """The dated visible films and events the filters keep, one queryset each."""
        pages = []
        if kind in (None, RELEASE_KIND):
            pages.append(_dated(FilmPage))
        if kind != RELEASE_KIND:
            events = _dated(PolicyEventPage)
            pages.append(events.filter(kind=kind) if kind else events)
        if tag:
            pages = [p.filter(tagged_items__tag__slug=tag) for p in pages]
        if year is not None:
            pages = [p.filter(date__year=year) for p in pages]
        return pages

    def _kind_year_counts(self, *, tag: str | None = None) -> dict[tuple, int]:
        """How many entries of each kind each year holds, ``{(kind, year): n}``,
        under the tag filter: one grouped query."""
        grouped = [
            p.order_by()
            .annotate(
                year=ExtractYear("date"),
                entry_kind=(
                    Value(RELEASE_KIND, output_field=models.CharField())
                    if p.model is FilmPage
                    else F("kind")
                ),
            )
            .values("entry_kind", "year")
            .annotate(n=Count("pk"))
            .values_list("entry_kind", "year", "n")
            for p in self._pages(tag=tag)
        ]
        return {
            (kind, year): n
            for kind, year, n in grouped[0].union(*grouped[1:], all=True)
        }

    def entries(self, *, start: int, stop: int, **filters) -> list[TimelineEntry]:
        """Entries ``start`` to ``stop`` of the timeline, oldest first: the
        order and the slice in the database, then the pages, in one query."""
        pages = self._pages(**filters)
        keys = _sort_keys(pages).order_by(*_TIMELINE_ORDER)
        return _entries_of(pages, list(keys[start:stop]))

    def get_home_teaser(self, *, home, limit: int = 5) -> list[TimelineEntry]:
        """The last ``limit`` entries of the timeline, in its order (oldest
        first; in a year, what is known only to the year, then to the month,
        then to the day): one query picks them, one reads them."""
        pages = self._pages()
        newest_first = [f"-{name}" for name in _TIMELINE_ORDER]
        rows = list(_sort_keys(pages).order_by(*newest_first)[:limit])
        return _entries_of(pages, rows[::-1])


_TIMELINE_ORDER = ("date", "rank", "sort_title", "pk")
"""The timeline's order, the names ``_sort_keys`` gives its columns."""


def _sort_keys(pages: list[models.QuerySet]) -> models.QuerySet:
    """(pk, date, rank, sort_title, source) of the pages of every queryset in
    ``pages`` (``source`` its index there), as one union to order and slice."""
    keys = [
        p.order_by()
        .annotate(
            rank=_precision_rank(),
            sort_title=Lower("title"),
            source=Value(n, output_field=models.IntegerField()),
        )
        .values_list("pk", "date", "rank", "sort_title", "source")
        for n, p in enumerate(pages)
    ]
    return keys[0].union(*keys[1:], all=True) if len(keys) > 1 else keys[0]


def _entries_of(pages: list[models.QuerySet], rows: list[tuple]) -> list[TimelineEntry]:
    """The entries ``rows`` (from ``_sort_keys``) name, in their order: one
    query, each type's table joined to the page rows."""
    children = [queryset.model._meta.model_name for queryset in pages]
    ids = [pk for pk, *_keys in rows]
    found = {}
    for page in Page.objects.filter(pk__in=ids).select_related(*children):
        specific = next(
            (getattr(page, c) for c in children if getattr(page, c, None)), None
        )
        if specific is not None:
            found[page.pk] = specific
    return [TimelineEntry.of(found[row[0]]) for row in rows if row[0] in found]


class _LazyEntries:
    """The timeline's entries as a paginator slices them: only the page asked
    for is read."""

    def __init__(self, timeline: TimelinePage, filters: dict):
        self.timeline = timeline
        self.filters = filters

    def __getitem__(self, window: slice) -> list[TimelineEntry]:
        return self.timeline.entries(
            start=window.start, stop=window.stop, **self.filters
        )


archive_types.register(
    ArchiveType(
        "film",
        FilmPage,
        FilmPageTag,
        _("Films"),
        _("Film"),
        position=10,
        people=("film_credits",),
        counted=(_("film"), _("films")),
        ordering=_BY_DATE,
        date_field="date",
        facts=("citations", "box_office_figures"),
        date_label=_("Released"),
    )
)
archive_types.register(
    ArchiveType(
        "event",
        PolicyEventPage,
        PolicyEventPageTag,
        _("Events"),
        _("Policy event"),
        position=30,
        people=("event_roles",),
        counted=(_("event"), _("events")),
        ordering=_BY_DATE,
        date_field="date",
        facts=("citations",),
        date_label=_("Date"),
    )
)
