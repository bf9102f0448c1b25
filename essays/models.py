"""Essays about the films, the citations that quote them, and what their pages
read."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import slug_unicode_re
from django.db import models
from django.db.models import Count, F, Prefetch, Q, QuerySet
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

from films.models import FilmPage, PolicyEventPage
from wanderingsite import serializers
from wanderingsite.blocks import ArticleBodyBlock
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
    tags_panel,
)
from wanderingsite.page_types import ArchiveType, archive_types
from wanderingsite.quotes import block_text, find_anchor
from wanderingsite.visibility import visible_q

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
CITED_ESSAY_FIELDS = ("title", "slug", "url_path", "live", "locale_id", "depth", "path")


class Citation(models.Model):
    """A claim backed by an exact quote from an essay."""

    class Topic(models.TextChoices):
        RELEASE = "release", _("Release")
        PRODUCTION = "production", _("Production")
        DISTRIBUTION = "distribution", _("Distribution")
        RECEPTION = "reception", _("Reception")
        STORY = "story", _("Story")
        CONTEXT = "context", _("Context")

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

    def get_url(self, request=None) -> str:
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
    page = ParentalKey(
        "films.FilmPage", related_name="citations", on_delete=models.CASCADE
    )


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


@dataclass
class EssayDetail:
    authors: list[EssayAuthor] = field(default_factory=list)
    films: list[FilmPage] = field(default_factory=list)
    events: list[PolicyEventPage] = field(default_factory=list)
    tags: list[ArchiveTag] = field(default_factory=list)


def _with_authors(essays: QuerySet) -> QuerySet:
    authors = EssayAuthor.objects.select_related("person").order_by("sort_order")
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
        index.RelatedFields(
            "authors", [index.RelatedFields("person", [index.SearchField("name")])]
        ),
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
        APIField("body"),
        APIField("films", serializer=serializers.PagesField()),
        APIField("events", serializer=serializers.PagesField()),
        APIField("tags", serializer=serializers.TagsField()),
    ]

    parent_page_types = ["essays.EssayIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("essay")
        indexes = [
            models.Index(
                F("published_date").desc(nulls_last=True), name="essay_published"
            )
        ]

    def get_page_context(self, request) -> dict:
        return {"essay": self.get_detail()}

    @property
    def published_display(self) -> str:
        return format_precise_date(self.published_date, self.published_date_precision)

    @property
    def published_iso(self) -> str:
        return iso_precise_date(self.published_date, self.published_date_precision)

    def get_detail(self) -> EssayDetail:
        """What the page shows besides the essay's own fields."""
        # values_list works on the saved relations and on a preview's unsaved ones.
        film_ids = self.films.values_list("id", flat=True)
        event_ids = self.events.values_list("id", flat=True)
        return EssayDetail(
            authors=list(self.authors.select_related("person")),
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
    writers = Person.objects.filter(
        essays_written__page__in=essays.values("pk")
    ).annotate(n=Count("essays_written"))
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
