"""Synthetic pages for benchmarks: the archive grown to any size, in bulk.

``grow_archive`` adds films, essays, policy events, people, tags and citations
made of words with the frequencies of the source documents, every one marked
as synthetic: slugs begin with ``synthetic-`` and every page carries the tag
"synthetic". It writes only to a benchmark database
(``require_benchmark_database``), never to a real site's.

Creating a page through Wagtail (``add_child``, ``save_revision().publish()``
and the search signal) costs about 190 queries. Each batch here costs a fixed
number of bulk queries whatever its size, and writes the rows Wagtail would:
page rows with treebeard paths computed under their index and their
``url_path``; each type's own row; one revision per page, which is both its
``latest_revision`` and its ``live_revision``; tags, credits, authors, actors,
citations quoting paragraphs of synthetic essays, and the relations between
pages; then the batch's search index entries, one insert per type. So the
pages render, list, search and appear in the sitemap as real ones do.

Not written: the reference index behind the admin's "usage" counts (run
``rebuild_references_index`` if the admin needs them) and audit log entries.
"""

from __future__ import annotations

import datetime
import random
import re
import statistics
import time
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connections, transaction
from django.db.models import F, Max
from django.utils import timezone
from wagtail.models import Page, Revision
from wagtail.models.pages import COMMENTS_RELATION_NAME
from wagtail.search.backends import get_search_backend

from essays.models import (
    BoxOfficeFigure,
    Citation,
    EssayAuthor,
    EssayIndexPage,
    EssayPage,
    EssayPageTag,
    EventCitation,
    FilmCitation,
)
from films.models import (
    EventActor,
    FilmCredit,
    FilmIndexPage,
    FilmPage,
    FilmPageTag,
    PolicyEventPage,
    PolicyEventPageTag,
    TimelinePage,
)
from wanderingsite.cache import purge_page_cache
from wanderingsite.dates import DatePrecision
from wanderingsite.models import ArchiveTag, Person
from wanderingsite.search.lexicon import rebuild_lexicon

from .archive_fixtures import DEFAULT_FIXTURES_DIR, DOCUMENTS_DIRNAME

SYNTHETIC_PREFIX = "synthetic-"
SYNTHETIC_TAG = "synthetic"
# Overridable in settings (BENCHMARK_DATABASE_PATTERN), so a test can name its
# own database; matched against the database's name (a SQLite file's stem).
BENCHMARK_DATABASE_PATTERN = r"^(wa_)?bench"
# One cycle of ten pages: half essays, three events, two films. Essays come
# first so that the first batch's films and events have passages to cite.
KIND_CYCLE = (
    "essay", "event", "film", "essay", "essay",
    "event", "essay", "film", "event", "essay",
)  # fmt: skip
PAGES_PER_PERSON = 4
PAGES_PER_TAG = 20
REAL_TAG_SHARE = 0.2
CITABLE_ESSAYS = 500
_NUMBERED = re.compile(r"-(\d+)$")
_CJK = "流浪地球星际太空航行飞船火种计划月球危机方舟行星发动机"


class NotABenchmarkDatabase(Exception):
    """The database is not one that synthetic pages may be written to."""


def database_name(using: str = "default") -> str:
    """The database's name: PostgreSQL's, or a SQLite file's stem."""
    name = str(connections[using].settings_dict["NAME"])
    if connections[using].vendor == "sqlite" and not name.startswith("file:"):
        return Path(name).stem
    return name


