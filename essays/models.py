"""Essays about the films, the citations that quote them, and what their pages
read."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import slug_unicode_re
from django.db import models
from django.db.models import CharField, Count, F, Prefetch, Q, QuerySet, Value
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import ItemBase
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from films.models import FactTopic, FilmPage, FilmRelation, PolicyEventPage
from wanderingsite import serializers
from wanderingsite.blocks import ArticleBodyBlock
from wanderingsite.citing import Reference, page_reference
from wanderingsite.dates import DatePrecision, format_precise_date, iso_precise_date
from wanderingsite.listing import (
    LISTING_CHOICES,
    Choice,
    Listing,
    build_listing,
    tag_choices,
    with_tags,
)
from wanderingsite.models import (
    ArchiveIndexPage,
    ArchivePage,
    ArchiveTag,
    Person,
    person_panel,
    public_people_q,
    tags_panel,
    with_public_people,
)
from wanderingsite.page_types import ArchiveType, archive_types
from wanderingsite.quotes import block_text, find_anchor, normalise, quote_id
from wanderingsite.visibility import visible_q

from .passages import (
    BOX_OFFICE_ANCHOR,
    FROM_PARAM,
    SHORTEST_LINKED_TITLE,
    BodyPart,
    CitedParagraph,
    CitingFact,
    arrived_from,
    essay_body,
    fact_digest,
)

NOT_RECORDED = _("not recorded")
ESSAYS_PER_PAGE = 10
_NEWEST_FIRST = (F("published_date").desc(nulls_last=True), "title")
_BY_DATE = (F("date").asc(nulls_last=True), "title")


class EssayPageTag(ItemBase):
    tag = models.ForeignKey(
        ArchiveTag, related_name="essay_items", on_delete=models.CASCADE
    )
    content_object = ParentalKey(
        "essays.EssayPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class EssayAuthor(Orderable):
    page = ParentalKey(
        "essays.EssayPage", related_name="authors", on_delete=models.CASCADE
    )
    person = models.ForeignKey(
        "wanderingsite.Person", on_delete=models.PROTECT, related_name="essays_written"
    )
    affiliation = models.CharField(
        _("affiliation"),
        max_length=300,
        blank=True,
        help_text=_("Position and institution as the essay gives them."),
    )

    panels = [
        person_panel(),
        FieldPanel("affiliation"),
    ]

    def __str__(self):
        return str(self.person)


# What a citation shows of its essay: the title, and what its URL is made of.
CITED_ESSAY_FIELDS = (
    "title",
    "publication",
    "slug",
    "url_path",
    "live",
    "locale_id",
    "depth",
    "path",
)
# What a film relation shows of the film at its other end: a link and a year.
RELATED_FILM_FIELDS = (
    "title",
    "slug",
    "url_path",
    "live",
    "locale_id",
    "depth",
    "path",
    "date",
    "date_precision",
    "original_title",
    "original_language",
)


class Citation(models.Model):
    """A claim backed by an exact quote from an essay."""

    Topic = FactTopic

    claim = models.CharField(
        _("claim"),
        max_length=300,
        help_text=_(
            "The fact in your own words, e.g. 'Some 7,000 people worked on it'."
        ),
    )
    topic = models.CharField(
        _("topic"), max_length=20, choices=Topic.choices, default=Topic.CONTEXT
    )
    essay = models.ForeignKey(
        "essays.EssayPage",
        verbose_name=_("essay"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The essay that states the claim."),
    )
    quote = models.TextField(
        _("quote"),
        max_length=2000,
        help_text=_(
            "Copy the words exactly as the essay has them; the link goes to the "
            "paragraph that holds them. Curly and straight quotes both match."
        ),
    )

    anchor = models.CharField(
        _("paragraph anchor"),
        max_length=60,
        blank=True,
        editable=False,
        help_text=_("The anchor of the essay paragraph that holds the quote."),
    )

    panels = [
        FieldPanel("claim"),
        FieldPanel(
            "topic", help_text=_("What the fact is about: release, production ...")
        ),
        PageChooserPanel("essay", "essays.EssayPage"),
        FieldPanel("quote"),
    ]

    class Meta:
        abstract = True

    def __str__(self):
        return self.claim

    def clean(self):
        """Refuse a quote the essay does not hold; point the link at its paragraph."""
        super().clean()
        if not self.essay_id or not self.quote:
            return
        essay = self.essay
        anchor = find_anchor(essay.body, self.quote)
        if anchor is None:
            raise ValidationError(
                {
                    "quote": _(
                        "This quote does not occur in '%(essay)s'. Copy the words "
                        "exactly as the essay has them."
                    )
                    % {"essay": essay.title}
                }
            )
        self.anchor = anchor

    @property
    def quote_id(self) -> str:
        """The id of the quoted words on the essay's page."""
        return quote_id(self.anchor, self.quote)

    @property
    def fact_anchor(self) -> str:
        """The id of the fact on its own page."""
        return f"fact-{fact_digest(self.claim, self.quote)}"

    @property
    def back_anchor(self) -> str:
        """Where the essay's "back to the fact" lands on the fact's page."""
        return self.fact_anchor

    def get_url(self, request=None) -> str:
        """The quoted words, ``/essays/<slug>/?from=<fact>#<quote id>``: the
        essay highlights them, and its banner names the fact and leads back."""
        url = self.essay.get_url(request) or ""
        if not url:
            return ""
        page_id = getattr(self, "page_id", None)
        digest = fact_digest(self.claim, self.quote)
        query = f"?{FROM_PARAM}={page_id}-{digest}" if page_id else ""
        return f"{url}{query}#{self.quote_id}"

    def get_paragraph_url(self, request=None) -> str:
        """The cited paragraph: ``/essays/<slug>/#<anchor>``."""
        url = self.essay.get_url(request) or ""
        return f"{url}#{self.anchor}" if self.anchor else url

    @classmethod
    def visible_in(cls, relation) -> list[Citation]:
        """The citations of a page's ``relation`` whose essay the public may see,
        each with its essay loaded."""
        citations = relation.all()
        if isinstance(citations, QuerySet):
            # Of the essay, only what a link to it needs: a whole essay row per
            # citation cost more than the rest of a film page's facts together.
            own = [field.name for field in cls._meta.concrete_fields]
            return list(
                citations.filter(visible_q("essay__"))
                .select_related("essay")
                .only(*own, *(f"essay__{name}" for name in CITED_ESSAY_FIELDS))
            )
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

    @classmethod
    def by_topic(cls, citations: Iterable[Citation]) -> list[tuple[str, list]]:
        """``citations`` under their topics' labels, in the topics' order."""
        topics = dict(cls.Topic.choices)
        grouped: dict[str, list[Citation]] = {}
        for citation in citations:
            grouped.setdefault(citation.topic, []).append(citation)
        return [
            (str(label), grouped[topic])
            for topic, label in topics.items()
            if topic in grouped
        ] + [(topic, items) for topic, items in grouped.items() if topic not in topics]


