"""Archive search: one ranked list over films, essays and policy events.

Two kinds of match are merged into one score. Full-text matches come from
Wagtail's database search backend (PostgreSQL full text on PostgreSQL, FTS5 on
SQLite). PostgreSQL's text-search parser does not split Chinese into words, so
titles, original titles, other titles and people's names are also matched by
substring: ``icontains``, which migration 0004 backs with trigram indexes on
PostgreSQL.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.template.response import TemplateResponse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from essays.models import EssayAuthor, EssayPage, EssayPageTag
from films.models import (
    EventActor,
    FilmCredit,
    FilmPage,
    FilmPageTag,
    PolicyEventPage,
    PolicyEventPageTag,
)

from .models import TAG_SLUG, ArchiveTag, Person
from .quotes import block_text, html_to_text
from .selectors import visible_tag, visible_tags
from .templatetags.archive_tags import site_root_url
from .visibility import visible_q

MAX_QUERY_LENGTH = 200
MAX_TERMS = 10
PER_PAGE = 10
MAX_TAG_FACETS = 20
SNIPPET_LENGTH = 240
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
ROMAN = {"2": "ii", "3": "iii", "4": "iv", "5": "v", "6": "vi", "7": "vii"}
ROMAN |= {"8": "viii", "9": "ix"}
ARABIC = {roman: arabic for arabic, roman in ROMAN.items()}

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_WORD = re.compile(r"\w+")
_SLUG = TAG_SLUG


@dataclass(frozen=True)
class SearchType:
    key: str
    model: type[Page]
    label: str
    singular: str
    tag_through: type


SEARCH_TYPES = (
    SearchType("film", FilmPage, _("Films"), _("Film"), FilmPageTag),
    SearchType("essay", EssayPage, _("Essays"), _("Essay"), EssayPageTag),
    SearchType(
        "event", PolicyEventPage, _("Events"), _("Policy event"), PolicyEventPageTag
    ),
)
SEARCH_MODELS = tuple(t.model for t in SEARCH_TYPES)


@dataclass(frozen=True)
class Facet:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class SearchHit:
    page: Page
    type: SearchType
    score: float
    title: SafeString
    snippet: SafeString
    original_title: SafeString = mark_safe("")  # noqa: S308 - empty literal


@dataclass
class ArchiveSearch:
    query: str
    terms: list[str]
    results: PaginatorPage
    total: int = 0
    unfiltered_total: int = 0
    type: SearchType | None = None
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


def clean_query(raw: str | None) -> str:
    """The query as searched: control characters dropped, spaces collapsed, cut."""
    text = unicodedata.normalize("NFKC", _CONTROL.sub(" ", raw or ""))
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def query_terms(query: str) -> list[str]:
    """The words of ``query``: letters and digits of any script, no operators."""
    return _WORD.findall(query)[:MAX_TERMS]


def _searchable_by_substring(term: str) -> bool:
    # Chinese packs a word into two characters; a Latin word needs three
    # letters before a substring says anything.
    return len(term) >= (3 if term.isascii() else 2)


def specific_pages(pages: QuerySet[Page]) -> list[Page]:
    """The films, essays and events among ``pages`` as their own types, in one
    query whatever the mix (each child table joined to its page row)."""
    children = [t.model._meta.model_name for t in SEARCH_TYPES]
    found = []
    for row in pages.select_related(*children):
        child = next((c for c in children if getattr(row, c, None) is not None), None)
        if child is not None:
            found.append(getattr(row, child))
    return found


def _type_for_content_type(content_type_id: int) -> SearchType | None:
    # get_for_models reads whichever of the three types it has not cached in
    # one query, where get_for_id would read each on its own.
    content_types = ContentType.objects.get_for_models(*SEARCH_MODELS)
    return next(
        (t for t in SEARCH_TYPES if content_types[t.model].pk == content_type_id),
        None,
    )


def search_archive(
    *,
    query: str,
    type: str | None = None,
    tag: str | None = None,
    page: int | str | None = 1,
) -> ArchiveSearch:
    """Visible films, essays and events matching ``query``, best first."""
    query = clean_query(query)
    terms = query_terms(query)
    search_type = next((t for t in SEARCH_TYPES if t.key == type), None)
    selected_tag = None
    if tag and _SLUG.match(tag):
        selected_tag = visible_tag(slug=tag)

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
        list(results.object_list), candidates, _highlighter(terms)
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
            for t in SEARCH_TYPES
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
        .type(*SEARCH_MODELS)
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


def _numeral(term: str) -> str | None:
    """``term`` as a pattern matching both its arabic and roman forms, if it
    is a number from 2 to 9 written either way."""
    lowered = term.lower()
    arabic = lowered if lowered in ROMAN else ARABIC.get(lowered)
    return rf"\b(?:{arabic}|{ROMAN[arabic]})\b" if arabic else None


def _word_pattern(term: str) -> re.Pattern:
    if term.isascii():
        return re.compile(rf"\b{re.escape(term)}", re.IGNORECASE)
    return re.compile(re.escape(term), re.IGNORECASE)


def _coverage(title: str, patterns: list[re.Pattern]) -> float:
    """How much of ``title``'s words (articles aside) the terms cover, 0 .. 1."""
    words = [
        range(m.start(), m.end())
        for m in _WORD.finditer(title)
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
        re.compile(n, re.IGNORECASE) for t in terms if (n := _numeral(t)) is not None
    ]

    def any_term(*lookups: str) -> Q:
        q = Q()
        for term in wanted:
            for lookup in lookups:
                q |= Q(**{f"{lookup}__icontains": term})
        return q

    visible = Page.objects.filter(visible_q()).type(*SEARCH_MODELS)
    titles: dict[int, list[str]] = defaultdict(list)
    meta: dict[int, tuple[int, str]] = {}
    for pk, content_type_id, title in visible.filter(any_term("title")).values_list(
        "id", "content_type_id", "title"
    ):
        titles[pk].append(title)
        meta[pk] = (content_type_id, title)
    films = FilmPage.objects.filter(
        visible_q(), any_term("original_title", "other_titles")
    ).values_list("id", "content_type_id", "title", "original_title", "other_titles")
    for pk, content_type_id, title, original, others in films:
        titles[pk].extend([title, original, *others.splitlines()])
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
            model.objects.filter(person_id__in=people, page_id__in=visible_pages)
            .order_by()
            .values_list("page_id", "page__content_type_id", "page__title", "person_id")
            for model in (FilmCredit, EssayAuthor, EventActor)
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
    titles of visible pages, films' other titles, tags on visible pages and the
    people credited on them. Nothing from a draft or private page."""
    visible = Page.objects.filter(visible_q()).type(*SEARCH_MODELS)
    visible_ids = visible.values("id")
    credited = Q()
    for model in (FilmCredit, EssayAuthor, EventActor):
        credited |= Q(
            pk__in=model.objects.filter(page_id__in=visible_ids).values("person_id")
        )
    texts = [
        visible.order_by().values_list("title"),
        FilmPage.objects.filter(visible_q()).order_by().values_list("other_titles"),
        visible_tags().order_by().values_list("name"),
        Person.objects.filter(credited).order_by().values_list("name"),
    ]
    words: dict[str, str] = {}
    for (text,) in texts[0].union(*texts[1:]):
        for word in _WORD.findall(text or ""):
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
        for t in SEARCH_TYPES
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


# Presentation: highlighted titles and snippets.


def _stem(term: str) -> str:
    """A rough English stem, so that 'wandering' also marks 'wanders'."""
    lowered = term.lower()
    for suffix in ("ing", "es", "ed", "s"):
        if lowered.endswith(suffix) and len(lowered) - len(suffix) >= 4:
            return lowered[: -len(suffix)]
    return lowered


def _highlighter(terms: list[str]) -> re.Pattern | None:
    """One pattern for every term, each in its own group ``t0``, ``t1`` ..."""
    pieces = []
    for n, term in enumerate(sorted(set(terms), key=len, reverse=True)):
        if _numeral(term):
            piece = _numeral(term)
        elif not term.isascii():
            piece = re.escape(term)
        elif len(term) < 3:
            piece = rf"\b{re.escape(term)}\b"
        else:
            piece = rf"\b{re.escape(_stem(term))}\w*"
        pieces.append(f"(?P<t{n}>{piece})")
    return re.compile("|".join(pieces), re.IGNORECASE) if pieces else None


def highlight(text: str, pattern: re.Pattern | None) -> SafeString:
    """``text`` escaped, with each match of ``pattern`` inside ``<mark>``.

    Matches are found in the plain text and every piece is escaped on its own,
    so a term can never match inside an entity such as ``&amp;``.
    """
    if pattern is None:
        return escape(text)
    parts, last = [], 0
    for match in pattern.finditer(text):
        if match.end() == match.start():
            continue
        parts.append(escape(text[last : match.start()]))
        parts.append(format_html("<mark>{}</mark>", match.group()))
        last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308 - every part escaped above


def _excerpt(text: str, at: int) -> str:
    if len(text) <= SNIPPET_LENGTH:
        return text
    start = max(0, at - SNIPPET_LENGTH // 3)
    if start:
        space = text.find(" ", start, at)
        start = space + 1 if space != -1 else start
    end = min(len(text), start + SNIPPET_LENGTH)
    if end < len(text):
        space = text.rfind(" ", max(start, end - 30), end)
        end = space if space != -1 else end
    before = "… " if start else ""
    after = " …" if end < len(text) else ""
    return f"{before}{text[start:end].strip()}{after}"


def _page_texts(page: Page) -> list[tuple[str, bool]]:
    """The page's passages, each flagged True for prose, False for a label."""
    prose = [page.summary]
    labels = []
    if isinstance(page, FilmPage):
        prose.append(html_to_text(page.synopsis))
        labels += [page.based_on, page.other_titles]
    else:
        prose += [block_text(block) for block in page.body]
    if isinstance(page, EssayPage):
        labels += [page.publication, page.publication_note]
    return [
        (" ".join(text.split()), is_prose)
        for texts, is_prose in ((prose, True), (labels, False))
        for text in texts
        if text and text.strip()
    ]


