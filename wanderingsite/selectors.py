"""Reads that span the archive types: tags and the pages that carry them.

The types come from the registry (``page_types.archive_types``); this module
names none of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Count, F, OrderBy, QuerySet
from wagtail.models import Page

from .listing import CountedPaginator, IgnoredFilter, ignored_filters
from .models import (
    MENTION_KEY,
    ArchiveTag,
    Person,
    PersonMention,
    person_counts,
    person_links,
    public_use_counts,
)
from .page_types import ArchiveType, archive_types
from .visibility import visible_q

TAG_SECTION_LENGTH = 20
"""How many pages of each type a tag page shows before "see all"."""
TAG_TYPE_PAGE_LENGTH = 50
"""How many pages of one type a tag page's "see all" shows at a time."""
PEOPLE_PER_PAGE = 60
"""How many people and institutions the people index shows at a time."""
PERSON_SECTION_LENGTH = 100
"""How many pages of each type, and how many mentions, a person's page lists."""
PERSON_SLUG = re.compile(r"\A[-a-zA-Z0-9_]{1,200}\Z")
"""What a person's slug may be (a Django slug)."""
RELATED_TAGS = 10
"""How many of the tags found with a tag its page shows."""
RELATED_TAGS_SAMPLE = 1000
"""Of each type, how many of a tag's visible pages, the latest, the tags found
with it are counted over: a tag on every page costs what a tag on a thousand
does."""


@dataclass(frozen=True)
class TagSection:
    """The visible pages of one type that carry a tag: the first few, or one
    page of them all, and how many there are."""

    type: ArchiveType
    pages: list[Page]
    count: int
    page: PaginatorPage | None = None
    """The page of the section when it is the one asked for (``?type=``)."""

    @property
    def count_text(self) -> str:
        return self.type.count_text(self.count)

    @property
    def has_more(self) -> bool:
        return self.page is None and self.count > len(self.pages)

    @property
    def query(self) -> str:
        """The query string that shows every page of the section."""
        return f"?type={self.type.key}"


@dataclass
class TagDetail:
    tag: ArchiveTag
    sections: list[TagSection] = field(default_factory=list)
    related: list[ArchiveTag] = field(default_factory=list)
    """The tags found most often with this one, each with ``total`` shared pages."""
    related_among: int = 0
    """How many of the tag's pages ``related`` was counted over."""
    chosen: TagSection | None = None
    """The one section shown in full, a page at a time (``?type=``)."""
    type_requested: bool = False
    ignored: list[IgnoredFilter] = field(default_factory=list)
    """A ``?type=`` that names no type, as the page says it ignored it."""

    @property
    def total(self) -> int:
        return sum(section.count for section in self.sections)

    @property
    def related_sampled(self) -> bool:
        """True when ``related`` was counted over the tag's latest pages only."""
        return self.related_among < self.total

    @property
    def with_pages(self) -> list[TagSection]:
        """The sections that hold pages: the only ones linked or shown."""
        return [section for section in self.sections if section.count]

    @property
    def shown(self) -> list[TagSection]:
        """The chosen section (even empty, since it was asked for), or every
        section that holds pages."""
        return [self.chosen] if self.chosen else self.with_pages


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


def tag_counts() -> list[ArchiveTag]:
    """Tags on at least one visible page, by name, with counts per page type."""
    return ArchiveTag.objects.counted()


def _related_tags(tag: ArchiveTag, *, limit: int) -> tuple[list[ArchiveTag], int]:
    """The ``limit`` tags that share the most visible pages with ``tag`` (each
    with ``total``, the pages shared), and how many pages they were counted
    over: the tag's latest ``RELATED_TAGS_SAMPLE`` visible pages of each type,
    all of them for most tags. One grouped query over the tag rows of those
    pages, whatever the number of pages that carry the tag."""
    grouped = []
    for t in archive_types:
        sample = (
            t.tag_through.objects.filter(visible_q("content_object__"), tag=tag)
            .order_by("-content_object_id")
            .values("content_object_id")[:RELATED_TAGS_SAMPLE]
        )
        grouped.append(
            t.tag_through.objects.filter(content_object_id__in=sample)
            .order_by()
            .values("tag_id", "tag__name", "tag__slug")
            .annotate(n=Count("pk"))
            .values_list("tag_id", "tag__name", "tag__slug", "n")
        )
    shared: dict[int, ArchiveTag] = {}
    among = 0
    for tag_id, name, slug, n in grouped[0].union(*grouped[1:], all=True):
        if tag_id == tag.pk:
            among += n
            continue
        other = shared.setdefault(tag_id, ArchiveTag(pk=tag_id, name=name, slug=slug))
        other.total = getattr(other, "total", 0) + n
    top = sorted(shared.values(), key=lambda t: (-t.total, t.name.lower()))[:limit]
    return top, among


