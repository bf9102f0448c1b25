"""The screen and the state policy around it."""

from django import forms
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
)
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from wanderingsite import serializers as api
from wanderingsite.blocks import ArticleBodyBlock
from wanderingsite.models import ArchivePage, ArchiveTag, PreciseDateMixin
from wanderingsite.page_types import ArchiveType, archive_types

_BY_DATE = (F("date").asc(nulls_last=True), "title")


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
                FieldPanel(
                    "person",
                    help_text=_(
                        "Choose from People; add the person or institution there first."
                    ),
                ),
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
        FieldPanel(
            "person",
            help_text=_(
                "Choose from People; add the person or institution there first."
            ),
        ),
        FieldPanel("role"),
    ]

    def __str__(self):
        return str(self.person)


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
    synopsis = RichTextField(
        _("synopsis"),
        features=["bold", "italic", "link"],
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
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("date"), FieldPanel("date_precision")]),
                FieldPanel("date_note"),
            ],
            heading=_("Release"),
        ),
        FieldPanel("summary"),
        FieldPanel("based_on"),
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
        index.SearchField("original_title"),
        index.SearchField("other_titles"),
        index.SearchField("synopsis"),
        index.SearchField("based_on"),
        index.AutocompleteField("original_title"),
        index.FilterField("date"),
        index.RelatedFields("tags", [index.SearchField("name")]),
    ]
    api_fields = [
        APIField("summary"),
        APIField("original_title"),
        APIField("original_language"),
        APIField("other_title_list"),
        *api.DATE_FIELDS,
        APIField("based_on"),
        APIField("synopsis", serializer=api.RichTextField()),
        APIField("credits", serializer=api.PeopleField(extra=("role", "character"))),
        APIField(
            "box_office_figures",
            serializer=api.CitationsField(
                extra=("region", "amount", "currency", "qualifier")
            ),
        ),
        APIField("citations", serializer=api.CitationsField()),
        APIField("essays", serializer=api.PagesField()),
        APIField("events", serializer=api.PagesField()),
        APIField("tags", serializer=api.TagsField()),
    ]

    parent_page_types = ["films.FilmIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("film")

    def get_context(self, request, *args, **kwargs):
        from .selectors import film_detail

        context = super().get_context(request, *args, **kwargs)
        context["film"] = film_detail(film=self)
        context["json_ld"] = self.get_json_ld(context)
        return context

    @property
    def other_title_list(self) -> list[str]:
        return [line.strip() for line in self.other_titles.splitlines() if line.strip()]

    def get_json_ld(self, context) -> dict:
        data = {
            **super().get_json_ld(context),
            "@type": "Movie",
            "alternateName": [t for t in [self.original_title] if t]
            + self.other_title_list,
            "datePublished": self.date_iso,
            "isBasedOn": self.based_on,
        }
        detail = context.get("film")
        if detail is not None:
            for role, key in (("director", "director"), ("writer", "author")):
                credits = detail.credits.get(role, [])
                data[key] = [c.person.get_json_ld() for c in credits]
            cast = detail.credits.get("cast", [])
            data["actor"] = [c.person.get_json_ld() for c in cast]
            data["keywords"] = ", ".join(t.name for t in detail.tags)
        return {key: value for key, value in data.items() if value}


class FilmIndexPage(ArchivePage):
    intro = RichTextField(
        _("introduction"),
        features=["bold", "italic", "link"],
        max_length=5000,
        blank=True,
    )

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("intro")]

    parent_page_types = ["wanderingsite.HomePage"]
    subpage_types = ["films.FilmPage"]
    max_count = 1

    class Meta:
        verbose_name = _("film index")

    def get_context(self, request, *args, **kwargs):
        from .selectors import film_listing

        context = super().get_context(request, *args, **kwargs)
        context["listing"] = film_listing(params=request.GET)
        context["canonical_url"] += context["listing"].canonical_query
        return context


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
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("date"), FieldPanel("date_precision")]),
                FieldPanel("date_note"),
            ],
            heading=_("When"),
        ),
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
        index.FilterField("date"),
        index.FilterField("kind"),
        index.RelatedFields("tags", [index.SearchField("name")]),
    ]
    api_fields = [
        APIField("summary"),
        *api.DATE_FIELDS,
        APIField("kind"),
        APIField("kind_display", serializer=api.CharField(source="get_kind_display")),
        APIField("actors", serializer=api.PeopleField(extra=("role",))),
        APIField("body"),
        APIField("citations", serializer=api.CitationsField()),
        APIField("films", serializer=api.PagesField()),
        APIField("essays", serializer=api.PagesField()),
        APIField("tags", serializer=api.TagsField()),
    ]

    parent_page_types = ["films.TimelinePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("policy event")

    def get_context(self, request, *args, **kwargs):
        from .selectors import event_detail

        context = super().get_context(request, *args, **kwargs)
        context["event"] = event_detail(event=self)
        context["json_ld"] = self.get_json_ld(context)
        return context

    def get_json_ld(self, context) -> dict:
        data = {
            **super().get_json_ld(context),
            "@type": "Event",
            "startDate": self.date_iso,
        }
        detail = context.get("event")
        if detail is not None:
            data["contributor"] = [a.person.get_json_ld() for a in detail.actors]
            data["about"] = [
                {"@type": "Movie", "name": film.title} for film in detail.films
            ]
            data["keywords"] = ", ".join(t.name for t in detail.tags)
        return {key: value for key, value in data.items() if value}


class TimelinePage(ArchivePage):
    intro = RichTextField(
        _("introduction"),
        features=["bold", "italic", "link"],
        max_length=5000,
        blank=True,
    )

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("intro")]

    parent_page_types = ["wanderingsite.HomePage"]
    subpage_types = ["films.PolicyEventPage"]
    max_count = 1

    class Meta:
        verbose_name = _("timeline")

    def get_context(self, request, *args, **kwargs):
        from .selectors import timeline_listing

        context = super().get_context(request, *args, **kwargs)
        context["timeline"] = timeline_listing(params=request.GET)
        return context


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
    )
)
