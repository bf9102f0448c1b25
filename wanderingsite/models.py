"""The shared ground: tags, people, the base page types and the home page.

Imported by ``films`` and ``essays``; imports neither. What it needs of their
types (tag counts, the home page's sections) it reads from the registry in
``page_types`` and from the pages themselves.
"""

import operator
import re
from dataclasses import dataclass
from functools import reduce

from django.db import models
from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils.functional import classproperty
from django.utils.translation import gettext_lazy as _
from taggit.models import TagBase
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.fields import RichTextField
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Page,
    PageViewRestriction,
    RevisionMixin,
    WorkflowMixin,
)
from wagtail.search import index

from .blocks import RICH_TEXT_FEATURES
from .citing import Reference, page_reference
from .dates import DatePrecision, format_precise_date, iso_precise_date
from .editorial import ArchivePagePermissionTester
from .page_types import ArchiveType, archive_types
from .routing import route_below
from .sites import site_root_url
from .visibility import visible_q

TAG_SLUG = re.compile(r"\A[-\w]{1,100}\Z")
"""What a tag slug may be (taggit keeps unicode: Chinese and accented slugs)."""


def tag_path(slug: str, suffix: str = "") -> str:
    """The tag page of ``slug`` (``/tags/<slug>/``), or a page below it."""
    return f"/tags/{slug}/{suffix}"


def _uses(archive_type: ArchiveType, *, public: bool):
    uses = archive_type.tag_through.objects.filter(tag=OuterRef("pk"))
    return uses.filter(visible_q("content_object__")) if public else uses


def _use_count(archive_type: ArchiveType, *, public: bool, among=None) -> Coalesce:
    uses = _uses(archive_type, public=public)
    if among is not None:
        uses = uses.filter(content_object_id__in=among)
    rows = uses.order_by().values("tag").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


class ArchiveTagQuerySet(models.QuerySet):
    def public(self) -> "ArchiveTagQuerySet":
        """Tags on at least one visible page: the only tags the public may meet."""
        in_use = reduce(
            operator.or_, (Exists(_uses(t, public=True)) for t in archive_types), Q()
        )
        return self.filter(in_use)

    def with_slug(self, slug: str) -> "ArchiveTag | None":
        """The tag whose slug is ``slug`` in any case; None, without a query, for
        what no slug could be."""
        if not TAG_SLUG.match(slug):
            return None
        return self.filter(slug=slug.lower()).first()

    def with_counts(
        self, *, public: bool = True, among: dict | None = None
    ) -> "ArchiveTagQuerySet":
        """Each tag with ``<key>_count`` for every archive type and their ``total``.

        A count is of the type's pages that carry the tag: those the public may
        see unless ``public`` is False, and only those whose ids are in
        ``among[key]`` where ``among`` names the type.
        """
        among = among or {}
        counts = {
            t.count_name: _use_count(t, public=public, among=among.get(t.key))
            for t in archive_types
        }
        total = reduce(operator.add, (F(name) for name in counts))
        return self.annotate(**counts).annotate(total=total)

    def counted(self) -> list["ArchiveTag"]:
        """Tags on at least one visible page, by name, with their counts per
        type: one grouped query (``public_tags``)."""
        return public_tags()

    def cloud(self, *, limit: int) -> list["ArchiveTag"]:
        """The ``limit`` most used tags, by name, with their counts: one
        grouped query whatever the number of tags."""
        return most_used(public_tags(), limit=limit)


def _grouped_uses(*, tags=None, among: dict | None = None):
    """(tag id, name, slug, type key, count) of each tag on visible pages, per
    type: one query, grouped in the database, whatever the number of tags or
    pages. Each type's tag rows are joined to the visible pages once (a hash
    join), never counted tag by tag. ``tags`` (ids or a queryset of them)
    narrows it to those tags, ``among[key]`` (page ids or a queryset) to those
    pages."""
    among = among or {}
    visible = Page.objects.filter(visible_q()).values("pk")
    grouped = []
    for t in archive_types:
        uses = t.tag_through.objects.filter(content_object_id__in=visible)
        if tags is not None:
            uses = uses.filter(tag_id__in=tags)
        if t.key in among:
            uses = uses.filter(content_object_id__in=among[t.key])
        grouped.append(
            uses.order_by()
            .values("tag_id", "tag__name", "tag__slug")
            .annotate(key=Value(t.key, output_field=CharField()), n=Count("pk"))
            .values_list("tag_id", "tag__name", "tag__slug", "key", "n")
        )
    return grouped[0].union(*grouped[1:], all=True)


