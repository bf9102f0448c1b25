"""Spelling corrections from a lexicon of what the public can read.

``SearchTerm`` holds the words of visible titles, tags, credited names and
texts, and the titles and names themselves as phrases. A correction reads a
few terms close to each query word, never the whole lexicon: on PostgreSQL
the nearest by trigram distance (migration 0008 indexes them), elsewhere
the terms that start with the word's letter and are about as long, at most
``FALLBACK_CANDIDATES`` of them.

The lexicon is rebuilt whole by ``rebuild_lexicon`` (``load_archive`` and
``manage.py update_search_terms`` call it) and grows as pages are published
(``add_page_terms``). A term left by a page since unpublished stays until the
next rebuild, but is never offered: a correction is shown only when the
corrected query finds visible pages.
"""

from __future__ import annotations

import difflib
import operator
from functools import reduce

from django.db import connections, transaction
from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.functions import Length
from wagtail.models import Page
from wagtail.search import index
from wagtail.search.models import IndexEntry
from wagtail.signals import page_published, published, unpublished

from ..models import Person, SearchTerm
from ..page_types import archive_types
from ..selectors import visible_tags
from ..visibility import visible_q
from .matching import OTHER_TITLES, content_type_ids, people_links
from .query import WORD

# A query word that nothing holds is read as the archive's closest word when
# they are this alike (difflib's ratio): "Hollywod" as "Hollywood".
SPELLING_CUTOFF = 0.8
# Terms read per query word on PostgreSQL (the most similar first).
NEAREST = 5
# Terms read, at most, for a whole query where there is no trigram index.
FALLBACK_CANDIDATES = 500
# Titles and names of up to this many words are also kept whole, so that a
# misspelt name ("Frant Guo") is read as the name ("Frant Gwo").
PHRASE_WORDS = 6
MAX_TERM_LENGTH = 100


def _may_be_misspelt(term: str) -> bool:
    # Chinese has no spelling to correct; short words and numbers are too
    # close to too many others.
    return term.isascii() and term.isalpha() and len(term) >= 4


def _terms_of(texts, *, named: bool, into: dict[str, SearchTerm]) -> None:
    for text in texts:
        words = WORD.findall(text or "")
        spellings = [words]
        if named and 1 < len(words) <= PHRASE_WORDS:
            spellings.append([" ".join(words)])
        for spelling in (s for group in spellings for s in group):
            key = spelling.casefold()
            if len(key) > MAX_TERM_LENGTH:
                continue
            term = into.get(key)
            if term is None:
                into[key] = SearchTerm(
                    term=key,
                    spelling=spelling,
                    words=spelling.count(" ") + 1,
                    named=named,
                )
            elif named and not term.named:
                term.named, term.spelling = True, spelling


def _visible_pages():
    return Page.objects.filter(visible_q()).type(*archive_types.models)


def _names(pages) -> list[str]:
    """Titles and other titles of ``pages``, their tags, and the names of the
    people credited on them."""
    ids = pages.values("id")
    credited = Q(pk__in=[])
    for link, person, page in people_links():
        credited |= Q(
            pk__in=link.objects.filter(**{f"{page}_id__in": ids}).values(f"{person}_id")
        )
    texts = [
        Page.objects.filter(pk__in=ids).order_by().values_list("title"),
        *(
            t.model.objects.filter(pk__in=ids).order_by().values_list(name)
            for t in archive_types
            for name in OTHER_TITLES
            if name in {f.name for f in t.model._meta.get_fields()}
        ),
        *(
            visible_tags()
            .filter(
                pk__in=t.tag_through.objects.filter(content_object_id__in=ids).values(
                    "tag_id"
                )
            )
            .order_by()
            .values_list("name")
            for t in archive_types
        ),
        Person.objects.published().filter(credited).order_by().values_list("name"),
    ]
    return [
        line
        for (text,) in texts[0].union(*texts[1:])
        for line in (text or "").splitlines()
    ]


def _collect(pages) -> dict[str, SearchTerm]:
    terms: dict[str, SearchTerm] = {}
    _terms_of(_names(pages), named=True, into=terms)
    _terms_of(_page_texts(pages), named=False, into=terms)
    return terms


def _page_texts(pages):
    vendor = connections[IndexEntry.objects.db].vendor
    column = "body_text" if vendor == "postgresql" else "body"
    content_types = content_type_ids()
    ids = [str(pk) for pk in pages.values_list("id", flat=True)]
    for start in range(0, len(ids), 1000):
        yield from IndexEntry.objects.filter(
            content_type_id__in=content_types, object_id__in=ids[start : start + 1000]
        ).values_list(column, flat=True)


def rebuild_lexicon() -> int:
    """Replace the lexicon with the terms of the visible pages; their number."""
    terms = _collect(_visible_pages())
    with transaction.atomic():
        SearchTerm.objects.all().delete()
        SearchTerm.objects.bulk_create(terms.values(), batch_size=2000)
    return len(terms)