class FilmCitation(Orderable, Citation):
    """A fact about a film; with a ``relation`` and a ``related_film``, a typed
    relation to another film that both films' pages show."""

    page = ParentalKey(
        "films.FilmPage", related_name="citations", on_delete=models.CASCADE
    )
    relation = models.CharField(
        _("relation to another film"),
        max_length=20,
        choices=FilmRelation.choices,
        blank=True,
        help_text=_(
            "Only when the quote says how this film relates to another: a prequel "
            "to it, adapted from the same source work, compared with it."
        ),
    )
    related_film = models.ForeignKey(
        "films.FilmPage",
        verbose_name=_("related film"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cited_relations",
        help_text=_("The other film; its page shows the relation the other way."),
    )

    panels = [
        *Citation.panels,
        FieldRowPanel(
            [
                FieldPanel("relation"),
                PageChooserPanel("related_film", "films.FilmPage"),
            ]
        ),
    ]

    def clean(self):
        """A relation names its film, and the film is another one; a relation
        is a fact about both films, under the topic "Related films"."""
        super().clean()
        if bool(self.relation) != bool(self.related_film_id):
            missing = "related_film" if self.relation else "relation"
            raise ValidationError(
                {missing: _("A relation and its film go together: give both.")}
            )
        if self.related_film_id and self.related_film_id == self.page_id:
            raise ValidationError(
                {"related_film": _("A film is not related to itself here.")}
            )
        if self.relation:
            self.topic = self.Topic.LINEAGE

    @property
    def is_relation(self) -> bool:
        return bool(self.relation and self.related_film_id)

    def names(self, person) -> bool:
        """Whether the quote names ``person`` (their name or an alias)."""
        quote = normalise(self.quote).lower()
        names = [person.name, *person.alias_list]
        return any(normalise(name).lower() in quote for name in names if name)

    @classmethod
    def of_film(cls, film) -> tuple[list[FilmCitation], list[FilmCitation]]:
        """The film's own visible citations, and the relations other visible
        films state to it: (own, inverse), each with its essay and films loaded.

        A relation whose other film the public may not see is left out on
        both sides. One query for a saved film; a preview's unsaved citations
        are in memory, and the inverse relations cost a second query.
        """
        own_fields = [f.name for f in cls._meta.concrete_fields]
        fields = [
            *own_fields,
            *(f"essay__{name}" for name in CITED_ESSAY_FIELDS),
            *(f"page__{name}" for name in RELATED_FILM_FIELDS),
            *(f"related_film__{name}" for name in RELATED_FILM_FIELDS),
        ]
        rows = (
            cls.objects.filter(visible_q("essay__"))
            .select_related("essay", "page", "related_film")
            .only(*fields)
            .order_by("sort_order", "pk")
        )
        inverse = Q(related_film_id=film.pk) & visible_q("page__")
        if isinstance(film.citations.all(), QuerySet):
            mine = Q(page_id=film.pk) & (
                Q(related_film__isnull=True) | visible_q("related_film__")
            )
            found = list(rows.filter(mine | inverse))
            own = [c for c in found if c.page_id == film.pk]
            return own, [c for c in found if c.page_id != film.pk]
        # A preview: its citations are in memory, their films read at once.
        own = cls.visible_in(film.citations)
        wanted = {c.related_film_id for c in own if c.related_film_id}
        films = FilmPage.objects.filter(visible_q()).in_bulk(wanted) if wanted else {}
        kept = []
        for citation in own:
            if citation.related_film_id:
                if citation.related_film_id not in films:
                    continue
                citation.related_film = films[citation.related_film_id]
            kept.append(citation)
        return kept, list(rows.filter(inverse)) if film.pk else []


class EventCitation(Orderable, Citation):
    page = ParentalKey(
        "films.PolicyEventPage", related_name="citations", on_delete=models.CASCADE
    )


class BoxOfficeFigure(Orderable, Citation):
    """A gross as one source states it; sources that disagree stand side by side."""

    class Qualifier(models.TextChoices):
        EXACT = "", _("as stated")
        OVER = "over", _("over")
        ABOUT = "about", _("about")
        UNDER = "under", _("under")

    page = ParentalKey(
        "films.FilmPage", related_name="box_office_figures", on_delete=models.CASCADE
    )
    region = models.CharField(
        _("region"),
        max_length=100,
        help_text=_("Where the money was taken: 'China (domestic)', 'Overseas' ..."),
    )
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)
    currency = models.CharField(
        _("currency"), max_length=3, default="USD", help_text=_("ISO 4217 code.")
    )
    qualifier = models.CharField(
        _("qualifier"), max_length=10, choices=Qualifier.choices, blank=True
    )

    panels = [
        FieldRowPanel(
            [
                FieldPanel("region"),
                FieldPanel(
                    "qualifier",
                    help_text=_("Keep the source's hedge: 'over $600 million'."),
                ),
            ]
        ),
        FieldRowPanel(
            [
                FieldPanel(
                    "amount",
                    help_text=_("In full: 600000000 for '$600 million'."),
                ),
                FieldPanel("currency"),
            ]
        ),
        # The box-office table is its own topic; the citation's topic would
        # only ask the editor a question nothing reads.
        *(panel for panel in Citation.panels if panel.field_name != "topic"),
    ]

    @property
    def back_anchor(self) -> str:
        # The film page's box-office rows carry no ids of their own: the
        # essay leads back to the table.
        return BOX_OFFICE_ANCHOR