def public_use_counts(*, tags=None, among: dict | None = None) -> dict[int, dict]:
    """How many visible pages of each type carry each tag, as
    ``{tag_id: {type_key: n}}`` for the tags some visible page carries (one
    query; ``tags`` and ``among`` as for ``public_tags``)."""
    counts: dict[int, dict] = {}
    for tag_id, _name, _slug, key, n in _grouped_uses(tags=tags, among=among):
        counts.setdefault(tag_id, {})[key] = n
    return counts


def public_tags(*, tags=None, among: dict | None = None) -> list["ArchiveTag"]:
    """The tags on visible pages, by name, with ``<key>_count`` per type and
    ``total``: one grouped query whatever the number of tags or pages.

    Narrowed to the tag ids ``tags``, and to the pages ``among[key]`` of a
    type. The tags carry their name and slug only (not their description).
    """
    found: dict[int, ArchiveTag] = {}
    counts: dict[int, dict] = {}
    for tag_id, name, slug, key, n in _grouped_uses(tags=tags, among=among):
        found.setdefault(tag_id, ArchiveTag(pk=tag_id, name=name, slug=slug))
        counts.setdefault(tag_id, {})[key] = n
    ordered = sorted(found.values(), key=lambda t: t.name.lower())
    return with_use_counts(ordered, counts)


def most_used(tags: list["ArchiveTag"], *, limit: int) -> list["ArchiveTag"]:
    """The ``limit`` of ``tags`` (counted) with the highest ``total``, ties by
    name; by name."""
    top = sorted(tags, key=lambda t: (-t.total, t.name.lower()))[:limit]
    return sorted(top, key=lambda t: t.name.lower())


def with_use_counts(tags: list["ArchiveTag"], counts: dict[int, dict]) -> list:
    """``tags``, each given ``<key>_count`` per type and ``total`` from ``counts``."""
    for tag in tags:
        mine = counts.get(tag.pk, {})
        for t in archive_types:
            setattr(tag, t.count_name, mine.get(t.key, 0))
        tag.total = sum(mine.values())
    return tags


def tags_panel() -> FieldPanel:
    """The tag field of a page, as every archive type offers it."""
    return FieldPanel(
        "tags",
        help_text=_(
            "Tags from the shared vocabulary: start typing and pick one. "
            "A new name makes a new tag; prefer an existing one."
        ),
    )


def person_panel() -> FieldPanel:
    """The person chooser of a row that links a page to a ``Person``."""
    return FieldPanel(
        "person",
        help_text=_("Choose from People; add the person or institution there first."),
    )


class ArchiveTag(TagBase):
    """One tag vocabulary shared by films, essays and policy events."""

    description = models.TextField(
        _("description"),
        max_length=1000,
        blank=True,
        help_text=_("What the tag gathers, shown at the top of its tag page."),
    )

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]

    objects = ArchiveTagQuerySet.as_manager()

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="archivetag_name_ci_unique"),
        ]

    def get_absolute_url(self):
        return tag_path(self.slug)


def public_people_q(prefix: str = "") -> Q:
    """People the public may meet (published), from rows that reach a person
    through ``prefix`` (``"person__"`` from a credit)."""
    return Q(**{f"{prefix}live": True})


def with_public_people(rows) -> list:
    """The ``rows`` (credits, authors, actors) whose person the public may meet;
    a person still a draft is left out until a moderator publishes them."""
    return [row for row in rows if row.person.live]


