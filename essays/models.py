"""Essays about the films, and the citations that quote them."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
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
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from wanderingsite import serializers as api
from wanderingsite.blocks import ArticleBodyBlock
from wanderingsite.dates import DatePrecision, format_precise_date, iso_precise_date
from wanderingsite.models import ArchivePage, ArchiveTag
from wanderingsite.page_types import ArchiveType, archive_types
from wanderingsite.quotes import find_anchor

NOT_RECORDED = _("not recorded")
_NEWEST_FIRST = (F("published_date").desc(nulls_last=True), "title")


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
        FieldPanel(
            "person",
            help_text=_(
                "Choose from People; add the person or institution there first."
            ),
        ),
        FieldPanel("affiliation"),
    ]

    def __str__(self):
        return str(self.person)


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
        FieldPanel(
            "tags",
            help_text=_(
                "Tags from the shared vocabulary: start typing and pick one. "
                "A new name makes a new tag; prefer an existing one."
            ),
        ),
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
        APIField("authors", serializer=api.PeopleField(extra=("affiliation",))),
        APIField("publication"),
        APIField("publication_note"),
        APIField("published_date"),
        APIField("published_date_precision"),
        APIField("published_display"),
        APIField("published_iso"),
        # The same date under the names films and events use.
        APIField("date", serializer=api.DateField(source="published_date")),
        APIField(
            "date_precision",
            serializer=api.CharField(source="published_date_precision"),
        ),
        APIField("date_display", serializer=api.CharField(source="published_display")),
        APIField("source_url"),
        APIField("body"),
        APIField("films", serializer=api.PagesField()),
        APIField("events", serializer=api.PagesField()),
        APIField("tags", serializer=api.TagsField()),
    ]

    parent_page_types = ["essays.EssayIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("essay")

    def get_context(self, request, *args, **kwargs):
        from .selectors import essay_detail

        context = super().get_context(request, *args, **kwargs)
        context["essay"] = essay_detail(essay=self)
        context["json_ld"] = self.get_json_ld(context)
        return context

    @property
    def published_display(self) -> str:
        return format_precise_date(self.published_date, self.published_date_precision)

    @property
    def published_iso(self) -> str:
        return iso_precise_date(self.published_date, self.published_date_precision)

    def get_json_ld(self, context) -> dict:
        data = {
            **super().get_json_ld(context),
            "@type": "Article",
            "headline": self.title[:110],
            "datePublished": self.published_iso,
            "publisher": {"@type": "Organization", "name": self.publication},
            "isBasedOn": self.source_url,
        }
        detail = context.get("essay")
        if detail is not None:
            data["author"] = [a.person.get_json_ld() for a in detail.authors]
            data["about"] = [
                {"@type": "Movie", "name": film.title} for film in detail.films
            ]
            data["keywords"] = ", ".join(t.name for t in detail.tags)
        return {key: value for key, value in data.items() if value}


class EssayIndexPage(ArchivePage):
    intro = RichTextField(
        _("introduction"),
        features=["bold", "italic", "link"],
        max_length=5000,
        blank=True,
    )

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("intro")]

    parent_page_types = ["wanderingsite.HomePage"]
    subpage_types = ["essays.EssayPage"]
    max_count = 1

    class Meta:
        verbose_name = _("essay index")

    def get_context(self, request, *args, **kwargs):
        from .selectors import essay_listing

        context = super().get_context(request, *args, **kwargs)
        context["listing"] = essay_listing(params=request.GET)
        context["canonical_url"] += context["listing"].canonical_query
        return context


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
    )
)