def require_benchmark_database(using: str = "default") -> str:
    """Raise ``NotABenchmarkDatabase`` unless synthetic pages may be written.

    Two conditions, neither met by accident: the settings are a single
    machine's (``LOCAL_USERS``: dev, local and test; never production's), and
    the database's name matches ``BENCHMARK_DATABASE_PATTERN`` (by default it
    begins with ``bench`` or ``wa_bench``), a name chosen when the database
    was created for the purpose.
    """
    name = database_name(using)
    pattern = getattr(
        settings, "BENCHMARK_DATABASE_PATTERN", BENCHMARK_DATABASE_PATTERN
    )
    if not settings.LOCAL_USERS:
        raise NotABenchmarkDatabase(
            "Synthetic pages are for benchmarks on this machine only; these "
            "settings are a deployment's (LOCAL_USERS is off). Use "
            "wanderingsite.settings.local or .dev."
        )
    if not re.search(pattern, name):
        raise NotABenchmarkDatabase(
            f"The database {name!r} is not a benchmark database: its name must "
            f"match {pattern!r} (begin with 'bench' or 'wa_bench'). Create one for "
            "the purpose, e.g. createdb wa_bench_grown, and load the archive into it."
        )
    return name


class Words:
    """Made-up text with the word frequencies of the source documents.

    Words are drawn from a Zipf distribution over the documents' vocabulary
    and as many invented words, so that a query word matches a share of the
    pages that depends on how common it is, as in real prose.
    """

    def __init__(self, rng: random.Random, documents: Path):
        self.rng = rng
        real = sorted(
            {
                word.strip(".,;:!?()“”\"'’‘*[]").lower()
                for path in sorted(documents.glob("*.txt"))
                for word in path.read_text(encoding="utf-8").split()
            }
        )
        real = [word for word in real if word.isascii() and word.isalpha()]
        syllables = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
        made_up = sorted(
            {
                "".join(rng.choices(syllables, k=rng.randint(2, 4)))
                for _ in range(len(real))
            }
            - set(real)
        )
        self.vocabulary = real + made_up
        rng.shuffle(self.vocabulary)
        self.made_up = made_up
        weights = [1 / rank**1.1 for rank in range(1, len(self.vocabulary) + 1)]
        self.cumulative = list(_accumulate(weights))

    def words(self, k: int) -> str:
        return " ".join(
            self.rng.choices(self.vocabulary, cum_weights=self.cumulative, k=k)
        )

    def sentence(self, low: int, high: int) -> str:
        text = self.words(self.rng.randint(low, high))
        return f"{text[:1].upper()}{text[1:]}."

    def title(self) -> str:
        return self.words(self.rng.randint(2, 5)).title()

    def name(self) -> str:
        return " ".join(self.rng.choice(self.made_up).title() for _ in range(2))


def _accumulate(values: Sequence[float]):
    total = 0.0
    for value in values:
        total += value
        yield total


def _skewed(rng: random.Random, items: Sequence, power: float = 3.0):
    """An item, the first ones far more often: a few prolific people, popular
    tags and much-discussed films, in constant time however long ``items`` is."""
    return items[int(len(items) * rng.random() ** power)]


def _some(rng: random.Random, items: Sequence, low: int, high: int) -> list:
    """Between ``low`` and ``high`` distinct items, skewed as ``_skewed``."""
    if not items:
        return []
    wanted = min(rng.randint(low, high), len(items))
    chosen: dict = {}
    for _attempt in range(wanted * 4):
        item = _skewed(rng, items)
        chosen.setdefault(item, item)
        if len(chosen) == wanted:
            break
    return list(chosen.values())


@dataclass(frozen=True)
class BatchTiming:
    pages: int
    seconds: float
    queries: int

    @property
    def seconds_per_thousand(self) -> float:
        return self.seconds * 1000 / self.pages if self.pages else 0.0


@dataclass
class GrowthResult:
    created: Counter = field(default_factory=Counter)
    batches: list[BatchTiming] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return sum(batch.seconds for batch in self.batches)

    def summary_line(self) -> str:
        created = self.created
        pages = created["films"] + created["essays"] + created["events"]
        per_thousand = [b.seconds_per_thousand for b in self.batches if b.pages]
        timing = (
            f"; per 1,000 pages: first batch {per_thousand[0]:.1f} s, last "
            f"{per_thousand[-1]:.1f} s, median {statistics.median(per_thousand):.1f} s"
            if per_thousand
            else ""
        )
        return (
            f"Archive grown by {pages} synthetic pages ({created['films']} films, "
            f"{created['essays']} essays, {created['events']} events), "
            f"{created['people']} people, {created['tags']} tags, "
            f"{created['citations']} citations in {self.seconds:.1f} s{timing}."
        )


