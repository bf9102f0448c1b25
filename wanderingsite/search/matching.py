"""Which pages match a query, and their score, as SQL: nothing is read here.

Two kinds of match make one score. Full-text matches come from Wagtail's
database search backend (PostgreSQL full text on PostgreSQL, FTS5 on SQLite).
PostgreSQL's text-search parser does not split Chinese into words, so titles,
original titles, other titles and people's names are also matched by
substring: ``icontains``, which migration 0004 backs with trigram indexes on
PostgreSQL, narrows the pages, and a word-start pattern on those few decides.

``match_pages`` returns a queryset of the visible archive pages that match,
annotated with ``full_text`` (the backend's rank, None without a full-text
match) and ``substring`` (0 .. 1.4); ``SCORED`` combines them into the score
the engine ranks by, so ranking, counting and pagination stay in SQL.
"""

from __future__ import annotations

import operator
from functools import reduce

from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import (
    Abs,
    Cast,
    Greatest,
    Least,
    Length,
    Replace,
)
from wagtail.models import Page
from wagtail.search.models import IndexEntry

from ..models import Person
from ..page_types import archive_types
from ..visibility import visible_q
from .query import numeral

# Substring scores, added to the full-text score (which lies in 0.5 .. 1): a
# title holding every term scores 0.6, up to 1.0 as the terms cover more of it.
IN_TITLES = 0.6
TITLE_COVERAGE = 0.4
IN_NAMES = 0.3
# A title that also holds a number the query names ("Wandering Earth 2" and
# "The Wandering Earth II") ranks above one that holds only the words.
NUMERAL_BONUS = 0.4
# Fields that name a page besides its title (a film's original and other
# titles), matched by substring on whichever types have them.
OTHER_TITLES = ("original_title", "other_titles")
LEADING_ARTICLES = (("the ", 3), ("an ", 2), ("a ", 1))


def searchable_by_substring(term: str) -> bool:
    # Chinese packs a word into two characters; a Latin word needs three
    # letters before a substring says anything.
    return len(term) >= (3 if term.isascii() else 2)


def _fields_of(model, names) -> list[str]:
    fields = {f.name for f in model._meta.get_fields()}
    return [name for name in names if name in fields]


def title_fields() -> list[str]:
    """Lookups, from a page, of every field that names it: its title, then
    each type's other titles through that type's table."""
    lookups = ["title"]
    for archive_type in archive_types:
        model = archive_type.model
        lookups += [
            f"{model._meta.model_name}__{name}"
            for name in _fields_of(model, OTHER_TITLES)
        ]
    return lookups


def people_links() -> list[tuple[type, str, str]]:
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


def _word_start(term: str, vendor: str) -> str:
    return rf"\m{term}" if vendor == "postgresql" else rf"\b{term}"


def _holds(lookup: str, term: str, vendor: str) -> Q:
    """``lookup`` holds ``term``: at a word's start for a Latin word (terms are
    letters and digits only), anywhere for Chinese."""
    if term.isascii():
        return Q(**{f"{lookup}__iregex": _word_start(term, vendor)})
    return Q(**{f"{lookup}__icontains": term})


def _holds_numeral(lookup: str, pattern: str, vendor: str) -> Q:
    if vendor == "postgresql":
        pattern = pattern.replace(r"\b", r"\y")
    return Q(**{f"{lookup}__iregex": pattern})


def _any(qs) -> Q:
    return reduce(operator.or_, qs, Q(pk__in=[]))


def _all(qs) -> Q:
    return reduce(operator.and_, qs, Q())


def _named_by(terms: list[str]) -> QuerySet[Person]:
    return Person.objects.published().filter(
        _any(Q(name__icontains=t) | Q(original_name__icontains=t) for t in terms)
    )


def _names_hold(term: str, vendor: str) -> Q:
    """A person tied to the page has ``term`` in a name."""
    # icontains first: the trigram indexes narrow the people before the
    # word-start pattern reads them.
    person = (Q(name__icontains=term) & _holds("name", term, vendor)) | (
        Q(original_name__icontains=term) & _holds("original_name", term, vendor)
    )
    return _any(
        Q(
            Exists(
                link.objects.filter(
                    **{page: OuterRef("pk")},
                    **{f"{field}__in": Person.objects.published().filter(person)},
                )
            )
        )
        for link, field, page in people_links()
    )


def _substring_candidates(terms: list[str]) -> list[QuerySet]:
    """Ids of pages whose titles or people hold any term, each from an index."""
    pieces = [
        Page.objects.filter(_any(Q(title__icontains=t) for t in terms))
        .order_by()
        .values("pk")
    ]
    for archive_type in archive_types:
        model = archive_type.model
        fields = _fields_of(model, OTHER_TITLES)
        if fields:
            named = _any(Q(**{f"{f}__icontains": t}) for f in fields for t in terms)
            pieces.append(model.objects.filter(named).order_by().values("pk"))
    people = _named_by(terms).values("pk")
    for link, field, page in people_links():
        pieces.append(
            link.objects.filter(**{f"{field}__in": people}).order_by().values(page)
        )
    return pieces