def _citing_rows(model, kind: str, essay_id: int) -> QuerySet:
    return (
        model.objects.filter(visible_q("page__"), essay_id=essay_id)
        .order_by()
        .annotate(kind=Value(kind, output_field=CharField()))
        .values_list(
            "page_id",
            "page__title",
            "page__url_path",
            "claim",
            "quote",
            "anchor",
            "sort_order",
            "kind",
        )
    )


def citing_facts(essay_id: int, request=None) -> list[CitingFact]:
    """The facts on pages the public may see that quote the essay: one query
    over films' facts, their box-office figures and events' facts."""
    rows = [
        _citing_rows(model, kind, essay_id)
        for model, kind in (
            (FilmCitation, "film"),
            (BoxOfficeFigure, "box-office"),
            (EventCitation, "event"),
        )
    ]
    facts = [
        CitingFact(
            kind=kind,
            page_id=page_id,
            page_title=title,
            page_url=Page(pk=page_id, url_path=url_path).get_url(request) or "",
            claim=claim,
            quote=quote,
            anchor=anchor,
            order=(title.lower(), page_id, kind, sort_order),
        )
        for page_id, title, url_path, claim, quote, anchor, sort_order, kind in rows[
            0
        ].union(*rows[1:], all=True)
    ]
    return sorted(facts, key=lambda fact: fact.order)