def person_links() -> list[tuple[ArchiveType, type[models.Model], str]]:
    """(type, link model, page field) of each way a person is tied to the pages
    of a type: credits, authorship, actors (the registry's ``people``)."""
    links = []
    for archive_type in archive_types:
        for accessor in archive_type.people:
            link = Person._meta.get_field(accessor).related_model
            page = next(
                f for f in link._meta.fields if f.related_model is archive_type.model
            )
            links.append((archive_type, link, page.name))
    return links


MENTION_KEY = "mention"
"""The key of a person's mentions beside the registry's type keys in counts."""


def _ties(person_ids=None) -> list:
    """One (person id, key, count) query per way of being tied to a visible page,
    mentions last; ``person_ids`` narrows them to those people."""
    grouped = []
    for archive_type, link, page in person_links():
        rows = link.objects.filter(visible_q(f"{page}__"))
        if person_ids is not None:
            rows = rows.filter(person_id__in=person_ids)
        grouped.append(
            rows.order_by()
            .values("person_id")
            .annotate(
                key=Value(archive_type.key, output_field=CharField()),
                n=Count(page, distinct=True),
            )
            .values_list("person_id", "key", "n")
        )
    mentions = PersonMention.objects.filter(visible_q("page__"))
    if person_ids is not None:
        mentions = mentions.filter(person_id__in=person_ids)
    grouped.append(
        mentions.order_by()
        .values("person_id")
        .annotate(key=Value(MENTION_KEY, output_field=CharField()), n=Count("pk"))
        .values_list("person_id", "key", "n")
    )
    return grouped


def person_counts(person_ids) -> dict[int, dict[str, int]]:
    """How many visible pages of each type tie each of ``person_ids`` to them,
    and how many name them (``MENTION_KEY``), as ``{person_id: {key: n}}``:
    one grouped query whatever the number of people or pages."""
    grouped = _ties(person_ids)
    counts: dict[int, dict[str, int]] = {}
    for person_id, key, n in grouped[0].union(*grouped[1:], all=True):
        mine = counts.setdefault(person_id, {})
        mine[key] = mine.get(key, 0) + n
    return counts


class PersonQuerySet(models.QuerySet):
    def public(self) -> "PersonQuerySet":
        """Published people and institutions that a visible page credits, was
        written by, names as an actor or names in its text: the only ones the
        public meets.

        Every read of people for the public goes through here (or through
        ``published`` where the read is already narrowed to visible pages).
        """
        tied = [
            Exists(
                link.objects.filter(person=OuterRef("pk")).filter(
                    visible_q(f"{page}__")
                )
            )
            for _type, link, page in person_links()
        ]
        named = Exists(
            PersonMention.objects.filter(person=OuterRef("pk")).filter(
                visible_q("page__")
            )
        )
        return self.published().filter(reduce(operator.or_, tied, Q(named)))

    def published(self) -> "PersonQuerySet":
        """People published (their row is the live version): for reads already
        narrowed to visible pages, such as a page's credits."""
        return self.filter(public_people_q())

    def by_kind_and_name(self) -> "PersonQuerySet":
        """People first, then institutions, each by name in any case."""
        institutions_last = models.Case(
            models.When(kind=Person.Kind.INSTITUTION, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
        return self.order_by(institutions_last, Lower("name"), "pk")


class Person(
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    index.Indexed,
    models.Model,
):
    """A person or an institution named by the sources.

    Changes go through review as pages' do: the row is the live version, an
    editor's change waits in a revision until a moderator publishes it, and a
    person made outside the admin is a draft (``live`` is False) until
    published, so that no code path shows an unreviewed name.
    """

    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        INSTITUTION = "institution", _("Institution")

    name = models.CharField(
        _("name"),
        max_length=200,
        help_text=_("As the sources spell it, e.g. 'Frant Gwo'."),
    )
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.PERSON
    )
    original_name = models.CharField(
        _("original name"),
        max_length=200,
        blank=True,
        help_text=_("The name in its own script, e.g. Chinese characters."),
    )
    aliases = models.TextField(
        _("aliases"),
        max_length=1000,
        blank=True,
        help_text=_("Other spellings the sources use, one per line."),
    )
    description = models.TextField(
        _("description"),
        max_length=1000,
        blank=True,
        help_text=_("One or two sentences on who this is, from the sources."),
    )
    live = models.BooleanField(_("live"), default=False, editable=False)

    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("slug"), FieldPanel("kind")],
            heading=_("Name"),
        ),
        MultiFieldPanel(
            [FieldPanel("original_name"), FieldPanel("aliases")],
            heading=_("Other names"),
        ),
        FieldPanel("description"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("original_name"),
        index.SearchField("aliases"),
    ]

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person or institution")
        verbose_name_plural = _("people and institutions")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("person_page", kwargs={"slug": self.slug})

    @property
    def is_institution(self) -> bool:
        return self.kind == self.Kind.INSTITUTION

    @property
    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]

    @property
    def names(self) -> list[str]:
        """Every name the sources use for them: the name, the original, the aliases."""
        names = [self.name, self.original_name, *self.alias_list]
        return list(dict.fromkeys(name for name in names if name))

    def get_json_ld(self, root: str = "") -> dict:
        """``Person`` or ``Organization``; ``url`` is their page, under ``root``
        (the site's root URL) when given."""
        kind = "Organization" if self.is_institution else "Person"
        data = {"@type": kind, "name": self.name, "url": root + self.get_absolute_url()}
        others = [n for n in [self.original_name, *self.alias_list] if n]
        if others:
            data["alternateName"] = others[0] if len(others) == 1 else others
        return data