@dataclass
class _CitableEssay:
    page: EssayPage
    paragraphs: list[tuple[str, str]]  # (anchor, plain text)


class _Grower:
    """Writes batches of synthetic pages; holds what later batches draw on."""

    def __init__(self, rng: random.Random, words: Words, using: str):
        self.rng = rng
        self.words = words
        self.using = using
        self.now = timezone.now()
        self.parents = {
            "film": FilmIndexPage.objects.using(using).get(),
            "essay": EssayIndexPage.objects.using(using).get(),
            "event": TimelinePage.objects.using(using).get(),
        }
        self.models = {"film": FilmPage, "essay": EssayPage, "event": PolicyEventPage}
        self.page_type = ContentType.objects.db_manager(using).get_for_model(Page)
        self.content_types = {
            kind: ContentType.objects.db_manager(using).get_for_model(model)
            for kind, model in self.models.items()
        }
        self.next_step = {kind: self._last_step(p) for kind, p in self.parents.items()}
        self.numbers = {
            kind: self._last_number(model.objects, f"{SYNTHETIC_PREFIX}{kind}-")
            for kind, model in self.models.items()
        }
        self.numbers["person"] = self._last_number(
            Person.objects, f"{SYNTHETIC_PREFIX}person-"
        )
        self.numbers["tag"] = self._last_number(
            ArchiveTag.objects, f"{SYNTHETIC_PREFIX}tag-"
        )
        self.marker, _ = ArchiveTag.objects.using(using).get_or_create(
            slug=SYNTHETIC_TAG, defaults={"name": SYNTHETIC_TAG}
        )
        synthetic = {"slug__startswith": SYNTHETIC_PREFIX}
        self.real_tags = list(
            ArchiveTag.objects.using(using)
            .exclude(**synthetic)
            .exclude(pk=self.marker.pk)
            .order_by("name")
        )
        self.tags = list(
            ArchiveTag.objects.using(using).filter(**synthetic).order_by("pk")
        )
        self.people = list(
            Person.objects.using(using).filter(**synthetic).order_by("pk")
        )
        self.films = list(
            FilmPage.objects.using(using)
            .filter(**synthetic)
            .order_by("path")
            .values_list("pk", flat=True)
        )
        self.events = list(
            PolicyEventPage.objects.using(using)
            .filter(**synthetic)
            .order_by("path")
            .values_list("pk", flat=True)
        )
        self.citable: list[_CitableEssay] = []

    def _last_step(self, parent: Page) -> int:
        last = (
            Page.objects.using(self.using)
            .filter(path__startswith=parent.path, depth=parent.depth + 1)
            .aggregate(last=Max("path"))["last"]
        )
        return Page._str2int(last[-Page.steplen :]) if last else 0

    def _last_number(self, manager, prefix: str) -> int:
        slugs = manager.using(self.using).filter(slug__startswith=prefix)
        numbers = [
            int(match.group(1))
            for slug in slugs.values_list("slug", flat=True)
            if (match := _NUMBERED.search(slug))
        ]
        return max(numbers, default=0)

    def _number(self, kind: str) -> int:
        self.numbers[kind] += 1
        return self.numbers[kind]

    # -- what the batch draws on --

    def add_people(self, count: int) -> list[Person]:
        people = []
        for _ in range(count):
            n = self._number("person")
            institution = self.rng.random() < 0.15
            name = self.words.name()
            if institution:
                name = f"{name} {self.rng.choice(('Bureau', 'Studio', 'Group'))}"
            people.append(
                Person(
                    name=name,
                    slug=f"{SYNTHETIC_PREFIX}person-{n}",
                    kind=Person.Kind.INSTITUTION if institution else Person.Kind.PERSON,
                    description=self.words.sentence(8, 16),
                    # Published, as the public pages they are credited on
                    # would show them; without a revision, like a bulk import.
                    live=True,
                )
            )
        people = Person.objects.using(self.using).bulk_create(people)
        self.people += people
        return people

    def add_tags(self, count: int) -> None:
        tags = []
        for _ in range(count):
            n = self._number("tag")
            tags.append(
                ArchiveTag(
                    name=f"Synthetic {n}",
                    slug=f"{SYNTHETIC_PREFIX}tag-{n}",
                    description=self.words.sentence(6, 12),
                )
            )
        self.tags += ArchiveTag.objects.using(self.using).bulk_create(tags)

    def tags_for_page(self) -> list[ArchiveTag]:
        tags = [self.marker, *_some(self.rng, self.tags, 1, 3)]
        if self.real_tags and self.rng.random() < REAL_TAG_SHARE:
            tags.append(self.rng.choice(self.real_tags))
        return tags

    def date(self, first: int, last: int) -> datetime.date:
        start = datetime.date(first, 1, 1).toordinal()
        end = datetime.date(last, 12, 31).toordinal()
        return datetime.date.fromordinal(self.rng.randint(start, end))

    def precise_date(self, first: int, last: int) -> tuple[datetime.date, str]:
        date = self.date(first, last)
        precision = self.rng.choices(
            [DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR], [6, 3, 1]
        )[0]
        if precision == DatePrecision.MONTH:
            date = date.replace(day=1)
        elif precision == DatePrecision.YEAR:
            date = date.replace(month=1, day=1)
        return date, precision

    def paragraphs(self, count: int) -> list[tuple[str, str]]:
        return [
            (f"p{n}", " ".join(self.words.sentence(8, 24) for _ in range(4)))
            for n in range(1, count + 1)
        ]

    @staticmethod
    def body(paragraphs: list[tuple[str, str]]) -> list[dict]:
        return [
            {
                "type": "paragraph",
                "value": {"text": f"<p>{text}</p>", "anchor": anchor},
                "id": str(uuid.uuid4()),
            }
            for anchor, text in paragraphs
        ]

    def citation(self, model, page: Page, sort_order: int, **fields) -> Citation | None:
        if not self.citable:
            return None
        essay = self.rng.choice(self.citable)
        anchor, text = self.rng.choice(essay.paragraphs)
        words = text.split()
        start = self.rng.randrange(max(1, len(words) - 8))
        quote = " ".join(words[start : start + 8])
        fields.setdefault("topic", self.rng.choice(Citation.Topic.values))
        return model(
            page=page,
            sort_order=sort_order,
            claim=self.words.sentence(4, 10)[:300],
            essay=essay.page,
            quote=quote,
            anchor=anchor,
            **fields,
        )

    # -- the pages --

    def new_page(self, key: str, title: str, **fields) -> Page:
        parent = self.parents[key]
        n = self._number(key)
        self.next_step[key] += 1
        slug = f"{SYNTHETIC_PREFIX}{key}-{n}"
        return self.models[key](
            title=title,
            draft_title=title,
            slug=slug,
            content_type=self.content_types[key],
            path=Page._get_path(parent.path, parent.depth + 1, self.next_step[key]),
            depth=parent.depth + 1,
            numchild=0,
            url_path=f"{parent.url_path}{slug}/",
            live=True,
            has_unpublished_changes=False,
            first_published_at=self.now,
            last_published_at=self.now,
            latest_revision_created_at=self.now,
            locale_id=parent.locale_id,
            translation_key=uuid.uuid4(),
            **fields,
        )

    def film(self) -> FilmPage:
        date, precision = self.precise_date(1990, 2030)
        chinese = "".join(self.rng.choices(_CJK, k=self.rng.randint(2, 5)))
        return self.new_page(
            "film",
            self.words.title(),
            original_title=chinese,
            original_language="zh",
            date=date,
            date_precision=precision,
            summary=self.words.sentence(15, 30),
            synopsis=f"<p>{self.words.sentence(40, 80)}</p>",
        )

    def essay(self) -> tuple[EssayPage, list[tuple[str, str]]]:
        paragraphs = self.paragraphs(self.rng.randint(4, 8))
        page = self.new_page(
            "essay",
            self.words.title(),
            publication=f"{self.rng.choice(self.words.made_up).title()} Review",
            published_date=self.date(2000, 2025),
            published_date_precision=DatePrecision.DAY,
            summary=self.words.sentence(15, 30),
            body=self.body(paragraphs),
        )
        return page, paragraphs

    def event(self) -> PolicyEventPage:
        date, precision = self.precise_date(1949, 2030)
        return self.new_page(
            "event",
            self.words.title(),
            date=date,
            date_precision=precision,
            kind=self.rng.choice(PolicyEventPage.Kind.values),
            summary=self.words.sentence(15, 30),
            body=self.body(self.paragraphs(self.rng.randint(1, 2))),
        )