@dataclass
class EssayDetail:
    authors: list[EssayAuthor] = field(default_factory=list)
    films: list[FilmPage] = field(default_factory=list)
    events: list[PolicyEventPage] = field(default_factory=list)
    tags: list[ArchiveTag] = field(default_factory=list)
    body: list[BodyPart] = field(default_factory=list)
    cited: list[CitedParagraph] = field(default_factory=list)
    """The paragraphs that facts quote, in order, with those facts."""
    arrived_from: CitingFact | None = None
    """The fact whose citation the visitor followed here (``?from=``)."""

    @property
    def citing_count(self) -> int:
        return sum(len(paragraph.facts) for paragraph in self.cited)


def film_names(request=None) -> dict[str, str]:
    """Each title a public film goes by (its title, original and other
    titles) with the film's URL: one query. A title two films share is left
    out, and so is one too short to tell from a word."""
    names: dict[str, str | None] = {}
    rows = FilmPage.objects.filter(visible_q()).values_list(
        "pk", "title", "original_title", "other_titles", "url_path"
    )
    for pk, title, original, others, url_path in rows:
        url = Page(pk=pk, url_path=url_path).get_url(request)
        for name in {title, original, *others.splitlines()}:
            name = name.strip()
            if url and len(name) >= SHORTEST_LINKED_TITLE:
                names[name] = url if names.get(name, url) == url else None
    return {name: url for name, url in names.items() if url}


def _with_authors(essays: QuerySet) -> QuerySet:
    authors = (
        EssayAuthor.objects.filter(public_people_q("person__"))
        .select_related("person")
        .order_by("sort_order")
    )
    return essays.prefetch_related(Prefetch("authors", queryset=authors))