def _tagged(archive_type: ArchiveType, tag: ArchiveTag) -> QuerySet[Page]:
    return archive_type.model.objects.filter(visible_q(), tagged_items__tag=tag)


def tag_detail(
    *, slug: str, type: str | None = None, page: str | None = None
) -> TagDetail | None:
    """A tag and the visible pages of every type that carry it, a few of each
    with their counts, or one page of one type (``type``, a registry key);
    None for a tag no visible page carries."""
    tag = visible_tag(slug=slug)
    if tag is None:
        return None
    counts = public_use_counts(tags=[tag.pk]).get(tag.pk, {})
    chosen_type = archive_types.get(type)
    sections = []
    chosen = None
    for t in archive_types:
        count = counts.get(t.key, 0)
        pages = _tagged(t, tag).order_by(*t.ordering)
        if t is chosen_type:
            paginator = CountedPaginator(pages, TAG_TYPE_PAGE_LENGTH, count=count)
            shown = paginator.get_page(page)
            chosen = TagSection(t, list(shown.object_list), count, shown)
            sections.append(chosen)
        else:
            first = (
                list(pages[:TAG_SECTION_LENGTH]) if count and not chosen_type else []
            )
            sections.append(TagSection(t, first, count))
    related, related_among = _related_tags(tag, limit=RELATED_TAGS)
    return TagDetail(
        tag=tag,
        sections=sections,
        related=related,
        related_among=related_among,
        chosen=chosen,
        type_requested=type is not None,
        ignored=ignored_filters(
            {"type": type}, ["type"], {"type": chosen} if chosen else {}
        ),
    )


@dataclass(frozen=True)
class PersonRole:
    """What a person did on one page: a role ("Director"), the character
    played, the affiliation an essay gives its author; each may be blank."""

    role: str = ""
    character: str = ""
    affiliation: str = ""


@dataclass(frozen=True)
class PersonTie:
    """A visible page a person is tied to, and every role they had on it."""

    page: Page
    roles: list[PersonRole]


@dataclass(frozen=True)
class PersonSection:
    """The visible pages of one type a person is tied to (the first
    ``PERSON_SECTION_LENGTH``), and how many there are."""

    type: ArchiveType
    ties: list[PersonTie]
    count: int

    @property
    def count_text(self) -> str:
        return self.type.count_text(self.count)

    @property
    def has_more(self) -> bool:
        return self.count > len(self.ties)


@dataclass(frozen=True)
class PersonMentionEntry:
    """A visible page whose text names the person, with its words."""

    page: Page
    type: ArchiveType | None
    passage: str
    anchor: str


@dataclass
class PersonDetail:
    person: Person
    sections: list[PersonSection] = field(default_factory=list)
    mentions: list[PersonMentionEntry] = field(default_factory=list)
    mention_count: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    """How many visible pages of each type tie them, and name them, by key."""

    @property
    def tied_sections(self) -> list[PersonSection]:
        return [section for section in self.sections if section.ties]

    @property
    def has_more_mentions(self) -> bool:
        return self.mention_count > len(self.mentions)


@dataclass(frozen=True)
class PersonEntry:
    """A person or institution in the index, with how many visible pages of
    each type tie them (``counts``, by type key) and how many name them."""

    person: Person
    counts: dict[str, int]

    @property
    def count_texts(self) -> list[str]:
        texts = [
            t.count_text(self.counts[t.key])
            for t in archive_types
            if self.counts.get(t.key)
        ]
        named = self.counts.get(MENTION_KEY, 0)
        if named:
            texts.append(f"named on {named} page{'' if named == 1 else 's'}")
        return texts