@dataclass
class _Batch:
    """One batch's pages and rows, planned in memory and written in bulk."""

    films: list[FilmPage] = field(default_factory=list)
    essays: list[EssayPage] = field(default_factory=list)
    events: list[PolicyEventPage] = field(default_factory=list)
    rows: dict[type, list] = field(default_factory=dict)

    def add(self, model, *instances) -> None:
        self.rows.setdefault(model, []).extend(i for i in instances if i is not None)

    @property
    def pages(self) -> list[Page]:
        return [*self.films, *self.essays, *self.events]


def _insert_specific_rows(model, pages: list[Page], using: str) -> None:
    """Insert each page's row in its own type's table, its ``Page`` row written.

    Django's ``bulk_create`` refuses models with a concrete parent; the
    queryset's ``_insert`` (which ``bulk_create`` itself calls) takes the child
    table's own fields, the parent link among them.
    """
    fields = model._meta.local_concrete_fields
    size = connections[using].ops.bulk_batch_size(fields, pages) or len(pages)
    for start in range(0, len(pages), size):
        model._base_manager.using(using)._insert(
            pages[start : start + size], fields=fields, using=using
        )
    for page in pages:
        page._state.adding = False
        page._state.db = using


def _write_batch(grower: _Grower, kinds: Sequence[str]) -> Counter:
    using = grower.using
    rng = grower.rng
    created = Counter()
    created["people"] = len(grower.add_people(-(-len(kinds) // PAGES_PER_PERSON)))
    tags_wanted = -(-len(kinds) // PAGES_PER_TAG)
    grower.add_tags(tags_wanted)
    created["tags"] = tags_wanted

    batch = _Batch()
    paragraphs = {}
    for kind in kinds:
        if kind == "film":
            batch.films.append(grower.film())
        elif kind == "event":
            batch.events.append(grower.event())
        else:
            essay, essay_paragraphs = grower.essay()
            batch.essays.append(essay)
            paragraphs[id(essay)] = essay_paragraphs

    pages = batch.pages
    page_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
    rows = [
        Page(**{f.attname: getattr(p, f.attname) for f in page_fields}) for p in pages
    ]
    rows = Page.objects.using(using).bulk_create(rows)
    for page, row in zip(pages, rows, strict=True):
        page.pk = page.id = row.pk
    for kind, specific in (
        ("film", batch.films),
        ("essay", batch.essays),
        ("event", batch.events),
    ):
        if specific:
            _insert_specific_rows(grower.models[kind], specific, using)

    grower.films += [film.pk for film in batch.films]
    grower.events += [event.pk for event in batch.events]
    for essay in batch.essays:
        grower.citable.append(_CitableEssay(essay, paragraphs[id(essay)]))
    del grower.citable[:-CITABLE_ESSAYS]

    # Each relation is set on the page in memory, for its revision, and kept
    # to be written in bulk.
    films_through = EssayPage.films.through
    events_through = EssayPage.events.through
    event_films_through = PolicyEventPage.films.through
    people = grower.people
    for essay in batch.essays:
        tags = [
            EssayPageTag(tag=t, content_object=essay) for t in grower.tags_for_page()
        ]
        authors = [
            EssayAuthor(page=essay, person=person, sort_order=n)
            for n, person in enumerate(_some(rng, people, 0, 2))
        ]
        film_ids = _some(rng, grower.films, 0, 2)
        event_ids = _some(rng, grower.events, 0, 2)
        essay.tagged_items = tags
        essay.authors = authors
        essay.films = [FilmPage(pk=f) for f in film_ids]
        essay.events = [PolicyEventPage(pk=e) for e in event_ids]
        batch.add(EssayPageTag, *tags)
        batch.add(EssayAuthor, *authors)
        batch.add(
            films_through,
            *(films_through(essaypage_id=essay.pk, filmpage_id=f) for f in film_ids),
        )
        batch.add(
            events_through,
            *(
                events_through(essaypage_id=essay.pk, policyeventpage_id=e)
                for e in event_ids
            ),
        )
    for film in batch.films:
        tags = [FilmPageTag(tag=t, content_object=film) for t in grower.tags_for_page()]
        credits = [
            FilmCredit(page=film, person=person, role=role, character=character)
            for person, role, character in (
                *((p, FilmCredit.Role.DIRECTOR, "") for p in _some(rng, people, 1, 1)),
                *((p, FilmCredit.Role.WRITER, "") for p in _some(rng, people, 0, 1)),
                *(
                    (p, FilmCredit.Role.CAST, grower.words.name())
                    for p in _some(rng, people, 1, 3)
                ),
            )
        ]
        for n, credit in enumerate(credits):
            credit.sort_order = n
        citations = [grower.citation(FilmCitation, film, n) for n in range(2)]
        figures = [
            grower.citation(
                BoxOfficeFigure,
                film,
                n,
                topic=Citation.Topic.RECEPTION,
                region=region,
                amount=Decimal(rng.randint(1, 900) * 1_000_000),
                currency=rng.choice(("USD", "CNY")),
                qualifier=rng.choice(BoxOfficeFigure.Qualifier.values),
            )
            for n, region in enumerate(
                rng.sample(("China (domestic)", "Overseas", "Worldwide"), 2)
            )
        ]
        film.tagged_items = tags
        film.credits = credits
        citations = [c for c in citations if c]
        figures = [f for f in figures if f]
        film.citations = citations
        film.box_office_figures = figures
        batch.add(FilmPageTag, *tags)
        batch.add(FilmCredit, *credits)
        batch.add(FilmCitation, *citations)
        batch.add(BoxOfficeFigure, *figures)
        created["citations"] += len(citations) + len(figures)
    for event in batch.events:
        tags = [
            PolicyEventPageTag(tag=t, content_object=event)
            for t in grower.tags_for_page()
        ]
        actors = [
            EventActor(page=event, person=p, role=grower.words.words(3), sort_order=n)
            for n, p in enumerate(_some(rng, people, 1, 2))
        ]
        citations = [grower.citation(EventCitation, event, 0)]
        film_ids = _some(rng, grower.films, 0, 2)
        event.tagged_items = tags
        event.actors = actors
        citations = [c for c in citations if c]
        event.citations = citations
        event.films = [FilmPage(pk=f) for f in film_ids]
        batch.add(PolicyEventPageTag, *tags)
        batch.add(EventActor, *actors)
        batch.add(EventCitation, *citations)
        batch.add(
            event_films_through,
            *(
                event_films_through(policyeventpage_id=event.pk, filmpage_id=f)
                for f in film_ids
            ),
        )
        created["citations"] += len(citations)
    for model, instances in batch.rows.items():
        model.objects.using(using).bulk_create(instances)

    for page in pages:
        setattr(page, COMMENTS_RELATION_NAME, [])
    revisions = Revision.objects.using(using).bulk_create(
        Revision(
            content_type_id=page.content_type_id,
            base_content_type_id=grower.page_type.pk,
            object_id=str(page.pk),
            created_at=grower.now,
            content=page.serializable_data(),
            object_str=page.title,
        )
        for page in pages
    )
    for row, revision in zip(rows, revisions, strict=True):
        row.latest_revision_id = row.live_revision_id = revision.pk
    Page.objects.using(using).bulk_update(
        rows, ["latest_revision", "live_revision"], batch_size=500
    )
    for kind, specific in (
        ("film", batch.films),
        ("essay", batch.essays),
        ("event", batch.events),
    ):
        if specific:
            Page.objects.using(using).filter(pk=grower.parents[kind].pk).update(
                numchild=F("numchild") + len(specific)
            )
            created[f"{kind}s"] += len(specific)

    backend = get_search_backend()
    for model, specific in (
        (FilmPage, batch.films),
        (EssayPage, batch.essays),
        (PolicyEventPage, batch.events),
    ):
        if specific:
            indexed = model.get_indexed_objects().using(using)
            if model is EssayPage:
                # The indexer reads each author's person; one query, not one each.
                indexed = indexed.prefetch_related("authors__person")
            backend.add_bulk(
                model, list(indexed.filter(pk__in=[p.pk for p in specific]))
            )
    new_people = grower.people[-created["people"] :] if created["people"] else []
    if new_people:
        backend.add_bulk(Person, new_people)
    return created


class _QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def grow_archive(
    *,
    pages: int,
    batch_size: int = 500,
    seed: int | None = None,
    using: str = "default",
    progress: Callable[[int, BatchTiming], None] | None = None,
) -> GrowthResult:
    """Add ``pages`` synthetic films, essays and events to a benchmark database,
    ``batch_size`` at a time, each batch in a transaction of its own."""
    require_benchmark_database(using)
    rng = random.Random(seed)  # noqa: S311 - made-up text, not secrets
    words = Words(rng, DEFAULT_FIXTURES_DIR / DOCUMENTS_DIRNAME)
    grower = _Grower(rng, words, using)
    result = GrowthResult()
    kinds = [KIND_CYCLE[n % len(KIND_CYCLE)] for n in range(pages)]
    counter = _QueryCounter()
    done = 0
    for start in range(0, pages, batch_size):
        batch = kinds[start : start + batch_size]
        counter.count = 0
        began = time.perf_counter()
        with (
            connections[using].execute_wrapper(counter),
            transaction.atomic(using=using),
        ):
            result.created += _write_batch(grower, batch)
        timing = BatchTiming(
            pages=len(batch),
            seconds=time.perf_counter() - began,
            queries=counter.count,
        )
        result.batches.append(timing)
        done += len(batch)
        if progress:
            progress(done, timing)
    # Bulk writes send no signals: fill the search lexicon and empty the page
    # cache as publishing would, and give the planner the statistics that a
    # server's autovacuum would gather in time (a database may run without).
    rebuild_lexicon()
    purge_page_cache()
    _refresh_statistics(using)
    return result


def _refresh_statistics(using: str) -> None:
    """Planner statistics, and on PostgreSQL outside a transaction the GIN
    indexes' pending entries merged, for every table the growth wrote."""
    connection = connections[using]
    vacuum = (
        connection.vendor == "postgresql"
        and connection.get_autocommit()
        and not connection.in_atomic_block
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