class PersonMention(models.Model):
    """A page whose own text names a person or institution, with the sentence
    that does (``services.mentions`` finds them when pages are published)."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="mentions"
    )
    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+"
    )
    passage = models.TextField(
        _("passage"), max_length=1000, help_text=_("The page's words that name them.")
    )
    anchor = models.CharField(
        _("paragraph anchor"),
        max_length=60,
        blank=True,
        help_text=_("The paragraph that holds the passage, on pages with a body."),
    )

    class Meta:
        verbose_name = _("mention of a person")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "page"], name="personmention_person_page_unique"
            )
        ]

    def __str__(self):
        return f"{self.person} in {self.page_id}"


class PreciseDateMixin(models.Model):
    """A date and how much of it the sources actually know."""

    date = models.DateField(
        _("date"),
        null=True,
        blank=True,
        help_text=_(
            "For a year or month only, enter its first day and set the precision."
        ),
    )
    date_precision = models.CharField(
        _("date precision"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=_("How much of the date the sources state."),
    )
    date_note = models.CharField(
        _("date note"),
        max_length=300,
        blank=True,
        help_text=_(
            "How the date was worked out when the source is relative, e.g. "
            "'earlier this month', in an essay of 13 March 2019."
        ),
    )

    class Meta:
        abstract = True

    @staticmethod
    def date_panel(heading) -> MultiFieldPanel:
        return MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("date"), FieldPanel("date_precision")]),
                FieldPanel("date_note"),
            ],
            heading=heading,
        )

    @property
    def date_display(self) -> str:
        return format_precise_date(self.date, self.date_precision)

    @property
    def date_iso(self) -> str:
        return iso_precise_date(self.date, self.date_precision)


def _specific_children(children, models_: list) -> list[Page]:
    """``children`` (pages) as their own types, those of ``models_`` (each a
    direct child table of Page's), in one query: each type's table joined to
    the page row, no content type looked up."""
    names = [m._meta.model_name for m in models_ if m._meta.get_parent_list() == [Page]]
    found = []
    for row in children.select_related(*names):
        specific = next((getattr(row, n) for n in names if getattr(row, n, None)), None)
        if specific is not None:
            found.append(specific)
    return found


class ArchivePage(Page):
    """Fields and behaviour every archive page shares."""

    summary = models.TextField(
        _("summary"),
        max_length=1000,
        blank=True,
        help_text=_(
            "One or two plain sentences: shown in listings, search results and "
            "as the page's description for search engines."
        ),
    )

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("cited_facts_text"),
    ]

    class Meta:
        abstract = True

    def get_meta_description(self) -> str:
        return self.search_description or self.summary

    def cited_facts_text(self) -> str:
        """The claims and quotes of the page's cited facts (its type's
        ``facts``) whose essays the public may see: searched with the page."""
        archive_type = archive_types.for_model(type(self))
        lines = []
        for name in archive_type.facts if archive_type and self.pk else ():
            relation = getattr(self, name)
            for fact in relation.model.visible_in(relation):
                lines += [fact.claim, fact.quote]
        return "\n".join(lines)

    def permissions_for_user(self, user):
        # Wagtail's documented way to change a page type's rights; it casts
        # plain Page rows to their type to call this.
        return ArchivePagePermissionTester(user, self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.get_page_context(request))
        context["canonical_url"] = self.get_canonical_url(request, context)
        context["breadcrumbs"] = self.get_breadcrumbs()
        context["json_ld"] = self.get_json_ld(context)
        context["cite"] = self.get_reference(request, context)
        return context

    def get_page_context(self, request) -> dict:
        """What the page shows besides its own fields, read once per request."""
        return {}

    def get_canonical_url(self, request, context) -> str:
        return self.get_full_url(request) or ""

    def get_reference(self, request, context=None) -> Reference:
        """How to cite the page (``citing``); ``context``, when given, is what
        the page shows."""
        return page_reference(self, request)

    def route(self, request, path_components):
        return route_below(self, request, path_components)

    def get_view_restrictions(self):
        """Wagtail's view restrictions for the page in one query, not two: its
        own and its ancestors', an alias ancestor's source in the alias's place;
        none at all when routing found none on the way."""
        if getattr(self, "known_view_restrictions", None) == ():
            return PageViewRestriction.objects.none()
        if self.alias_of_id or not self.path:
            return super().get_view_restrictions()
        step = self.steplen
        paths = [self.path[:end] for end in range(step, len(self.path) + 1, step)]
        return PageViewRestriction.objects.filter(
            Q(page__path__in=paths, page__alias_of__isnull=True)
            | Q(page__aliases__path__in=paths)
        ).distinct()

    def get_breadcrumbs(self) -> list[Page]:
        """The pages above this one, home first, without the tree's root."""
        # Routing leaves each page's parent cached on it, so a served page
        # walks up without a query.
        crumbs = []
        page = self
        while page.path and page.depth > 2:
            page = page.get_parent()
            crumbs.insert(0, page)
        return crumbs

    def get_json_ld(self, context) -> dict:
        """Structured data (schema.org) describing the page for search engines."""
        return {
            "@context": "https://schema.org",
            "@type": "CollectionPage",
            "name": self.title,
            "url": context.get("canonical_url", ""),
            "description": self.get_meta_description(),
        }

    def describe(self, context, schema_type: str, *, tags=(), **fields) -> dict:
        """The page's JSON-LD as a ``schema_type`` with ``fields`` and its tags
        as keywords; empty values are left out."""
        data = {
            **ArchivePage.get_json_ld(self, context),
            "@type": schema_type,
            **fields,
            "keywords": ", ".join(tag.name for tag in tags),
        }
        root = site_root_url(context.get("request"))
        return {key: _absolute(value, root) for key, value in data.items() if value}


