"""Spelling corrections from a lexicon of what the public can read.

``SearchTerm`` holds the words of visible titles, tags, credited names and
texts, and the titles and names themselves as phrases. A correction reads a
few terms close to each query word, never the whole lexicon: those one typing
slip away (a letter left out, added, changed, or two swapped: every such
spelling looked up by the unique index on ``term``, so "Jupitar" finds
"jupiter" and "Guo" finds "gwo" however many terms look alike), and besides,
on PostgreSQL the nearest by trigram distance (migration 0008 indexes them),
elsewhere the terms that start with the word's letter and are about as long,
at most ``FALLBACK_CANDIDATES`` of them.

The lexicon is rebuilt whole by ``rebuild_lexicon`` (``load_archive`` and
``manage.py update_search_terms`` call it) and grows as pages are published
(``add_page_terms``). A term left by a page since unpublished stays until the
next rebuild, but is never offered: a correction is shown only when the
corrected query finds visible pages.
"""

from __future__ import annotations

import difflib
import json
import operator
from functools import reduce

from django.db import connections, transaction
from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL
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
# Words up to this long are also looked up by every spelling one slip away
# (some 50 per letter); longer ones are told apart well enough by trigrams.
MAX_SLIP_LENGTH = 15
LETTERS = "abcdefghijklmnopqrstuvwxyz"
# Titles and names of up to this many words are also kept whole, so that a
# misspelt name ("Frant Guo") is read as the name ("Frant Gwo").
PHRASE_WORDS = 6
# A title or name of as many words this few slips from the whole query is
# taken over corrections word by word.
PHRASE_SLIPS = 2
MAX_TERM_LENGTH = 100


def _may_be_misspelt(term: str) -> bool:
    # Chinese has no spelling to correct; numbers and words of one or two
    # letters are too close to too many others.
    return term.isascii() and term.isalpha() and len(term) >= 3


def slips(word: str) -> set[str]:
    """Every spelling one slip from ``word`` (lower case letters): a letter
    left out, added or changed, or two neighbours swapped; ``word`` with them."""
    if len(word) > MAX_SLIP_LENGTH or not (word.isascii() and word.isalpha()):
        return {word}
    splits = [(word[:n], word[n:]) for n in range(len(word) + 1)]
    return {
        word,
        *(a + b[1:] for a, b in splits if b),
        *(a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1),
        *(a + c + b[1:] for a, b in splits if b for c in LETTERS if c != b[0]),
        *(a + c + b for a, b in splits for c in LETTERS),
    }


def slip_distance(a: str, b: str) -> int:
    """How many slips (as ``slips`` counts them) turn ``a`` into ``b``."""
    previous, current = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        before, previous, current = previous, current, [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(
                previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost
            )
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], before[j - 2] + 1)
    return current[len(b)]


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
    bounded read, in one query."""
    slipped = {} if phrases else {key: slips(key) for key in keys}
    connection = connections[SearchTerm.objects.db]
    table = SearchTerm._meta.db_table
    if connection.vendor == "postgresql":
        words = "words > 1" if phrases else "words = 1"
        # One branch per key walking the trigram index nearest first (a word
        # of three letters has too few trigrams to be near anything), and one
        # looking each of its slips up in the unique index: one probe a
        # spelling, however large the lexicon. A plain IN list is read by
        # scanning the table once the planner thinks that cheaper, and "=" is
        # answered by the trigram index too, some 4 ms a probe at 29,000
        # terms; the range only the B-tree answers (1 ms for 390 probes).
        nearest = (
            f"(SELECT %s, spelling, named FROM {table} "  # noqa: S608 - no input in the text
            f"WHERE {words} ORDER BY term <-> %s LIMIT %s)"
        )
        slipped_to = (
            "(SELECT %s, found.spelling, found.named FROM unnest(%s::text[]) slip "  # noqa: S608 - no input in the text
            f"CROSS JOIN LATERAL (SELECT spelling, named FROM {table} "
            "WHERE term >= slip AND term <= slip LIMIT 1) found)"
        )
        branches, params = [], []
        for key in keys:
            if phrases or len(key) > 3:
                branches.append(nearest)
                params += [key, key, NEAREST]
        for key, spellings in slipped.items():
            branches.append(slipped_to)
            params += [key, sorted(spellings)]
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(branches), params)
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
    every_slip = sorted(set().union(*slipped.values()))
    # One parameter however many slips: the unique index on term answers each.
    listed = RawSQL("SELECT value FROM json_each(%s)", [json.dumps(every_slip)])
    if every_slip:
        alike |= Q(term__in=listed)
    nearness = Case(
        When(term__in=keys, then=Value(0)),
        *([When(term__in=listed, then=Value(1))] if every_slip else []),
        default=Value(2),
        output_field=IntegerField(),
    )
    rows = (
        SearchTerm.objects.annotate(length=Length("term"), nearness=nearness)
        .filter(alike)
        .filter(
            words__gt=1 if phrases else 0, words__lte=PHRASE_WORDS if phrases else 1
        )
        .order_by("nearness", "-named", "term")
        .values_list("term", "spelling", "named")[:FALLBACK_CANDIDATES]
    )
    return [
        (key, spelling, named)
        for term, spelling, named in rows
        for key in keys
        if term[:1] == key[:1] or term in slipped.get(key, ())
    ]


def _closest(key: str, candidates: list[tuple[str, bool]]) -> str | None:
    """The candidate most like ``key``, if alike enough: one slip away (a word
    of three letters only to a name or title), or as alike as SPELLING_CUTOFF.
    Fewer slips win, then a name or title over a word of the texts."""
    best, best_rank = None, None
    for spelling, named in candidates:
        term = spelling.casefold()
        slipped = slip_distance(key, term)
        ratio = difflib.SequenceMatcher(None, key, term).ratio()
        one_slip = slipped == 1 and (named or len(key) > 3)
        if not (one_slip or ratio >= SPELLING_CUTOFF):
            continue
        rank = (slipped, not named, -ratio, term)
        if best_rank is None or rank < best_rank:
            best, best_rank = spelling, rank
    return best


def corrected_terms(terms: list[str]) -> list[str] | None:
    """``terms`` with each word the archive lacks replaced by its closest word,
    or the whole query by a title or name of as many words a slip or two
    away ("Frant Guo" as "Frant Gwo", where "Guo" alone is also a slip from
    other names), or failing both by the closest title or name; None when
    nothing changes. At most two bounded reads of the lexicon."""
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
    if len(terms) < 2:
        return corrected if corrected != terms else None
    whole = " ".join(terms).casefold()
    phrases = [(s, n) for _, s, n in _nearest([whole], phrases=True)]
    same_length = [
        (spelling, named)
        for spelling, named in phrases
        if spelling.count(" ") == whole.count(" ")
        and slip_distance(whole, spelling.casefold()) <= PHRASE_SLIPS
    ]
    phrase = _closest(whole, same_length) if corrected != terms else None
    if phrase is None and corrected != terms:
        return corrected
    phrase = phrase or _closest(whole, phrases)
    if phrase is None or phrase.casefold() == whole:
        return None
    return WORD.findall(phrase)
