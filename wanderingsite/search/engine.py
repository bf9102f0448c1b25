"""The search engine: candidates from two kinds of match, ranked, counted
into facets, and a spelling correction when nothing matches.

Two kinds of match are merged into one score. Full-text matches come from
Wagtail's database search backend (PostgreSQL full text on PostgreSQL, FTS5 on
SQLite). PostgreSQL's text-search parser does not split Chinese into words, so
titles, original titles, other titles and people's names are also matched by
substring: ``icontains``, which migration 0004 backs with trigram indexes on
PostgreSQL. The types searched are the registered archive types.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Model, Q, QuerySet
from django.utils.safestring import SafeString, mark_safe
from wagtail.models import Page

from ..models import ArchiveTag, Person
from ..page_types import ArchiveType, archive_types
from ..selectors import specific_pages, visible_tag, visible_tags
from ..visibility import visible_q
from .query import WORD, clean_query, numeral, query_terms
from .snippets import highlight, highlighter, snippet

PER_PAGE = 10
MAX_TAG_FACETS = 20
# A query word that nothing holds is read as the archive's closest word when
# they are this alike (difflib's ratio): "Hollywod" as "Hollywood".
SPELLING_CUTOFF = 0.8

# Substring scores, added to the full-text score (which lies in 0.5 .. 1): a
# title holding every term scores 0.6, up to 1.0 as the terms cover more of it.
IN_TITLES = 0.6
TITLE_COVERAGE = 0.4
IN_NAMES = 0.3
# A title that also holds a number the query names ("Wandering Earth 2" and
# "The Wandering Earth II") ranks above one that holds only the words.
NUMERAL_BONUS = 0.4
ARTICLES = frozenset({"a", "an", "the"})
# Fields that name a page besides its title (a film's original and other
# titles), matched by substring on whichever types have them. Other titles,
# one a line, also lend their words to spelling corrections.
OTHER_TITLES = ("original_title", "other_titles")


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


@dataclass
class _Candidate:
    content_type_id: int
    title: str
    full_text: float | None = None
    substring: float = 0.0
    tags: set[int] = field(default_factory=set)

    @property
    def score(self) -> float:
        return (self.full_text or 0.0) + self.substring


def _type_for_content_type(content_type_id: int) -> ArchiveType | None:
    # get_for_models reads whichever of the types it has not cached in one
    # query, where get_for_id would read each on its own.
    content_types = ContentType.objects.get_for_models(*archive_types.models)
    return next(
        (t for t in archive_types if content_types[t.model].pk == content_type_id),
        None,
    )


def _fields_of(model: type[Model], names) -> list[str]:
    """Those of ``names`` that are fields of ``model``."""
    fields = {f.name for f in model._meta.get_fields()}
    return [name for name in names if name in fields]


def _people_links() -> list[tuple[type[Model], str, str]]:
    """(model, person field, page field) of each way people are tied to the
    pages of a type: credits, authors, actors."""
    links = []
    for archive_type in archive_types:
        for accessor in archive_type.people:
            relation = Person._meta.get_field(accessor)
            link = relation.related_model
            page = next(
                f for f in link._meta.fields if f.related_model is archive_type.model
            )
            links.append((link, relation.field.name, page.name))
    return links


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

    pages = _searchable_pages()
    candidates = _candidates(terms, pages) if terms else {}
    corrected = corrected_terms(terms) if terms and not candidates else None
    if corrected:
        candidates = _full_text_matches(corrected, pages)
        if candidates:
            terms = corrected
        else:
            corrected = None
    tag_names = _attach_tags(candidates)

    def keep(candidate: _Candidate, *, by_type=True, by_tag=True) -> bool:
        if (
            by_type
            and search_type is not None
            and _type_for_content_type(candidate.content_type_id) is not search_type
        ):
            return False
        return not (by_tag and selected_tag and selected_tag.pk not in candidate.tags)

    type_counts = Counter(
        _type_for_content_type(c.content_type_id).key
        for c in candidates.values()
        if keep(c, by_type=False)
    )
    tag_counts = Counter(
        tag_id
        for c in candidates.values()
        if keep(c, by_tag=False)
        for tag_id in c.tags
    )
    ranked = sorted(
        (pk for pk, c in candidates.items() if keep(c)),
        key=lambda pk: (-candidates[pk].score, candidates[pk].title.casefold(), pk),
    )
    results = Paginator(ranked, PER_PAGE).get_page(page)
    results.object_list = _hits(
        list(results.object_list), candidates, highlighter(terms)
    )

    outcome = ArchiveSearch(
        query=query,
        terms=terms,
        results=results,
        total=len(ranked),
        unfiltered_total=len(candidates),
        type=search_type,
        tag=selected_tag,
        type_facets=[
            Facet(t.key, t.label, type_counts[t.key], t is search_type)
            for t in archive_types
        ],
        tag_facets=_tag_facets(tag_counts, selected_tag, tag_names),
        corrected_query=" ".join(corrected) if corrected else "",
    )
    if terms and not ranked:
        outcome.suggested_tags = _suggested_tags(terms)
    return outcome


def _candidates(terms: list[str], pages: QuerySet[Page]) -> dict[int, _Candidate]:
    candidates = _full_text_matches(terms, pages)
    for pk, (content_type_id, title, score) in _substring_matches(terms).items():
        candidate = candidates.setdefault(pk, _Candidate(content_type_id, title))
        candidate.substring = score
    return candidates


def _searchable_pages() -> QuerySet[Page]:
    # The backend only accepts filters on indexed fields, so visibility is
    # Wagtail's own live()/public() here rather than visible_q(). public()
    # reads the view restrictions as it is called: call this once a search.
    return (
        Page.objects.live()
        .public()
        .type(*archive_types.models)
        .only("id", "content_type_id", "title")
    )


def _full_text_matches(
    terms: list[str], pages: QuerySet[Page]
) -> dict[int, _Candidate]:
    hits = list(pages.search(" ".join(terms), operator="and").annotate_score("_score"))
    # ts_rank is positive, FTS5's bm25 negative: only the magnitude ranks.
    best = max((abs(hit._score or 0.0) for hit in hits), default=0.0) or 1.0
    return {
        hit.pk: _Candidate(
            hit.content_type_id,
            hit.title,
            full_text=0.5 + 0.5 * abs(hit._score or 0.0) / best,
        )
        for hit in hits
    }


def _searchable_by_substring(term: str) -> bool:
    # Chinese packs a word into two characters; a Latin word needs three
    # letters before a substring says anything.
    return len(term) >= (3 if term.isascii() else 2)


def _word_pattern(term: str) -> re.Pattern:
    if term.isascii():
        return re.compile(rf"\b{re.escape(term)}", re.IGNORECASE)
    return re.compile(re.escape(term), re.IGNORECASE)


def _coverage(title: str, patterns: list[re.Pattern]) -> float:
    """How much of ``title``'s words (articles aside) the terms cover, 0 .. 1."""
    words = [
        range(m.start(), m.end())
        for m in WORD.finditer(title)
        if m.group().casefold() not in ARTICLES
    ]
    if not words:
        return 0.0
    covered = {i for p in patterns for m in p.finditer(title) for i in range(*m.span())}
    return sum(len(covered.intersection(w)) for w in words) / sum(map(len, words))


