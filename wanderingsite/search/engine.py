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
from django.db.models import Q
from django.utils.safestring import SafeString, mark_safe
from wagtail.models import Page

from ..models import ArchiveTag
from ..page_types import ArchiveType, archive_types
from ..selectors import specific_pages, visible_tag, visible_tags
from .facts import facts_of
from .lexicon import corrected_terms
from .matching import SCORED, match_pages
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

    number = _page_number(page)
    found = _search(terms, search_type, selected_tag, number) if terms else _Found()
    corrected = corrected_terms(terms) if terms and not found.unfiltered else None
    if corrected:
        corrected_found = _search(corrected, search_type, selected_tag, number)
        if corrected_found.unfiltered:
            found, terms = corrected_found, corrected
        else:
            corrected = None

    type_counts = found.by_type
    total = (
        type_counts.get(search_type.key, 0)
        if search_type is not None
        else sum(type_counts.values())
    )
    paginator = Paginator([], PER_PAGE)
    # The count is known from the facets: the paginator need not ask again.
    paginator.count = total
    results = paginator.get_page(number)
    rows = found.rows
    results.object_list = _hits(rows, highlighter(terms))

    outcome = ArchiveSearch(
        query=query,
        terms=terms,
        results=results,
        total=total,
        unfiltered_total=found.unfiltered,
        type=search_type,
        tag=selected_tag,
        type_facets=[
            Facet(t.key, t.label, type_counts.get(t.key, 0), t is search_type)
            for t in archive_types
        ],
        tag_facets=_tag_facets(found, selected_tag, total) if found.unfiltered else [],
        corrected_query=" ".join(corrected) if corrected else "",
    )
    if terms and not found.unfiltered:
        outcome.suggested_tags = _suggested_tags(terms)
    return outcome


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
) -> _Found:
    """What ``terms`` match, in one query in which the matches are found once:
    how many in all, per type (with the tag, if any), per tag (of the type, if
    any; the ``MAX_TAG_FACETS`` most used), and the page ``number`` (the last
    if past the end) of those with both, best first."""
    matches = match_pages(terms)
    connection = connections[matches.db]
    match_sql, match_params = matches.values(
        "id", "content_type_id", "title", "full_text", "substring"
    ).query.sql_with_params()
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
        "ROW_NUMBER() OVER (ORDER BY score DESC, LOWER(title), id) AS position, "
        f"'', '', score FROM ({SCORED} FROM shown) scored "
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