def _window(text: str, pattern: re.Pattern, known=frozenset()) -> tuple[int, int]:
    """(terms, offset) of the stretch of ``text`` richest in terms not ``known``."""
    matches = list(pattern.finditer(text))
    reach = SNIPPET_LENGTH * 2 // 3
    best = (0, 0)
    for i, first in enumerate(matches):
        terms = {m.lastgroup for m in matches[i:] if m.start() < first.start() + reach}
        best = max(best, (len(terms - known), -first.start()))
    return best[0], -best[1]


def snippet(page: Page, pattern: re.Pattern | None) -> SafeString:
    """The passage of ``page`` richest in the terms, terms marked.

    A label (other titles, the source work, the publication) is chosen only
    for terms the result's title does not already show.
    """
    texts = _page_texts(page)
    if not texts:
        return mark_safe("")  # noqa: S308 - an empty literal
    best_text, best_terms, best_at = texts[0][0], 0, 0
    if pattern is not None:
        shown = f"{page.title}\n{getattr(page, 'original_title', '')}"
        in_title = frozenset(m.lastgroup for m in pattern.finditer(shown))
        for text, is_prose in texts:
            terms, at = _window(text, pattern, frozenset() if is_prose else in_title)
            if terms > best_terms:
                best_text, best_terms, best_at = text, terms, at
    return highlight(_excerpt(best_text, best_at), pattern)


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


def search_view(request):
    params = request.GET
    search = search_archive(
        query=params.get("q", ""),
        type=params.get("type"),
        tag=params.get("tag"),
        page=params.get("page", 1),
    )
    json_ld = {
        "@context": "https://schema.org",
        "@type": "SearchResultsPage",
        "name": "Search the archive",
        "url": f"{site_root_url(request)}{request.path}",
    }
    return TemplateResponse(
        request, "search/search.html", {"search": search, "json_ld": json_ld}
    )