class EssayPage(ArchivePage):
    publication = models.CharField(
        _("publication"),
        max_length=300,
        help_text=_("Where the essay was published, e.g. 'WORLD magazine'."),
    )
    publication_note = models.TextField(
        _("publication note"),
        max_length=1000,
        blank=True,
        help_text=_("Section, syndication or other notes on where it appeared."),
    )
    published_date = models.DateField(_("published"), null=True, blank=True)
    published_date_precision = models.CharField(
        _("published date precision"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    source_url = models.URLField(
        _("source URL"),
        blank=True,
        max_length=500,
        help_text=_("Where the original can be read; leave blank if not recorded."),
    )
    provenance = models.TextField(
        _("why the archive holds the text"),
        max_length=1000,
        blank=True,
        help_text=_(
            "In a sentence or two, why the archive reproduces the essay's full "
            "text; shown beside where it first appeared."
        ),
    )
    rights = models.CharField(
        _("terms of reproduction"),
        max_length=300,
        blank=True,
        help_text=_(
            "The licence or permission under which the archive reproduces the "
            "text, as recorded; leave blank if not recorded."
        ),
    )
    body = StreamField(ArticleBodyBlock(), verbose_name=_("body"))
    films = ParentalManyToManyField(
        "films.FilmPage",
        blank=True,
        related_name="essays",
        verbose_name=_("films discussed"),
    )
    events = ParentalManyToManyField(
        "films.PolicyEventPage",
        blank=True,
        related_name="essays",
        verbose_name=_("events mentioned"),
    )
    tags = ClusterTaggableManager(through=EssayPageTag, blank=True)

    content_panels = [
        *Page.content_panels,
        InlinePanel(
            "authors",
            heading=_("Authors"),
            label=_("Author"),
            help_text=_("Leave empty when the source does not record an author."),
        ),
        MultiFieldPanel(
            [
                FieldPanel("publication"),
                FieldPanel("publication_note"),
                FieldRowPanel(
                    [
                        FieldPanel(
                            "published_date",
                            help_text=_(
                                "For a year or month only, enter its first day "
                                "and set the precision."
                            ),
                        ),
                        FieldPanel(
                            "published_date_precision",
                            help_text=_("How much of the date the source states."),
                        ),
                    ]
                ),
                FieldPanel("source_url"),
                FieldPanel("provenance"),
                FieldPanel("rights"),
            ],
            heading=_("Publication"),
        ),
        FieldPanel("summary"),
        FieldPanel(
            "body",
            help_text=_(
                "The essay's words as published: paragraphs, headings, quotes "
                "and images. Citations link to paragraphs by their anchors."
            ),
        ),
        MultiFieldPanel(
            [
                FieldPanel(
                    "films",
                    widget=forms.CheckboxSelectMultiple,
                    help_text=_("Films the essay discusses; their pages list it."),
                ),
                FieldPanel(
                    "events",
                    widget=forms.CheckboxSelectMultiple,
                    help_text=_("Policy events it mentions; they link back here."),
                ),
            ],
            heading=_("What the essay discusses"),
        ),
        tags_panel(),
    ]

    search_fields = [
        *ArchivePage.search_fields,
        index.SearchField("body"),
        index.SearchField("publication"),
        index.FilterField("published_date"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        # The published authors only: a draft person's name finds nothing.
        index.SearchField("public_author_names"),
    ]
    api_fields = [
        APIField("summary"),
        APIField("authors", serializer=serializers.PeopleField(extra=("affiliation",))),
        APIField("publication"),
        APIField("publication_note"),
        APIField("published_date"),
        APIField("published_date_precision"),
        APIField("published_display"),
        APIField("published_iso"),
        # The same date under the names films and events use.
        APIField("date", serializer=serializers.DateField(source="published_date")),
        APIField(
            "date_precision",
            serializer=serializers.CharField(source="published_date_precision"),
        ),
        APIField(
            "date_display", serializer=serializers.CharField(source="published_display")
        ),
        APIField("source_url"),
        APIField("provenance"),
        APIField("rights"),
        APIField("body"),
        APIField("films", serializer=serializers.PagesField()),
        APIField("events", serializer=serializers.PagesField()),
        APIField("tags", serializer=serializers.TagsField()),
    ]

    parent_page_types = ["essays.EssayIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("essay")
        # "published_date DESC NULLS LAST" is indexed by migration 0003 on
        # PostgreSQL only, and not declared here: SQLite cannot index NULLS
        # LAST, and rebuilds its tables from the declared indexes.

    def get_page_context(self, request) -> dict:
        arrived = request.GET.get(FROM_PARAM) if request is not None else None
        # A citation's link is the essay's page with a banner, not a page of
        # its own for search engines.
        return {"essay": self.get_detail(request, arrived), "noindex": bool(arrived)}

    @property
    def published_display(self) -> str:
        return format_precise_date(self.published_date, self.published_date_precision)

    @property
    def published_iso(self) -> str:
        return iso_precise_date(self.published_date, self.published_date_precision)

    def public_author_names(self) -> str:
        authors = with_public_people(self.authors.select_related("person"))
        return "\n".join(author.person.name for author in authors)

    def get_detail(self, request=None, arrived: str | None = None) -> EssayDetail:
        """What the page shows besides the essay's own fields; ``arrived`` is
        the ``from`` of the citation the visitor followed, if any."""
        # values_list works on the saved relations and on a preview's unsaved ones.
        film_ids = self.films.values_list("id", flat=True)
        event_ids = self.events.values_list("id", flat=True)
        facts = citing_facts(self.pk, request) if self.pk else []
        body, cited = essay_body(self.body, facts, film_names(request))
        return EssayDetail(
            authors=with_public_people(self.authors.select_related("person")),
            films=list(
                FilmPage.objects.filter(visible_q(), pk__in=film_ids).order_by(
                    *_BY_DATE
                )
            ),
            events=list(
                PolicyEventPage.objects.filter(visible_q(), pk__in=event_ids).order_by(
                    *_BY_DATE
                )
            ),
            tags=sorted(self.tags.all(), key=lambda t: t.name.lower()),
            body=body,
            cited=cited,
            arrived_from=arrived_from(facts, arrived),
        )

    def get_reference(self, request, context=None) -> Reference:
        """The essay as the work it is, held by the archive."""
        authors = (
            context["essay"].authors
            if context
            else with_public_people(self.authors.select_related("person"))
        )
        return page_reference(
            self,
            request,
            authors=tuple(author.person.name for author in authors),
            publication=self.publication,
            published=self.published_date,
            published_precision=self.published_date_precision,
            original_url=self.source_url,
        )

    def get_json_ld(self, context) -> dict:
        essay = context["essay"]
        return self.describe(
            context,
            "Article",
            tags=essay.tags,
            headline=self.title[:110],
            datePublished=self.published_iso,
            publisher={"@type": "Organization", "name": self.publication},
            isBasedOn=self.source_url,
            author=[a.person.get_json_ld() for a in essay.authors],
            about=[{"@type": "Movie", "name": film.title} for film in essay.films],
        )

    def search_passages(self) -> tuple[list[str], list[str]]:
        """What a search result may quote: (prose, labels)."""
        prose = [self.summary, *(block_text(block) for block in self.body)]
        return prose, [self.publication, self.publication_note]


def _most_published(essays: QuerySet, *, keep: str | None) -> list[Person]:
    """The ``LISTING_CHOICES`` people with the most of ``essays``, and the
    one whose slug is ``keep`` if any of them is theirs, by name, each with
    ``n``."""
    writers = (
        Person.objects.published()
        .filter(essays_written__page__in=essays.values("pk"))
        .annotate(n=Count("essays_written"))
    )
    most = Q(pk__in=writers.order_by("-n", "name").values("pk")[:LISTING_CHOICES])
    wanted = (keep or "").strip().lower()
    if slug_unicode_re.fullmatch(wanted):
        most |= Q(slug=wanted)
    return list(writers.filter(most).order_by("name"))


class EssayIndexPage(ArchiveIndexPage):
    subpage_types = ["essays.EssayPage"]

    class Meta:
        verbose_name = _("essay index")

    def get_listing(self, params) -> Listing:
        """One page of essays, filtered by ``?tag=`` and ``?author=``."""
        visible = EssayPage.objects.filter(visible_q())
        authors = _most_published(visible, keep=params.get("author"))

        def select(tag: str | None = None, author: str | None = None):
            essays = visible.filter(tagged_items__tag__slug=tag) if tag else visible
            if author:
                essays = essays.filter(authors__person__slug=author)
            return _with_authors(with_tags(essays)).order_by(*_NEWEST_FIRST)

        return build_listing(
            params,
            choices={
                "tag": tag_choices(
                    visible, limit=LISTING_CHOICES, keep=params.get("tag")
                ),
                "author": [Choice(p.slug, p.name, p.n) for p in authors],
            },
            select=select,
            per_page=ESSAYS_PER_PAGE,
        )

    def get_home_teaser(self, *, home, limit: int = 3) -> list[EssayPage]:
        """The ``limit`` most recently published essays, with their authors."""
        essays = _with_authors(EssayPage.objects.filter(visible_q()))
        return list(essays.order_by(*_NEWEST_FIRST)[:limit])


archive_types.register(
    ArchiveType(
        "essay",
        EssayPage,
        EssayPageTag,
        _("Essays"),
        _("Essay"),
        position=20,
        people=("essays_written",),
        counted=(_("essay"), _("essays")),
        ordering=_NEWEST_FIRST,
        date_field="published_date",
        date_label=_("Published"),
        published_elsewhere=True,
    )
)