def public_person(*, slug: str) -> Person | None:
    """The person or institution with ``slug`` if a visible page ties them or
    names them; None, without a query, for what no slug could be."""
    if not PERSON_SLUG.match(slug):
        return None
    return Person.objects.public().filter(slug=slug).first()


def _through(prefix: str, ordering) -> list:
    """A page type's ``ordering`` as seen from a row that points at the page."""
    ordered = []
    for item in ordering:
        if isinstance(item, str):
            descending = item.startswith("-")
            ordered.append(f"{'-' if descending else ''}{prefix}{item.lstrip('-')}")
        elif isinstance(item, OrderBy) and isinstance(item.expression, F):
            moved = item.copy()
            moved.expression = F(f"{prefix}{item.expression.name}")
            ordered.append(moved)
    return ordered


def _role(row) -> PersonRole:
    role = getattr(row, "role", "")
    display = getattr(row, "get_role_display", None)
    return PersonRole(
        role=str(display() if display else role),
        character=getattr(row, "character", ""),
        affiliation=getattr(row, "affiliation", ""),
    )


def _ties(rows, page_field: str) -> list[PersonTie]:
    """``rows`` (a person's links to pages) gathered by page, in their order."""
    by_page: dict[int, PersonTie] = {}
    for row in rows:
        page = getattr(row, page_field)
        tie = by_page.setdefault(page.pk, PersonTie(page, []))
        tie.roles.append(_role(row))
    return list(by_page.values())


def person_detail(*, slug: str) -> PersonDetail | None:
    """A person or institution the public may meet, with what ``person_ties``
    gives; None for anyone else."""
    person = public_person(slug=slug)
    return None if person is None else person_ties(person=person)


def person_ties(*, person: Person) -> PersonDetail:
    """The visible pages of each type ``person`` is tied to (what they did on
    each, the first ``PERSON_SECTION_LENGTH``), and the visible pages that
    name them with their words: one query per way of being tied, one for the
    mentions and one for how many there are of each."""
    limit = PERSON_SECTION_LENGTH
    counts = person_counts([person.pk]).get(person.pk, {})
    sections = []
    for archive_type, link, page_field in person_links():
        rows = link.objects.filter(person=person).filter(visible_q(f"{page_field}__"))
        ordering = _through(f"{page_field}__", archive_type.ordering)
        ties = _ties(
            rows.select_related(page_field).order_by(*ordering, "pk")[:limit],
            page_field,
        )
        sections.append(
            PersonSection(archive_type, ties, counts.get(archive_type.key, 0))
        )
    mentions = (
        PersonMention.objects.filter(person=person)
        .filter(visible_q("page__"))
        .select_related("page")
        .order_by("page__title", "pk")[:limit]
    )
    return PersonDetail(
        person=person,
        sections=sections,
        mentions=[_mention_entry(row) for row in mentions],
        mention_count=counts.get(MENTION_KEY, 0),
        counts=counts,
    )


def _mention_entry(row: PersonMention) -> PersonMentionEntry:
    # Content types are read once per process (warm.py), then from memory.
    model = ContentType.objects.get_for_id(row.page.content_type_id).model_class()
    return PersonMentionEntry(
        page=row.page,
        type=archive_types.for_model(model) if model else None,
        passage=row.passage,
        anchor=row.anchor,
    )


def people_index(*, page: str | None = None) -> PaginatorPage:
    """One page of the people and institutions the public may meet, people
    first, each by name, as ``PersonEntry``s: a count, the page, and one
    grouped query for their counts, whatever the number of people."""
    people = Person.objects.public().by_kind_and_name()
    shown = Paginator(people, PEOPLE_PER_PAGE).get_page(page)
    listed = list(shown.object_list)
    counts = person_counts([p.pk for p in listed]) if listed else {}
    shown.object_list = [PersonEntry(p, counts.get(p.pk, {})) for p in listed]
    return shown