def _substring_matches(terms: list[str]) -> dict[int, tuple[int, str, float]]:
    """Pages whose titles or people hold every term: {pk: (type, title, score)}."""
    wanted = [t for t in terms if _searchable_by_substring(t)]
    if not wanted:
        return {}
    patterns = [_word_pattern(t) for t in wanted]
    numerals = [
        re.compile(n, re.IGNORECASE) for t in terms if (n := numeral(t)) is not None
    ]

    def any_term(*lookups: str) -> Q:
        q = Q()
        for term in wanted:
            for lookup in lookups:
                q |= Q(**{f"{lookup}__icontains": term})
        return q

    visible = Page.objects.filter(visible_q()).type(*archive_types.models)
    titles: dict[int, list[str]] = defaultdict(list)
    meta: dict[int, tuple[int, str]] = {}
    for pk, content_type_id, title in visible.filter(any_term("title")).values_list(
        "id", "content_type_id", "title"
    ):
        titles[pk].append(title)
        meta[pk] = (content_type_id, title)
    for archive_type in archive_types:
        fields = _fields_of(archive_type.model, OTHER_TITLES)
        if not fields:
            continue
        rows = archive_type.model.objects.filter(
            visible_q(), any_term(*fields)
        ).values_list("id", "content_type_id", "title", *fields)
        for pk, content_type_id, title, *others in rows:
            titles[pk].extend([title, *(n for o in others for n in o.splitlines())])
            meta[pk] = (content_type_id, title)

    names: dict[int, list[str]] = defaultdict(list)
    people = {
        pk: f"{name}\n{original}"
        for pk, name, original in Person.objects.filter(
            any_term("name", "original_name")
        ).values_list("id", "name", "original_name")
    }
    if people:
        visible_pages = Page.objects.filter(visible_q()).values("id")
        links = [
            link.objects.filter(
                **{f"{person}_id__in": people, f"{page}_id__in": visible_pages}
            )
            .order_by()
            .values_list(
                f"{page}_id",
                f"{page}__content_type_id",
                f"{page}__title",
                f"{person}_id",
            )
            for link, person, page in _people_links()
        ]
        for pk, content_type_id, title, person_id in links[0].union(*links[1:]):
            names[pk].append(people[person_id])
            meta.setdefault(pk, (content_type_id, title))

    matches = {}
    for pk, (content_type_id, title) in meta.items():
        title_text = "\n".join(titles.get(pk, []))
        name_text = "\n".join(names.get(pk, []))
        if all(p.search(title_text) for p in patterns):
            best = max(_coverage(t, patterns) for t in titles[pk])
            score = IN_TITLES + TITLE_COVERAGE * best
            if numerals and all(n.search(title_text) for n in numerals):
                score += NUMERAL_BONUS
        elif all(p.search(title_text) or p.search(name_text) for p in patterns):
            score = IN_NAMES
        else:
            continue
        matches[pk] = (content_type_id, title, score)
    return matches


