"""The search engine: the matching pages ranked, counted into facets and cut
into pages in SQL, and a spelling correction when nothing matches.

What matches, and how it scores, is ``matching``; the spelling correction is
``lexicon``. Only the page of results shown is read into Python, with the
passages its snippets quote. The types searched are the registered archive
types.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Count, Q, Window
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from ..models import ArchiveTag, Person
from ..page_types import ArchiveType, archive_types
from ..selectors import specific_pages, visible_tag, visible_tags
from .facts import facts_of
from .lexicon import corrected_terms
from .matching import SCORED, match_pages, match_people
from .query import clean_query, query_terms
from .snippets import highlight, highlighter, snippet

PER_PAGE = 10
MAX_TAG_FACETS = 20
# The facet of people and institutions, beside the archive types: ?type=person.
PEOPLE = "person"
PEOPLE_LABEL = _("People")
# People shown above the pages when the search is not narrowed to people.
PEOPLE_SHOWN = 5
RELEVANCE = "relevance"
BY_DATE = "date"
SORTS = (RELEVANCE, BY_DATE)
# How much of an odd parameter value a note quotes back.
IGNORED_LENGTH = 60


@dataclass(frozen=True)
class Facet:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class SearchHit:
    page: Page
    type: ArchiveType
    score: float
    title: SafeString
    snippet: SafeString
    original_title: SafeString = mark_safe("")


@dataclass
class PersonHit:
    person: Person
    name: SafeString
    original_name: SafeString
    aliases: list[SafeString]


@dataclass(frozen=True)
class Ignored:
    """A parameter whose value the search could not use, and that value."""

    parameter: str
    value: str


@dataclass
class ArchiveSearch:
    query: str
    terms: list[str]
    # Pages (SearchHit) or, with ``people_only``, people (PersonHit).
    results: PaginatorPage
    total: int = 0
    unfiltered_total: int = 0
    type: ArchiveType | None = None
    tag: ArchiveTag | None = None
    type_facets: list[Facet] = field(default_factory=list)
    tag_facets: list[Facet] = field(default_factory=list)
    suggested_tags: list[ArchiveTag] = field(default_factory=list)
    # The query as its misspelt words were read, when nothing held them.
    corrected_query: str = ""
    sort: str = RELEVANCE
    # The first people matching, shown above the pages, and how many match.
    people: list[PersonHit] = field(default_factory=list)
    people_total: int = 0
    people_only: bool = False
    ignored: list[Ignored] = field(default_factory=list)

    @property
    def is_filtered(self) -> bool:
        return self.type is not None or self.tag is not None or self.people_only

    # The filters as links carry them: None leaves a parameter out, so that
    # a value the search ignored is not carried on.
    @property
    def type_param(self) -> str | None:
        return PEOPLE if self.people_only else self.type.key if self.type else None

    @property
    def tag_param(self) -> str | None:
        return self.tag.slug if self.tag else None

    @property
    def sort_param(self) -> str | None:
        return None if self.sort == RELEVANCE else self.sort

    @property
    def more_people(self) -> bool:
        """More people match than are shown above the pages."""
        return self.people_total > len(self.people)


def _type_for_content_type(content_type_id: int) -> ArchiveType | None:
    # get_for_models reads whichever of the types it has not cached in one
    # query, where get_for_id would read each on its own.
    content_types = ContentType.objects.get_for_models(*archive_types.models)
    return next(
        (t for t in archive_types if content_types[t.model].pk == content_type_id),
        None,
    )


def _content_type_of(archive_type: ArchiveType) -> int:
    return ContentType.objects.get_for_models(archive_type.model)[archive_type.model].pk


def search_archive(
    *,
    query: str,
    type: str | None = None,
    tag: str | None = None,
    page: int | str | None = 1,
    sort: str | None = None,
) -> ArchiveSearch:
    """Visible pages of every archive type, and public people, matching
    ``query``: best first, or newest first with ``sort="date"``."""
    query = clean_query(query)
    terms = query_terms(query)
    people_only = type == PEOPLE
    search_type = archive_types.get(type)
    selected_tag = visible_tag(slug=tag) if tag and not people_only else None
    sort = sort or RELEVANCE
    ignored = [
        Ignored(name, clean_query(value)[:IGNORED_LENGTH])
        for name, value, odd in (
            ("type", type, type and not people_only and search_type is None),
            ("tag", tag, tag and not people_only and selected_tag is None),
            ("sort", sort, sort not in SORTS),
        )
        if odd
    ]
    if sort not in SORTS:
        sort = RELEVANCE

    number = _page_number(page)

    def find(words):
        if not words:
            return _Found(), [], 0
        found = _search(words, search_type, selected_tag, number, sort == BY_DATE)
        if people_only:
            people, people_total = _people(words, PER_PAGE, (number - 1) * PER_PAGE)
        else:
            people, people_total = _people(words, PEOPLE_SHOWN)
        return found, people, people_total

    found, people, people_total = find(terms)
    nothing = terms and not found.unfiltered and not people_total
    corrected = corrected_terms(terms) if nothing else None
    if corrected:
        corrected_found = find(corrected)
        if corrected_found[0].unfiltered or corrected_found[2]:
            (found, people, people_total), terms = corrected_found, corrected
        else:
            corrected = None

    type_counts = found.by_type
    if people_only:
        total = people_total
    elif search_type is not None:
        total = type_counts.get(search_type.key, 0)
    else:
        total = sum(type_counts.values())
    paginator = Paginator([], PER_PAGE)
    # The count is known from the facets: the paginator need not ask again.
    paginator.count = total
    results = paginator.get_page(number)
    pattern = highlighter(terms)
    if people_only:
        results.object_list = [_person_hit(person, pattern) for person in people]
        people = []
    else:
        results.object_list = _hits(found.rows, pattern)
        people = [_person_hit(person, pattern) for person in people]

    outcome = ArchiveSearch(
        query=query,
        terms=terms,
        results=results,
        total=total,
        unfiltered_total=found.unfiltered + people_total,
        type=search_type,
        tag=selected_tag,
        type_facets=[
            *(
                Facet(t.key, t.label, type_counts.get(t.key, 0), t is search_type)
                for t in archive_types
            ),
            Facet(PEOPLE, PEOPLE_LABEL, people_total, people_only),
        ],
        tag_facets=(
            _tag_facets(found, selected_tag, total)
            if found.unfiltered and not people_only
            else []
        ),
        corrected_query=" ".join(corrected) if corrected else "",
        sort=sort,
        people=people,
        people_total=people_total,
        people_only=people_only,
        ignored=ignored,
    )
    if terms and not outcome.unfiltered_total:
        outcome.suggested_tags = _suggested_tags(terms)
    return outcome


def _people(terms: list[str], limit: int, offset: int = 0) -> tuple[list[Person], int]:
    """``limit`` public people matching ``terms`` from ``offset`` (from the
    last page's start, if past the end), and how many match: one query, two
    past the end."""
    matches = match_people(terms).annotate(found=Window(Count("pk")))
    people = list(matches[offset : offset + limit])
    if people or not offset:
        return people, (people[0].found if people else 0)
    total = match_people(terms).count()
    last = (total - 1) // limit * limit if total else 0
    return list(matches[last : last + limit]), total


def _person_hit(person: Person, pattern: re.Pattern | None) -> PersonHit:
    return PersonHit(
        person=person,
        name=highlight(person.name, pattern),
        original_name=highlight(person.original_name, pattern),
        aliases=[highlight(alias, pattern) for alias in person.alias_list],
    )


# Past this, a page number is read as "past the end": the last page.
LAST_PAGE = 10**9


def _page_number(page) -> int:
    """The page asked for, as the paginator reads it: 1 for what is not a
    number, the last page (LAST_PAGE) for one below 1 or too large."""
    try:
        number = int(page)
    except (TypeError, ValueError):
        return 1
    return number if 1 <= number < LAST_PAGE else LAST_PAGE


@dataclass
class _Found:
    unfiltered: int = 0
    by_type: dict[str, int] = field(default_factory=dict)
    # (tag id, slug, name, count) of the most used tags, most used first.
    tags: list[tuple[int, str, str, int]] = field(default_factory=list)
    # (page id, content type id, score) of the page of results shown.
    rows: list[tuple[int, int, float]] = field(default_factory=list)


def _search(
    terms: list[str],
    search_type: ArchiveType | None,
    tag: ArchiveTag | None,
    number: int,
    by_date: bool = False,
) -> _Found:
    """What ``terms`` match, in one query in which the matches are found once:
    how many in all, per type (with the tag, if any), per tag (of the type, if
    any; the ``MAX_TAG_FACETS`` most used), and the page ``number`` (the last
    if past the end) of those with both, best first (newest first, undated
    last, with ``by_date``)."""
    matches = match_pages(terms, dated=by_date)
    connection = connections[matches.db]
    dated = ["sort_date"] if by_date else []
    match_sql, match_params = matches.values(
        "id", "content_type_id", "title", "full_text", "substring", *dated
    ).query.sql_with_params()
    order = "score DESC, LOWER(title), id"
    if by_date:
        # Portable NULLS LAST: false (0) sorts before true (1) on both databases.
        order = f"(sort_date IS NULL), sort_date DESC, {order}"
    uses = " UNION ALL ".join(
        "SELECT content_object_id AS page_id, tag_id "  # noqa: S608 - table names only
        f"FROM {t.tag_through._meta.db_table} "
        "WHERE content_object_id IN (SELECT id FROM m)"
        for t in archive_types
    )
    with_tag, with_tag_params = "", []
    if tag is not None:
        with_tag = " AND id IN (SELECT page_id FROM uses WHERE tag_id = %s)"
        with_tag_params = [tag.pk]
    of_type, of_type_params = "", []
    if search_type is not None:
        of_type = " AND content_type_id = %s"
        of_type_params = [_content_type_of(search_type)]
    tags = ArchiveTag._meta.db_table
    last = f"(COUNT(*) - 1) / {PER_PAGE} * {PER_PAGE}"
    sql = (
        f"WITH m AS MATERIALIZED ({match_sql}), uses AS ({uses}), "  # noqa: S608 - compiled by the ORM
        f"shown AS (SELECT * FROM m WHERE 1 = 1{with_tag}{of_type}) "
        "SELECT 0, 0, 0, 0, '', '', COUNT(*) FROM m "
        "UNION ALL SELECT 1, content_type_id, 0, 0, '', '', COUNT(*) FROM m "
        f"WHERE 1 = 1{with_tag} GROUP BY content_type_id "
        "UNION ALL SELECT * FROM (SELECT 2, t.id, 0, 0, t.slug, t.name, COUNT(*) AS n "
        f"FROM uses INNER JOIN {tags} t ON t.id = uses.tag_id "
        f"WHERE uses.page_id IN (SELECT id FROM m WHERE 1 = 1{of_type}) "
        "GROUP BY t.id, t.slug, t.name ORDER BY n DESC, LOWER(t.name), t.id "
        "LIMIT %s) top "
        "UNION ALL SELECT * FROM (SELECT 3, id, content_type_id, "
        f"ROW_NUMBER() OVER (ORDER BY {order}) AS position, "
        f"'', '', score FROM ({SCORED}{', sort_date' if by_date else ''} "
        "FROM shown) scored "
        "ORDER BY position LIMIT %s OFFSET (SELECT CASE WHEN COUNT(*) = 0 THEN 0 "
        f"WHEN %s > {last} THEN {last} ELSE %s END FROM shown)) page"
    )
    offset = (number - 1) * PER_PAGE
    params = [
        *match_params,
        *with_tag_params,
        *of_type_params,
        *with_tag_params,
        *of_type_params,
        MAX_TAG_FACETS,
        PER_PAGE,
        offset,
        offset,
    ]
    found, rows = _Found(), []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for kind, a, b, position, slug, name, value in cursor.fetchall():
            if kind == 0:
                found.unfiltered = int(value)
            elif kind == 1:
                archive_type = _type_for_content_type(a)
                if archive_type is not None:
                    found.by_type[archive_type.key] = int(value)
            elif kind == 2:
                found.tags.append((a, slug, name, int(value)))
            else:
                rows.append((position, a, b, value))
    found.tags.sort(key=lambda row: (-row[3], row[2].casefold()))
    found.rows = [(pk, ct, score) for _, pk, ct, score in sorted(rows)]
    return found


def _tag_facets(
    counts: _Found, selected: ArchiveTag | None, selected_count: int
) -> list[Facet]:
    """The most used tags among the matches; a chosen tag is always among them."""
    facets = {
        pk: Facet(slug, name, n, selected is not None and pk == selected.pk)
        for pk, slug, name, n in counts.tags
    }
    if selected is not None and selected.pk not in facets:
        facets[selected.pk] = Facet(
            selected.slug, selected.name, selected_count, selected=True
        )
    return sorted(facets.values(), key=lambda f: (-f.count, f.label.casefold()))


def _suggested_tags(terms: list[str], limit: int = 8) -> list[ArchiveTag]:
    """Tags on visible pages whose names hold a term of a query that found nothing."""
    named = Q()
    for term in terms:
        named |= Q(name__icontains=term)
    return list(visible_tags().filter(named).order_by("name")[:limit])


def _hits(
    rows: list[tuple[int, int, float]], pattern: re.Pattern | None
) -> list[SearchHit]:
    if not rows:
        return []
    ids = [pk for pk, _, _ in rows]
    pages = {page.pk: page for page in specific_pages(Page.objects.filter(pk__in=ids))}
    facts = facts_of(ids) if pattern is not None else {}
    hits = []
    for pk, content_type_id, score in rows:
        page = pages.get(pk)
        if page is None:
            continue
        hits.append(
            SearchHit(
                page=page,
                type=_type_for_content_type(content_type_id),
                score=score,
                title=highlight(page.title, pattern),
                snippet=snippet(page, pattern, facts.get(pk, ())),
                original_title=highlight(getattr(page, "original_title", ""), pattern),
            )
        )
    return hits
