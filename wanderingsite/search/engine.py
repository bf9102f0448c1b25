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
from django.db.models import Q, QuerySet
from django.utils.safestring import SafeString, mark_safe
from wagtail.models import Page

from ..models import ArchiveTag
from ..page_types import ArchiveType, archive_types
from ..selectors import specific_pages, visible_tag, visible_tags
from .lexicon import corrected_terms
from .matching import match_pages, ranked_sql
from .query import clean_query, query_terms
from .snippets import highlight, highlighter, snippet

PER_PAGE = 10
MAX_TAG_FACETS = 20


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
class ArchiveSearch:
    query: str
    terms: list[str]
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

    @property
    def is_filtered(self) -> bool:
        return self.type is not None or self.tag is not None


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
) -> ArchiveSearch:
    """Visible pages of every archive type matching ``query``, best first."""
    query = clean_query(query)
    terms = query_terms(query)
    search_type = archive_types.get(type)
    selected_tag = visible_tag(slug=tag) if tag else None

    matches = match_pages(terms) if terms else None
    counts = (
        _counts(matches, search_type, selected_tag)
        if matches is not None
        else _Counts()
    )
    corrected = corrected_terms(terms) if terms and not counts.unfiltered else None
    if corrected:
        corrected_matches = match_pages(corrected)
        corrected_counts = _counts(corrected_matches, search_type, selected_tag)
        if corrected_counts.unfiltered:
            matches, counts, terms = corrected_matches, corrected_counts, corrected
        else:
            corrected = None

    type_counts = counts.by_type
    total = (
        type_counts.get(search_type.key, 0)
        if search_type is not None
        else sum(type_counts.values())
    )
    rows = []
    paginator = Paginator(rows, PER_PAGE)
    # The count is known from the facets: the paginator need not ask again.
    paginator.count = total
    results = paginator.get_page(page)
    if total:
        shown = _with_tag(matches, selected_tag)
        if search_type is not None:
            shown = shown.filter(content_type_id=_content_type_of(search_type))
        sql, params = ranked_sql(shown)
        with connections[shown.db].cursor() as cursor:
            cursor.execute(sql, [*params, PER_PAGE, results.start_index() - 1])
            rows = cursor.fetchall()
    results.object_list = _hits(rows, highlighter(terms))

    outcome = ArchiveSearch(
        query=query,
        terms=terms,
        results=results,
        total=total,
        unfiltered_total=counts.unfiltered,
        type=search_type,
        tag=selected_tag,
        type_facets=[
            Facet(t.key, t.label, type_counts.get(t.key, 0), t is search_type)
            for t in archive_types
        ],
        tag_facets=_tag_facets(counts, selected_tag, total)
        if counts.unfiltered
        else [],
        corrected_query=" ".join(corrected) if corrected else "",
    )
    if terms and not counts.unfiltered:
        outcome.suggested_tags = _suggested_tags(terms)
    return outcome


def _with_tag(pages: QuerySet[Page], tag: ArchiveTag | None) -> QuerySet[Page]:
    if tag is None:
        return pages
    tagged = [
        t.tag_through.objects.filter(tag_id=tag.pk)
        .order_by()
        .values("content_object_id")
        for t in archive_types
    ]
    return pages.filter(pk__in=tagged[0].union(*tagged[1:], all=True))


@dataclass
class _Counts:
    unfiltered: int = 0
    by_type: dict[str, int] = field(default_factory=dict)
    # (tag id, slug, name, count) of the most used tags, most used first.
    tags: list[tuple[int, str, str, int]] = field(default_factory=list)


def _counts(
    matches: QuerySet[Page], search_type: ArchiveType | None, tag: ArchiveTag | None
) -> _Counts:
    """How many pages match: in all, per type (with the tag, if any) and per
    tag (of the type, if any; the ``MAX_TAG_FACETS`` most used). One query,
    in which the matches are found once."""
    connection = connections[matches.db]
    match_sql, match_params = matches.values(
        "id", "content_type_id"
    ).query.sql_with_params()
    uses = " UNION ALL ".join(
        "SELECT content_object_id AS page_id, tag_id "  # noqa: S608 - table names only
        f"FROM {t.tag_through._meta.db_table} "
        "WHERE content_object_id IN (SELECT id FROM m)"
        for t in archive_types
    )
    by_tag, by_tag_params = ("", [])
    if tag is not None:
        by_tag, by_tag_params = (
            " WHERE id IN (SELECT page_id FROM uses WHERE tag_id = %s)",
            [tag.pk],
        )
    of_type, of_type_params = ("", [])
    if search_type is not None:
        of_type, of_type_params = (
            " WHERE page_id IN (SELECT id FROM m WHERE content_type_id = %s)",
            [_content_type_of(search_type)],
        )
    tags = ArchiveTag._meta.db_table
    sql = (
        f"WITH m AS ({match_sql}), uses AS ({uses}) "  # noqa: S608 - compiled by the ORM
        "SELECT 0, 0, '', '', COUNT(*) FROM m "
        "UNION ALL SELECT 1, content_type_id, '', '', COUNT(*) FROM m"
        f"{by_tag} GROUP BY content_type_id "
        "UNION ALL SELECT * FROM (SELECT 2, t.id, t.slug, t.name, COUNT(*) AS n "
        f"FROM uses INNER JOIN {tags} t ON t.id = uses.tag_id{of_type} "
        "GROUP BY t.id, t.slug, t.name ORDER BY n DESC, LOWER(t.name), t.id "
        "LIMIT %s) top"
    )
    counts = _Counts()
    with connection.cursor() as cursor:
        cursor.execute(
            sql, [*match_params, *by_tag_params, *of_type_params, MAX_TAG_FACETS]
        )
        for kind, pk, slug, name, n in cursor.fetchall():
            if kind == 0:
                counts.unfiltered = n
            elif kind == 1:
                archive_type = _type_for_content_type(pk)
                if archive_type is not None:
                    counts.by_type[archive_type.key] = n
            else:
                counts.tags.append((pk, slug, name, n))
    counts.tags.sort(key=lambda row: (-row[3], row[2].casefold()))
    return counts


def _tag_facets(
    counts: _Counts, selected: ArchiveTag | None, selected_count: int
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
                snippet=snippet(page, pattern),
                original_title=highlight(getattr(page, "original_title", ""), pattern),
            )
        )
    return hits