def _vocabulary() -> dict[str, str]:
    """The words a visitor can see listed, casefolded, each with its spelling:
    titles and other titles of visible pages, tags on visible pages and the
    people credited on them. Nothing from a draft or private page."""
    visible = Page.objects.filter(visible_q()).type(*archive_types.models)
    visible_ids = visible.values("id")
    credited = Q()
    for link, person, page in _people_links():
        credited |= Q(
            pk__in=link.objects.filter(**{f"{page}_id__in": visible_ids}).values(
                f"{person}_id"
            )
        )
    texts = [
        visible.order_by().values_list("title"),
        *(
            t.model.objects.filter(visible_q()).order_by().values_list("other_titles")
            for t in archive_types
            if _fields_of(t.model, ["other_titles"])
        ),
        visible_tags().order_by().values_list("name"),
        Person.objects.filter(credited).order_by().values_list("name"),
    ]
    words: dict[str, str] = {}
    for (text,) in texts[0].union(*texts[1:]):
        for word in WORD.findall(text or ""):
            words.setdefault(word.casefold(), word)
    return words


def corrected_terms(terms: list[str]) -> list[str] | None:
    """``terms`` with each word the archive's titles, tags and names lack
    replaced by their closest word, or None when no word changes."""
    if not any(_may_be_misspelt(term) for term in terms):
        return None
    words = _vocabulary()
    corrected = []
    for term in terms:
        key = term.casefold()
        close = (
            difflib.get_close_matches(key, words, n=1, cutoff=SPELLING_CUTOFF)
            if _may_be_misspelt(term) and key not in words
            else []
        )
        corrected.append(words[close[0]] if close else term)
    return corrected if corrected != terms else None


def _may_be_misspelt(term: str) -> bool:
    # Chinese has no spelling to correct; short words and numbers are too
    # close to too many others.
    return term.isascii() and term.isalpha() and len(term) >= 4


def _attach_tags(candidates: dict[int, _Candidate]) -> dict[int, tuple[str, str]]:
    """Give each candidate its tags' ids; return each tag's (slug, name)."""
    if not candidates:
        return {}
    ids = list(candidates)
    rows = [
        t.tag_through.objects.filter(content_object_id__in=ids)
        .order_by()
        .values_list("content_object_id", "tag_id", "tag__slug", "tag__name")
        for t in archive_types
    ]
    tags = {}
    for page_id, tag_id, slug, name in rows[0].union(*rows[1:], all=True):
        candidates[page_id].tags.add(tag_id)
        tags[tag_id] = (slug, name)
    return tags


def _tag_facets(
    counts: Counter, selected: ArchiveTag | None, tags: dict[int, tuple[str, str]]
) -> list[Facet]:
    top = dict(counts.most_common(MAX_TAG_FACETS))
    if selected is not None:
        top.setdefault(selected.pk, counts.get(selected.pk, 0))
        tags = {**tags, selected.pk: (selected.slug, selected.name)}
    facets = [
        Facet(
            tags[pk][0],
            tags[pk][1],
            count,
            selected is not None and pk == selected.pk,
        )
        for pk, count in top.items()
    ]
    return sorted(facets, key=lambda f: (-f.count, f.label.casefold()))


def _suggested_tags(terms: list[str], limit: int = 8) -> list[ArchiveTag]:
    """Tags on visible pages whose names hold a term of a query that found nothing."""
    named = Q()
    for term in terms:
        named |= Q(name__icontains=term)
    return list(visible_tags().filter(named).order_by("name")[:limit])


def _hits(
    ids: list[int], candidates: dict[int, _Candidate], pattern: re.Pattern | None
) -> list[SearchHit]:
    pages = {page.pk: page for page in specific_pages(Page.objects.filter(pk__in=ids))}
    hits = []
    for pk in ids:
        page = pages.get(pk)
        if page is None:
            continue
        hits.append(
            SearchHit(
                page=page,
                type=_type_for_content_type(candidates[pk].content_type_id),
                score=candidates[pk].score,
                title=highlight(page.title, pattern),
                snippet=snippet(page, pattern),
                original_title=highlight(getattr(page, "original_title", ""), pattern),
            )
        )
    return hits