def _letters(lookup: str):
    """How many letters a title has, its leading article aside (roughly:
    every character but spaces)."""
    article = Case(
        *(
            When(**{f"{lookup}__istartswith": word, "then": Value(len(word) - 1)})
            for word, _ in LEADING_ARTICLES
        ),
        default=Value(0),
        output_field=IntegerField(),
    )
    spaced = Length(Replace(lookup, Value(" "), Value("")))
    return Greatest(spaced - article, Value(1), output_field=IntegerField())


def _substring_score(terms: list[str], all_terms: list[str], vendor: str):
    """0 unless every term is in the page's titles or names: IN_NAMES, or, when
    the titles hold them all, IN_TITLES plus how much of the title they cover,
    plus NUMERAL_BONUS when the titles also hold the numbers the query names."""
    lookups = title_fields()
    in_titles = _all(_any(_holds(f, t, vendor) for f in lookups) for t in terms)
    named = _all(
        _any(_holds(f, t, vendor) for f in lookups) | _names_hold(t, vendor)
        for t in terms
    )
    term_letters = float(sum(len(t) for t in terms))
    coverage = Greatest(
        *(
            Case(
                When(
                    _all(_holds(f, t, vendor) for t in terms),
                    then=Least(
                        Value(1.0) * Value(term_letters) / _letters(f),
                        Value(1.0),
                        output_field=FloatField(),
                    ),
                ),
                default=Value(0.0),
                output_field=FloatField(),
            )
            for f in lookups
        ),
        Value(0.0),
        output_field=FloatField(),
    )
    title_score = Value(IN_TITLES) + Value(TITLE_COVERAGE) * coverage
    numerals = [n for t in all_terms if (n := numeral(t)) is not None]
    if numerals:
        with_numerals = _all(
            _any(_holds_numeral(f, n, vendor) for f in lookups) for n in numerals
        )
        title_score = title_score + Case(
            When(with_numerals, then=Value(NUMERAL_BONUS)),
            default=Value(0.0),
            output_field=FloatField(),
        )
    return Case(
        When(in_titles, then=title_score),
        When(named, then=Value(IN_NAMES)),
        default=Value(0.0),
        output_field=FloatField(),
    ), named


def _full_text(terms: list[str], vendor: str) -> tuple[QuerySet, Subquery]:
    """(ids of the pages the backend matches, their rank as a subquery on the
    outer page's ``pk``, positive, None for no match)."""
    results = (
        Page.objects.live()
        .type(*archive_types.models)
        .search(" ".join(terms), operator="and")
        .annotate_score("_score")
    )
    compiler = results.query_compiler
    if vendor == "postgresql" and hasattr(compiler, "build_tsquery"):
        # The backend's own query, asked of the search table alone: its join
        # to every page (on a text cast of the id) is the planner's to get
        # wrong; here pages are reached by primary key.
        config = compiler.get_config(results.backend)
        tsquery = compiler.build_tsquery(compiler.query, config=config)
        entries = (
            IndexEntry.objects.filter(content_type_id__in=content_type_ids())
            .annotate(_vector_=F("title")._combine(F("body"), "||", False))
            .filter(_vector_=tsquery)
        )
        rank = compiler.build_tsrank(F("title"), compiler.query, config=config) * F(
            "title_norm"
        ) + compiler.build_tsrank(F("body"), compiler.query, config=config)
        ids = entries.values(page=Cast("object_id", IntegerField()))
        score = entries.filter(object_id=Cast(OuterRef("pk"), CharField())).annotate(
            _rank=rank
        )
        return ids, Subquery(score.values("_rank")[:1], output_field=FloatField())
    found = results.get_queryset().order_by()
    score = found.filter(pk=OuterRef("pk")).values("_score")[:1]
    return found.values("pk"), Abs(Subquery(score, output_field=FloatField()))


def content_type_ids() -> list[int]:
    """The content types of the archive types, in one query at most."""
    types = ContentType.objects.get_for_models(*archive_types.models)
    return [types[t.model].pk for t in archive_types]


def match_pages(terms: list[str]) -> QuerySet[Page]:
    """Visible archive pages matching every term, by full text or by their
    titles and names, annotated with ``full_text`` and ``substring``."""
    vendor = connections[Page.objects.db].vendor
    visible = Page.objects.filter(visible_q()).type(*archive_types.models)
    full_text_ids, full_text = _full_text(terms, vendor)
    wanted = [t for t in terms if searchable_by_substring(t)]
    if not wanted:
        return (
            visible.filter(pk__in=full_text_ids)
            .annotate(full_text=full_text, substring=Value(0.0))
            .order_by()
        )
    substring, named = _substring_score(wanted, terms, vendor)
    candidates = full_text_ids.union(*_substring_candidates(wanted), all=True)
    return (
        visible.filter(pk__in=candidates)
        .filter(Q(pk__in=full_text_ids) | named)
        .annotate(full_text=full_text, substring=substring)
        .order_by()
    )


# The score of a row of ``match_pages`` (selected with its ``full_text`` and
# ``substring``): a full-text match counts 0.5 .. 1, its rank over the best of
# the rows, plus the substring score. Completed by "FROM <rows>".
SCORED = (
    "SELECT id, content_type_id, title, (CASE WHEN full_text IS NULL THEN 0.0 "
    "ELSE 0.5 + 0.5 * COALESCE(full_text / NULLIF(MAX(full_text) OVER (), 0), "
    "0.0) END) + substring AS score"
)
