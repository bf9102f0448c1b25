"""Read and validate the archive fixtures: TOML records and source documents.

Pure: no database. ``read_archive`` parses ``fixtures/*.toml`` and the texts in
``fixtures/documents/``, checks every field, reference and quote, and returns
typed records, or raises ``ArchiveFixtureError`` listing every problem by
file, record and field. The format is described in ``docs/fixtures.md``.
"""

import datetime
import decimal
import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import URLValidator
from wagtail.fields import RichTextField
from wagtail.rich_text import RichTextMaxLengthValidator

from essays.models import (
    BoxOfficeFigure,
    Citation,
    EssayAuthor,
    EssayIndexPage,
    EssayPage,
)
from films.models import (
    EventActor,
    FilmCredit,
    FilmIndexPage,
    FilmPage,
    FilmRelation,
    PolicyEventPage,
    TimelinePage,
)
from wanderingsite.dates import DatePrecision, parse_precise_date
from wanderingsite.documents import (
    Document,
    Layout,
    LayoutError,
    paragraphs_html,
    parse_document,
)
from wanderingsite.models import ArchiveTag, HomePage, Person
from wanderingsite.quotes import normalise

DEFAULT_FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"
DOCUMENTS_DIRNAME = "documents"
INDEX_TYPES = {
    "films": FilmIndexPage,
    "essays": EssayIndexPage,
    "timeline": TimelinePage,
}
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class ArchiveFixtureError(Exception):
    """The fixtures are invalid; ``problems`` names file, record and field."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


# --- Records ---------------------------------------------------------------


@dataclass
class TagRecord:
    slug: str
    name: str
    description: str


@dataclass
class PersonRecord:
    slug: str
    name: str
    kind: str
    original_name: str
    aliases: list[str]
    description: str


@dataclass
class CitationRecord:
    claim: str
    topic: str
    essay: str
    quote: str
    relation: str = ""
    film: str = ""
    """With ``relation``: the slug of the other film the claim relates to."""


@dataclass
class BoxOfficeRecord:
    claim: str
    essay: str
    quote: str
    region: str
    amount: decimal.Decimal
    currency: str
    qualifier: str


@dataclass
class HomeRecord:
    title: str
    summary: str
    intro: str
    featured_film: str


@dataclass
class IndexRecord:
    type: str
    slug: str
    title: str
    summary: str
    intro: str


@dataclass
class EssayRecord:
    slug: str
    title: str
    document_name: str
    document: Document
    authors: list[tuple[str, str]]
    publication: str
    publication_note: str
    published: datetime.date | None
    published_precision: str
    source_url: str
    summary: str
    films: list[str]
    events: list[str]
    tags: list[str]
    provenance: str = ""
    rights: str = ""


@dataclass
class FilmRecord:
    slug: str
    title: str
    original_title: str
    original_language: str
    other_titles: list[str]
    date: datetime.date | None
    date_precision: str
    date_note: str
    summary: str
    based_on: str
    based_on_title: str
    synopsis: str
    tags: list[str]
    credits: list[tuple[str, str, str]]
    citations: list[CitationRecord]
    box_office: list[BoxOfficeRecord]


@dataclass
class EventRecord:
    slug: str
    title: str
    date: datetime.date | None
    date_precision: str
    date_note: str
    kind: str
    summary: str
    body: list[str]
    actors: list[tuple[str, str]]
    films: list[str]
    tags: list[str]
    citations: list[CitationRecord]


@dataclass
class Archive:
    tags: list[TagRecord] = field(default_factory=list)
    people: list[PersonRecord] = field(default_factory=list)
    essays: list[EssayRecord] = field(default_factory=list)
    films: list[FilmRecord] = field(default_factory=list)
    events: list[EventRecord] = field(default_factory=list)
    home: HomeRecord | None = None
    indexes: list[IndexRecord] = field(default_factory=list)

    @property
    def citation_count(self) -> int:
        return sum(len(f.citations) + len(f.box_office) for f in self.films) + sum(
            len(e.citations) for e in self.events
        )


# The fields each kind of table may hold; anything else is a typo to report.
_ALLOWED = {
    kind: frozenset(names.split())
    for kind, names in {
        "tag": "slug name description",
        "person": "slug name kind original_name aliases description",
        "essay": "slug document sha256 title authors publication publication_note "
        "published source_url provenance rights summary films events tags layout",
        "author": "person affiliation",
        "layout": "metadata headings join_after",
        "film": "slug title original_title original_language other_titles "
        "release_date date_note summary based_on based_on_title synopsis tags credits "
        "citation box_office",
        "credit": "person role character",
        "citation": "claim topic essay quote relation film",
        "box_office": "region amount currency qualifier claim essay quote",
        "event": "slug title date date_note kind summary body actors films tags "
        "citation",
        "actor": "person role",
        "home": "title summary intro featured_film",
        "index": "slug type title summary intro",
    }.items()
}


class _Problems(list):
    def add(self, file: str, record: str | None, field_name: str | None, msg: str):
        parts = [file]
        if record:
            parts.append(record)
        if field_name:
            parts.append(f'field "{field_name}"')
        self.append(": ".join([*parts, msg]))


class _Fields:
    """Typed access to one TOML table, recording every problem it meets.

    ``model`` lends its fields' bounds to the checks of ``text``, ``lines`` and
    ``paragraphs``: a text the admin's form would refuse is refused here too.
    """

    def __init__(self, problems, file, label, kind, data, model=None):
        self.problems, self.file, self.label = problems, file, label
        self.data, self.model = data, model
        for name in data:
            if name not in _ALLOWED[kind]:
                self.error(name, "unknown field")

    def child(self, kind: str, number: int, data: dict, model=None) -> "_Fields":
        label = f"{self.label}: {kind} {number}"
        return _Fields(self.problems, self.file, label, kind, data, model)

    def error(self, name: str, message: str) -> None:
        self.problems.add(self.file, self.label, name, message)

    def text(self, name, *, required=False, multiline=False) -> str:
        value = self.data.get(name, "")
        if not isinstance(value, str):
            self.error(name, f"must be a string, not {value!r}")
            return ""
        value = value.strip() if multiline else " ".join(value.split())
        if required and not value:
            self.error(name, "is missing" if name not in self.data else "is empty")
        self.bound(name, value)
        return value

    def model_field(self, name: str):
        if self.model is None:
            return None
        try:
            return self.model._meta.get_field(name)
        except FieldDoesNotExist:
            return None

    def bound(self, name: str, value: str) -> None:
        """Report ``value`` if it is longer than the model field ``name`` allows."""
        field = self.model_field(name)
        limit = getattr(field, "max_length", None)
        if limit is None:
            return
        length = len(value)
        if isinstance(field, RichTextField):
            # Stored as paragraphs of HTML, counted as the admin counts rich
            # text: the words, not the markup.
            length = RichTextMaxLengthValidator(limit).clean(paragraphs_html(value))
        if length > limit:
            self.error(name, f"is {length} characters long; at most {limit}")

    def lines(self, name) -> list[str]:
        """A list of strings the model keeps in one text field, a line each."""
        values = self.strings(name)
        self.bound(name, "\n".join(values))
        return values

    def paragraphs(self, name) -> list[str]:
        """A multi-paragraph text the model keeps as a StreamField of paragraph
        blocks: as many and as long as the field and its blocks allow."""
        text = self.text(name, multiline=True)
        paragraphs = [
            " ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()
        ]
        stream = self.model._meta.get_field(name).stream_block
        most = stream.meta.max_num
        if most is not None and len(paragraphs) > most:
            self.error(name, f"has {len(paragraphs)} paragraphs; at most {most}")
        limit = stream.child_blocks["paragraph"].child_blocks["text"].max_length
        if limit is not None:
            for number, paragraph in enumerate(paragraphs, start=1):
                html = paragraphs_html(paragraph)
                length = RichTextMaxLengthValidator(limit).clean(html)
                if length > limit:
                    self.error(
                        name,
                        f"paragraph {number} is {length} characters long; "
                        f"at most {limit}",
                    )
        return paragraphs

    def slug(self) -> str:
        value = self.text("slug", required=True)
        if value and not _SLUG.match(value):
            self.error("slug", f"{value!r} is not a slug (lower-case words, hyphens)")
        return value

    def choice(self, name, choices, *, default=None) -> str:
        value = self.data.get(name, default)
        if value is None:
            self.error(name, "is missing")
            return ""
        if value not in choices:
            allowed = ", ".join(repr(c) for c in choices)
            self.error(name, f"{value!r} is not one of {allowed}")
            return ""
        return value

    def strings(self, name) -> list[str]:
        value = self.data.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.error(name, "must be a list of strings")
            return []
        return [v.strip() for v in value if v.strip()]

    def tables(self, name) -> list[dict]:
        value = self.data.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.error(name, "must be a list of tables")
            return []
        return value

    def date(self, name, *, required=False) -> tuple[datetime.date | None, str]:
        value = self.data.get(name)
        if value is None:
            if required:
                self.error(name, "is missing")
            return None, DatePrecision.DAY
        if type(value) is datetime.date:
            return value, DatePrecision.DAY
        try:
            if not isinstance(value, str):
                raise ValueError(value)
            return parse_precise_date(value)
        except ValueError:
            self.error(name, f"{value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
            return None, DatePrecision.DAY

    def ref(self, name, known, what) -> str:
        value = self.data.get(name)
        if not isinstance(value, str) or not value:
            self.error(name, "is missing")
            return ""
        if value not in known:
            self.error(name, f"unknown {what} {value!r}")
            return ""
        return value

    def refs(self, name, known, what) -> list[str]:
        result = []
        for value in self.strings(name):
            if value not in known:
                self.error(name, f"unknown {what} {value!r}")
            elif value in result:
                self.error(name, f"{what} {value!r} is listed twice")
            else:
                result.append(value)
        return result


class _Reader:
    def __init__(self, fixtures_dir: Path):
        self.dir = Path(fixtures_dir)
        self.problems = _Problems()
        self.archive = Archive()
        self.essay_fields: dict[str, _Fields] = {}
        # Citations that relate films, checked once every film slug is known.
        self.relations: list[tuple[_Fields, str, CitationRecord]] = []

    def shown(self, filename: str) -> str:
        return f"{self.dir.name}/{filename}"

    def load_toml(self, filename: str, top_level: dict[str, type]) -> dict:
        shown = self.shown(filename)
        try:
            data = tomllib.loads((self.dir / filename).read_text(encoding="utf-8"))
        except FileNotFoundError:
            self.problems.add(shown, None, None, "file is missing")
            return {}
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            # tomllib's message ends "(at line N, column M)".
            self.problems.add(shown, None, None, f"malformed TOML: {error}")
            return {}
        for name, value in data.items():
            expected = top_level.get(name)
            if expected is None:
                self.problems.add(shown, None, name, "unknown top-level key")
            elif not isinstance(value, expected):
                form = f"[[{name}]] tables" if expected is list else f"a [{name}] table"
                self.problems.add(shown, None, name, f"must be {form}")
        return data

    def records(self, filename, data, kind, model=None):
        """``_Fields`` for each [[kind]] table; a repeated slug is an error."""
        seen: set[str] = set()
        for position, table in enumerate(data.get(kind, []), start=1):
            if not isinstance(table, dict):
                continue
            slug = table.get("slug")
            named = isinstance(slug, str)
            label = f'{kind} "{slug}"' if named else f"{kind} {position}"
            fields = _Fields(
                self.problems, self.shown(filename), label, kind, table, model
            )
            if named and slug in seen:
                fields.error("slug", f"duplicate key {slug!r}")
                continue
            seen.add(slug)
            yield fields

    def slugs(self, name: str) -> set[str]:
        return {record.slug for record in getattr(self.archive, name)}

    # -- vocabulary --

    def read_tags(self):
        data = self.load_toml("tags.toml", {"tag": list})
        names: set[str] = set()
        for f in self.records("tags.toml", data, "tag", ArchiveTag):
            record = TagRecord(
                slug=f.slug(),
                name=f.text("name", required=True),
                description=f.text("description"),
            )
            if record.name.lower() in names:
                f.error("name", f"duplicate tag name {record.name!r}")
            names.add(record.name.lower())
            self.archive.tags.append(record)

    def read_people(self):
        data = self.load_toml("people.toml", {"person": list})
        for f in self.records("people.toml", data, "person", Person):
            self.archive.people.append(
                PersonRecord(
                    slug=f.slug(),
                    name=f.text("name", required=True),
                    kind=f.choice("kind", Person.Kind.values, default="person"),
                    original_name=f.text("original_name"),
                    aliases=f.lines("aliases"),
                    description=f.text("description"),
                )
            )

    # -- essays and their documents --

    def read_essays(self):
        data = self.load_toml("essays.toml", {"essay": list})
        people, tags = self.slugs("people"), self.slugs("tags")
        documents_used: dict[str, str] = {}
        for f in self.records("essays.toml", data, "essay", EssayPage):
            name = f.text("document", required=True)
            if name in documents_used:
                f.error(
                    "document", f"{name!r} is already used by {documents_used[name]}"
                )
            documents_used[name] = f.label
            for required, empty in (("authors", "[]"), ("source_url", '""')):
                if required not in f.data:
                    f.error(required, f'is missing (use {empty} for "not recorded")')
            authors = []
            for n, table in enumerate(f.tables("authors"), start=1):
                author = f.child("author", n, table, EssayAuthor)
                authors.append(
                    (author.ref("person", people, "person"), author.text("affiliation"))
                )
            source_url = f.text("source_url")
            if source_url:
                try:
                    URLValidator(schemes=["http", "https"])(source_url)
                except ValidationError:
                    f.error("source_url", f"{source_url!r} is not an http(s) URL")
            published, precision = f.date("published", required=True)
            record = EssayRecord(
                slug=f.slug(),
                title=f.text("title", required=True),
                document_name=name,
                document=self.read_document(f, name),
                authors=authors,
                publication=f.text("publication", required=True),
                publication_note=f.text("publication_note"),
                published=published,
                published_precision=precision,
                source_url=source_url,
                provenance=f.text("provenance"),
                rights=f.text("rights"),
                summary=f.text("summary", required=True),
                films=[],
                events=[],
                tags=f.refs("tags", tags, "tag"),
            )
            self.archive.essays.append(record)
            self.essay_fields[record.slug] = f

    def read_document(self, f: _Fields, name: str) -> Document:
        empty = Document(metadata=(), blocks=())
        path = self.dir / DOCUMENTS_DIRNAME / name
        if not name:
            return empty
        if "/" in name or "\\" in name or not path.is_file():
            where = f"{self.dir.name}/{DOCUMENTS_DIRNAME}/"
            f.error("document", f"unknown document {name!r} (not in {where})")
            return empty
        table = f.data.get("layout", {})
        if not isinstance(table, dict):
            f.error("layout", "must be a table")
            table = {}
        layout_fields = _Fields(
            self.problems, f.file, f"{f.label}: layout", "layout", table
        )
        layout = Layout(
            metadata=tuple(layout_fields.strings("metadata")),
            headings=tuple(layout_fields.strings("headings")),
            join_after=tuple(layout_fields.strings("join_after")),
        )
        data = path.read_bytes()
        if not self.checksum_matches(f, name, data):
            return empty
        try:
            return parse_document(data.decode("utf-8"), layout)
        except UnicodeDecodeError:
            f.error("document", f"{name!r} is not UTF-8 text")
        except LayoutError as error:
            if error.field_name == "document":
                f.error("document", f"{name}: {error.message}")
            else:
                f.error(f"layout.{error.field_name}", f"{error.message} ({name})")
        return empty

    def checksum_matches(self, f: _Fields, name: str, data: bytes) -> bool:
        """Whether the document is the text its record's ``sha256`` vouches for.

        A changed text is not read further: its quotes and layout would only
        repeat the one problem.
        """
        actual = hashlib.sha256(data).hexdigest()
        recorded = f.data.get("sha256")
        if recorded is None:
            f.error(
                "sha256",
                f"is missing; {name} has SHA-256 {actual}: once you have checked "
                "that the text is byte for byte as published, record "
                f'sha256 = "{actual}"',
            )
            return True
        if not isinstance(recorded, str) or not _SHA256.match(recorded):
            f.error(
                "sha256",
                f"{recorded!r} is not a SHA-256 (64 lower-case hexadecimal digits)",
            )
            return True
        if recorded != actual:
            f.error(
                "sha256",
                f"{name} has changed: its SHA-256 is {actual}, not {recorded}. "
                "The documents stay byte for byte as published: restore the "
                "text, or if the change is deliberate (a corrected copy of the "
                f'published text), record sha256 = "{actual}"',
            )
            return False
        return True

    # -- films and events --

    def read_citation(self, fields: _Fields, *, with_topic=True) -> CitationRecord:
        essays = {essay.slug: essay for essay in self.archive.essays}
        essay = fields.ref("essay", essays, "essay")
        quote = fields.text("quote", required=True)
        if essay and quote and essays[essay].document.blocks:
            problem = _quote_problem(essays[essay], quote)
            if problem:
                fields.error("quote", problem)
        relation = fields.data.get("relation", "")
        topic = ""
        if with_topic:
            default = Citation.Topic.LINEAGE if relation else Citation.Topic.CONTEXT
            topic = fields.choice("topic", Citation.Topic.values, default=default)
        return CitationRecord(
            claim=fields.text("claim", required=True),
            topic=topic,
            essay=essay,
            quote=quote,
            relation=fields.text("relation"),
            film=fields.text("film"),
        )

    def read_relation(self, fields: _Fields, film: str, citation: CitationRecord):
        """Remember a film's citation that may relate it to another film."""
        if "relation" in fields.data or "film" in fields.data:
            self.relations.append((fields, film, citation))

    def check_relations(self):
        """A relation names its kind and another film, under "Related films"."""
        films = self.slugs("films")
        for fields, film, citation in self.relations:
            if "relation" not in fields.data:
                fields.error("relation", "is missing (a film to relate to is given)")
            elif citation.relation not in FilmRelation.values:
                choices = ", ".join(repr(value) for value in FilmRelation.values)
                fields.error(
                    "relation", f"{citation.relation!r} is not one of {choices}"
                )
            if "film" not in fields.data:
                fields.error("film", "is missing (the other film of the relation)")
            elif citation.film not in films:
                fields.error("film", f"unknown film {citation.film!r}")
            elif citation.film == film:
                fields.error("film", "is the film itself; a relation needs another")
            if citation.topic and citation.topic != Citation.Topic.LINEAGE:
                fields.error(
                    "topic",
                    f"{citation.topic!r}: a relation to another film is under "
                    f"{Citation.Topic.LINEAGE.value!r} (leave topic out)",
                )

    def read_box_office(self, fields: _Fields) -> BoxOfficeRecord:
        citation = self.read_citation(fields, with_topic=False)
        raw = fields.data.get("amount")
        amount = decimal.Decimal(0)
        try:
            if isinstance(raw, bool) or not isinstance(raw, str | int | float):
                raise decimal.InvalidOperation
            amount = decimal.Decimal(str(raw)).quantize(decimal.Decimal("0.01"))
            if amount < 0:
                raise decimal.InvalidOperation
        except decimal.InvalidOperation:
            fields.error("amount", f"{raw!r} is not a positive amount")
        currency = fields.text("currency") or "USD"
        if not _CURRENCY.match(currency):
            fields.error("currency", f"{currency!r} is not an ISO 4217 code")
        return BoxOfficeRecord(
            claim=citation.claim,
            essay=citation.essay,
            quote=citation.quote,
            region=fields.text("region", required=True),
            amount=amount,
            currency=currency,
            qualifier=fields.choice(
                "qualifier", BoxOfficeFigure.Qualifier.values, default=""
            ),
        )

    def read_films(self):
        data = self.load_toml("films.toml", {"film": list})
        people, tags = self.slugs("people"), self.slugs("tags")
        for f in self.records("films.toml", data, "film", FilmPage):
            date, precision = f.date("release_date")
            credits = []
            for n, table in enumerate(f.tables("credits"), start=1):
                credit = f.child("credit", n, table, FilmCredit)
                credits.append(
                    (
                        credit.ref("person", people, "person"),
                        credit.choice("role", FilmCredit.Role.values),
                        credit.text("character"),
                    )
                )
            language = f.text("original_language") or "zh"
            if not _LANGUAGE.match(language):
                f.error("original_language", f"{language!r} is not a BCP 47 code")
            self.archive.films.append(
                FilmRecord(
                    slug=f.slug(),
                    title=f.text("title", required=True),
                    original_title=f.text("original_title"),
                    original_language=language,
                    other_titles=f.lines("other_titles"),
                    date=date,
                    date_precision=precision,
                    date_note=f.text("date_note"),
                    summary=f.text("summary", required=True),
                    based_on=f.text("based_on"),
                    based_on_title=f.text("based_on_title"),
                    synopsis=f.text("synopsis", multiline=True),
                    tags=f.refs("tags", tags, "tag"),
                    credits=credits,
                    citations=self.read_film_citations(f),
                    box_office=[
                        self.read_box_office(
                            f.child("box_office", n, table, BoxOfficeFigure)
                        )
                        for n, table in enumerate(f.tables("box_office"), start=1)
                    ],
                )
            )

    def read_film_citations(self, f: _Fields) -> list[CitationRecord]:
        citations = []
        for n, table in enumerate(f.tables("citation"), start=1):
            fields = f.child("citation", n, table, Citation)
            citation = self.read_citation(fields)
            self.read_relation(fields, f.data.get("slug"), citation)
            citations.append(citation)
        return citations

    def read_events(self):
        data = self.load_toml("events.toml", {"event": list})
        people, tags, films = (
            self.slugs("people"),
            self.slugs("tags"),
            self.slugs("films"),
        )
        for f in self.records("events.toml", data, "event", PolicyEventPage):
            date, precision = f.date("date", required=True)
            actors = []
            for n, table in enumerate(f.tables("actors"), start=1):
                actor = f.child("actor", n, table, EventActor)
                actors.append(
                    (actor.ref("person", people, "person"), actor.text("role"))
                )
            self.archive.events.append(
                EventRecord(
                    slug=f.slug(),
                    title=f.text("title", required=True),
                    date=date,
                    date_precision=precision,
                    date_note=f.text("date_note"),
                    kind=f.choice("kind", PolicyEventPage.Kind.values),
                    summary=f.text("summary", required=True),
                    body=f.paragraphs("body"),
                    actors=actors,
                    films=f.refs("films", films, "film"),
                    tags=f.refs("tags", tags, "tag"),
                    citations=self.read_event_citations(f),
                )
            )

    def read_event_citations(self, f: _Fields) -> list[CitationRecord]:
        citations = []
        for n, table in enumerate(f.tables("citation"), start=1):
            fields = f.child("citation", n, table, Citation)
            for name in ("relation", "film"):
                if name in table:
                    fields.error(name, "only a film's citation relates films")
            citations.append(self.read_citation(fields))
        return citations

    def read_essay_references(self):
        """Essays name films and events, which are read after them."""
        films, events = self.slugs("films"), self.slugs("events")
        for essay in self.archive.essays:
            fields = self.essay_fields[essay.slug]
            essay.films = fields.refs("films", films, "film")
            essay.events = fields.refs("events", events, "event")

    # -- the home page and the index pages --

    def read_site(self):
        data = self.load_toml("site.toml", {"home": dict, "index": list})
        if not data:
            return
        shown = self.shown("site.toml")
        home = data.get("home")
        if home is None:
            self.problems.add(shown, None, "home", "is missing")
        elif isinstance(home, dict):
            f = _Fields(self.problems, shown, "home", "home", home, HomePage)
            featured = ""
            if "featured_film" in home:
                featured = f.ref("featured_film", self.slugs("films"), "film")
            self.archive.home = HomeRecord(
                title=f.text("title", required=True),
                summary=f.text("summary"),
                intro=f.text("intro", multiline=True),
                featured_film=featured,
            )
        types_seen = set()
        for f in self.records("site.toml", data, "index"):
            index_type = f.choice("type", list(INDEX_TYPES))
            if index_type in types_seen:
                f.error("type", f"duplicate key {index_type!r}")
            types_seen.add(index_type)
            f.model = INDEX_TYPES.get(index_type)
            self.archive.indexes.append(
                IndexRecord(
                    type=index_type,
                    slug=f.slug(),
                    title=f.text("title", required=True),
                    summary=f.text("summary"),
                    intro=f.text("intro", multiline=True),
                )
            )
        for index_type in INDEX_TYPES.keys() - types_seen:
            self.problems.add(shown, None, "index", f"no index of type {index_type!r}")

    def read(self) -> Archive:
        if not self.dir.is_dir():
            raise ArchiveFixtureError([f"{self.dir}: not a fixtures directory"])
        self.read_tags()
        self.read_people()
        self.read_essays()
        self.read_films()
        self.check_relations()
        self.read_events()
        self.read_essay_references()
        self.read_site()
        if self.problems:
            raise ArchiveFixtureError(list(self.problems))
        return self.archive


def _quote_problem(essay: EssayRecord, quote: str) -> str | None:
    wanted = normalise(quote)
    paragraphs = [normalise(block.text) for block in essay.document.paragraphs]
    if any(wanted in text for text in paragraphs):
        return None
    if wanted in " ".join(paragraphs):
        return f"quote {quote!r} spans two paragraphs of {essay.document_name}"
    return f"quote {quote!r} is not in {essay.document_name}"


def read_archive(fixtures_dir: Path = DEFAULT_FIXTURES_DIR) -> Archive:
    """Parse and validate every fixture; raise ``ArchiveFixtureError`` if any is bad."""
    return _Reader(fixtures_dir).read()