def add_page_terms(page: Page) -> None:
    """Add the terms of ``page``, if the public can see it, to the lexicon."""
    pages = _visible_pages().filter(pk=page.pk)
    terms = _collect(pages)
    if not terms:
        return
    SearchTerm.objects.bulk_create(terms.values(), ignore_conflicts=True)
    named = [key for key, term in terms.items() if term.named]
    SearchTerm.objects.filter(term__in=named, named=False).update(named=True)


def _add_published_page(sender, instance, **kwargs) -> None:
    add_page_terms(instance)


def _pages_naming(person: Person):
    named = Q(pk__in=[])
    for link, field, page in people_links():
        named |= Q(pk__in=link.objects.filter(**{field: person}).values(f"{page}_id"))
    return Page.objects.filter(named)


def _reindex_pages_naming(sender, instance, **kwargs) -> None:
    # The search index holds the names of the people a page names as they were
    # when it was indexed: a person's new live name goes there, the old one out.
    for page in _pages_naming(instance).specific():
        index.insert_or_update_object(page)
        add_page_terms(page)


def connect_lexicon() -> None:
    """Add each page's terms to the lexicon as it is published, and index the
    pages naming a person again when the person is published or unpublished."""
    page_published.connect(_add_published_page, dispatch_uid="search-lexicon")
    for signal in (published, unpublished):
        signal.connect(
            _reindex_pages_naming,
            sender=Person,
            dispatch_uid=f"search-person-{id(signal)}",
        )


def _nearest(keys: list[str], *, phrases: bool) -> list[tuple[str, str, bool]]:
    """(query key, term spelling, named) of the terms close to each key: a
    bounded read."""
    connection = connections[SearchTerm.objects.db]
    if connection.vendor == "postgresql":
        table = SearchTerm._meta.db_table
        words = "words > 1" if phrases else "words = 1"
        # One branch per key, each walking the trigram index nearest first.
        nearest = (
            f"(SELECT %s, spelling, named FROM {table} "  # noqa: S608 - no input in the text
            f"WHERE {words} ORDER BY term <-> %s LIMIT %s)"
        )
        params = [p for key in keys for p in (key, key, NEAREST)]
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join([nearest] * len(keys)), params)
            return cursor.fetchall()
    alike = reduce(
        operator.or_,
        (
            Q(
                term__gte=key[0],
                term__lt=chr(ord(key[0]) + 1),
                length__gte=len(key) - 2,
                length__lte=len(key) + 2,
            )
            for key in keys
        ),
    )
    exact = Case(
        When(term__in=keys, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    rows = (
        SearchTerm.objects.annotate(length=Length("term"), exact=exact)
        .filter(alike)
        .filter(
            words__gt=1 if phrases else 0, words__lte=PHRASE_WORDS if phrases else 1
        )
        .order_by("exact", "-named", "term")
        .values_list("term", "spelling", "named")[:FALLBACK_CANDIDATES]
    )
    return [
        (key, spelling, named)
        for term, spelling, named in rows
        for key in keys
        if term[:1] == key[:1]
    ]


def _closest(key: str, candidates: list[tuple[str, bool]]) -> str | None:
    """The candidate most like ``key``, if alike enough; a name or title wins
    a tie with a word of the texts."""
    best, best_rank = None, (SPELLING_CUTOFF, False)
    for spelling, named in candidates:
        rank = (difflib.SequenceMatcher(None, key, spelling.casefold()).ratio(), named)
        if rank >= best_rank:
            best, best_rank = spelling, rank
    return best


def corrected_terms(terms: list[str]) -> list[str] | None:
    """``terms`` with each word the archive lacks replaced by its closest word
    (or, failing that, the whole query by the closest title or name), or None
    when nothing changes. At most two bounded reads of the lexicon."""
    keys = [t.casefold() for t in terms if _may_be_misspelt(t)]
    if not keys:
        return None
    near: dict[str, list[tuple[str, bool]]] = {key: [] for key in keys}
    for key, spelling, named in _nearest(keys, phrases=False):
        near[key].append((spelling, named))
    corrected = []
    for term in terms:
        key = term.casefold()
        candidates = near.get(key, [])
        known = any(spelling.casefold() == key for spelling, _ in candidates)
        close = None if known or key not in near else _closest(key, candidates)
        corrected.append(close or term)
    if corrected != terms:
        return corrected
    if len(terms) < 2:
        return None
    whole = " ".join(terms).casefold()
    phrases = [(s, n) for _, s, n in _nearest([whole], phrases=True)]
    phrase = _closest(whole, phrases)
    if phrase is None or phrase.casefold() == whole:
        return None
    return WORD.findall(phrase)