def _absolute(value, root: str):
    """``value`` with the site-relative ``url`` of every thing it describes
    (the people of a film, say) made absolute under ``root``."""
    if isinstance(value, list):
        return [_absolute(item, root) for item in value]
    if isinstance(value, dict):
        url = value.get("url")
        if isinstance(url, str) and url.startswith("/"):
            value = {**value, "url": root + url}
        return {key: _absolute(item, root) for key, item in value.items()}
    return value


class ArchiveIndexPage(ArchivePage):
    """An index under the home page: a listing read from the query string, and
    a teaser of it on the home page."""

    intro = RichTextField(
        _("introduction"),
        features=RICH_TEXT_FEATURES,
        max_length=5000,
        blank=True,
    )

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("intro")]

    parent_page_types = ["wanderingsite.HomePage"]
    max_count = 1

    class Meta:
        abstract = True

    def get_page_context(self, request) -> dict:
        listing = self.get_listing(request.GET)
        # Filtered pages are kept out of search engines (base.html).
        return {"listing": listing, "noindex": listing.filter_requested}

    def get_canonical_url(self, request, context) -> str:
        canonical = super().get_canonical_url(request, context)
        return canonical + context["listing"].canonical_query

    def get_listing(self, params):
        """What the index lists for the query string ``params``."""
        raise NotImplementedError

    def get_home_teaser(self, *, home: "HomePage"):
        """What the home page shows of the index (falsy for nothing), through
        ``home_teaser_template``."""
        return None

    @property
    def home_teaser_template(self) -> str:
        """Beside the page's own: ``films/film_index_page_teaser.html``."""
        return self.template.removesuffix(".html") + "_teaser.html"


@dataclass(frozen=True)
class HomeTeaser:
    section: ArchiveIndexPage
    content: object


@dataclass(frozen=True)
class HomeContent:
    sections: list[Page]
    teasers: list[HomeTeaser]
    tags: list[ArchiveTag]

    @property
    def linked_sections(self) -> list[Page]:
        """The sections the home page links to: an index only when it has
        something to show, as its teaser says (an empty teaser: an empty index)."""
        teasing = {teaser.section.pk for teaser in self.teasers}
        return [
            section
            for section in self.sections
            if not isinstance(section, ArchiveIndexPage) or section.pk in teasing
        ]


class HomePage(ArchivePage):
    intro = RichTextField(
        _("introduction"),
        features=RICH_TEXT_FEATURES,
        max_length=5000,
        blank=True,
        help_text=_("What the archive is, in a short paragraph."),
    )
    featured_film = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("featured film"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The film shown first on the home page."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("intro"),
        PageChooserPanel("featured_film", "films.FilmPage"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    @classproperty
    def subpage_types(cls) -> list[str]:
        """The indexes that hold the archive types, read from the registry when
        Wagtail first asks (once every app has registered its types)."""
        parents = (p for t in archive_types for p in t.model.parent_page_types)
        return list(dict.fromkeys(parents))

    def get_page_context(self, request) -> dict:
        # Each section offers its own teaser: the home page names no type.
        sections = _specific_children(
            self.get_children().filter(visible_q()).order_by("path"),
            self.clean_subpage_models(),
        )
        teasers = [
            HomeTeaser(section, content)
            for section in sections
            if isinstance(section, ArchiveIndexPage)
            and (content := section.get_home_teaser(home=self))
        ]
        return {
            "home": HomeContent(
                sections=sections,
                teasers=teasers,
                tags=ArchiveTag.objects.cloud(limit=40),
            )
        }

    def get_json_ld(self, context) -> dict:
        site_url = context.get("canonical_url", "")
        return {
            "@context": "https://schema.org",
            "@type": "WebSite",
            "name": self.title,
            "url": site_url,
            "description": self.get_meta_description(),
            "inLanguage": "en",
            "potentialAction": {
                "@type": "SearchAction",
                "target": f"{site_url.rstrip('/')}/search/?q={{search_term_string}}",
                "query-input": "required name=search_term_string",
            },
        }


class LoadedRecord(models.Model):
    """What ``load_archive`` last wrote for one fixture record.

    The loader owns a page only while the page's latest revision is the one
    it recorded here; any later revision is an editor's and is kept.
    """

    key = models.CharField(max_length=200, unique=True)
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    fingerprint = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("loaded fixture record")

    def __str__(self):
        return self.key


class SearchTerm(models.Model):
    """A word, title or name the public can read, for spelling corrections.

    Filled from visible pages only (``search.lexicon``); migration 0008 gives
    ``term`` a trigram index on PostgreSQL.
    """

    term = models.CharField(max_length=100, unique=True)
    spelling = models.CharField(max_length=100)
    words = models.PositiveSmallIntegerField(default=1)
    named = models.BooleanField(
        default=False,
        help_text=_("From a title, tag or name rather than only a page's text."),
    )

    class Meta:
        verbose_name = _("search term")

    def __str__(self):
        return self.spelling
