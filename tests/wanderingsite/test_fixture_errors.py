"""Bad fixtures fail with file, record and field named, and write nothing."""

import hashlib
import io
import re

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import models
from wagtail.models import ModelLogEntry, Page, PageLogEntry, Revision

from essays.models import EssayPage, FilmCitation
from films.models import FilmIndexPage, FilmPage, PolicyEventPage
from tests.archive_fixtures import edit_document, edit_fixture, load_archive
from wanderingsite.models import ArchiveTag, HomePage, LoadedRecord, Person
from wanderingsite.services import archive as archive_service

# (file, text to replace, replacement, what the error must say)
CASES = {
    "unknown document": (
        "essays.toml",
        'document = "001_1c143bf0ccc6c69d.txt"',
        'document = "003_missing.txt"',
        'fixtures/essays.toml: essay "planet-in-peril": field "document": '
        "unknown document '003_missing.txt'",
    ),
    "quote not in its document": (
        "films.toml",
        'quote = "Nearly half a million people wrote reviews',
        'quote = "Nearly a million people wrote reviews',
        'fixtures/films.toml: film "the-wandering-earth": citation 9: '
        'field "quote": quote \'Nearly a million people wrote reviews of the film '
        "on Chinese social network site Douban.' is not in 000_322c40b3b1f5d411.txt",
    ),
    "quote across paragraphs": (
        "events.toml",
        "quote = \"This policy's underlying aim was to expand China's cultural clout "
        'and political influence."',
        'quote = "a major achievement for the Chinese government. Since opening up '
        "the country's film market in 2001\"",
        'event "2001-film-market-opens": citation 2: field "quote": quote '
        '"a major achievement for the Chinese government. Since opening up the '
        "country's film market in 2001\" spans two paragraphs of "
        "000_322c40b3b1f5d411.txt",
    ),
    "missing field": (
        "films.toml",
        'title = "Armageddon"\n',
        "",
        'fixtures/films.toml: film "armageddon": field "title": is missing',
    ),
    "malformed field": (
        "events.toml",
        'kind = "market-opening"',
        'kind = "market opening"',
        'fixtures/events.toml: event "2001-film-market-opens": field "kind": '
        "'market opening' is not one of",
    ),
    "wrong type": (
        "people.toml",
        'name = "Frant Gwo"',
        "name = 7",
        'fixtures/people.toml: person "frant-gwo": field "name": must be a string',
    ),
    "unknown field": (
        "tags.toml",
        'name = "Propaganda"',
        'name = "Propaganda"\ncolour = "red"',
        'fixtures/tags.toml: tag "propaganda": field "colour": unknown field',
    ),
    "bad date": (
        "films.toml",
        'release_date = "2019-02"',
        'release_date = "2019-13"',
        'fixtures/films.toml: film "the-wandering-earth": field "release_date": '
        "'2019-13' is not YYYY, YYYY-MM or YYYY-MM-DD",
    ),
    "impossible day": (
        "events.toml",
        'date = "2023-01"',
        'date = "2023-02-30"',
        'event "2023-the-wandering-earth-ii-released": field "date": '
        "'2023-02-30' is not YYYY, YYYY-MM or YYYY-MM-DD",
    ),
    "unknown tag": (
        "films.toml",
        'tags = ["hollywood", "nationalism"]',
        'tags = ["hollywood", "patriotism"]',
        'fixtures/films.toml: film "armageddon": field "tags": '
        "unknown tag 'patriotism'",
    ),
    "unknown person": (
        "films.toml",
        '{ person = "frant-gwo", role = "director" }',
        '{ person = "guo-fan", role = "director" }',
        'fixtures/films.toml: film "the-wandering-earth": credit 1: '
        "field \"person\": unknown person 'guo-fan'",
    ),
    "unknown film": (
        "events.toml",
        'films = ["operation-red-sea"]',
        'films = ["operation-blue-sea"]',
        'fixtures/events.toml: event "2018-operation-red-sea-top-grossing": '
        "field \"films\": unknown film 'operation-blue-sea'",
    ),
    "unknown event": (
        "essays.toml",
        '    "2023-munich-security-conference",\n]',
        '    "2023-munich-conference",\n]',
        'fixtures/essays.toml: essay "wandering-earth-ii-soft-power": '
        "field \"events\": unknown event '2023-munich-conference'",
    ),
    "unknown essay": (
        "films.toml",
        'essay = "planet-in-peril"\nquote = "plus an additional $7 million overseas"',
        'essay = "planet-in-danger"\nquote = "plus an additional $7 million overseas"',
        'fixtures/films.toml: film "the-wandering-earth": box_office 3: '
        "field \"essay\": unknown essay 'planet-in-danger'",
    ),
    "unknown featured film": (
        "site.toml",
        'featured_film = "the-wandering-earth"',
        'featured_film = "the-wandering-moon"',
        'fixtures/site.toml: home: field "featured_film": '
        "unknown film 'the-wandering-moon'",
    ),
    "duplicate key": (
        "people.toml",
        'slug = "zhou-enlai"',
        'slug = "deng-xiaoping"',
        'fixtures/people.toml: person "deng-xiaoping": field "slug": '
        "duplicate key 'deng-xiaoping'",
    ),
    "declared heading not in the document": (
        "essays.toml",
        '    "Reflection",\n]',
        '    "Reflections",\n]',
        'fixtures/essays.toml: essay "wandering-earth-ii-soft-power": '
        "field \"layout.headings\": 'Reflections' is not a line of the document "
        "(002_77ac2b0b79d48e72.txt)",
    ),
    "missing document checksum": (
        "essays.toml",
        'sha256 = "6e0032d0c0c6b2cf08f6349b2721602e04a2db88050eb3f35ac5537fe3e06b2e"\n',
        "",
        'fixtures/essays.toml: essay "planet-in-peril": field "sha256": is missing; '
        "001_1c143bf0ccc6c69d.txt has SHA-256 "
        "6e0032d0c0c6b2cf08f6349b2721602e04a2db88050eb3f35ac5537fe3e06b2e",
    ),
    "malformed document checksum": (
        "essays.toml",
        'sha256 = "6e0032d0c0c6b2cf08f6349b2721602e04a2db88050eb3f35ac5537fe3e06b2e"',
        'sha256 = "6e0032d0"',
        'fixtures/essays.toml: essay "planet-in-peril": field "sha256": '
        "'6e0032d0' is not a SHA-256 (64 lower-case hexadecimal digits)",
    ),
    "malformed TOML": (
        "tags.toml",
        'slug = "liu-cixin"',
        'slug = "liu-cixin',
        "fixtures/tags.toml: malformed TOML: ",
    ),
}


def _counts() -> dict[str, int]:
    models = [
        Page, Revision, PageLogEntry, ModelLogEntry, LoadedRecord, Person, ArchiveTag
    ]  # fmt: skip
    return {model._meta.label: model.objects.count() for model in models}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_load_archive_bad_fixture_names_file_record_and_field(db, fixtures_copy, case):
    """Each kind of bad input fails with a precise message and writes nothing."""
    filename, old, new, expected = case
    edit_fixture(fixtures_copy, filename, old, new)
    before = _counts()

    with pytest.raises(CommandError) as caught:
        load_archive(fixtures_copy)

    message = str(caught.value)
    assert message.startswith("The archive fixtures are invalid; nothing was written.")
    assert expected in message
    assert _counts() == before


def test_load_archive_malformed_toml_names_the_line(db, fixtures_copy):
    """A TOML syntax error gives the file and the line it is on."""
    edit_fixture(fixtures_copy, "tags.toml", 'slug = "liu-cixin"', 'slug = "liu-cixin')
    line = next(
        number
        for number, text in enumerate(
            (fixtures_copy / "tags.toml").read_text("utf-8").splitlines(), start=1
        )
        if text == 'slug = "liu-cixin'
    )
    with pytest.raises(CommandError, match=rf"tags\.toml: .*\(at line {line},"):
        load_archive(fixtures_copy)


def test_load_archive_reports_every_problem_at_once(db, fixtures_copy):
    """Several mistakes in several files are listed together."""
    edit_fixture(
        fixtures_copy, "films.toml", 'release_date = "2018"', 'release_date = "18"'
    )
    edit_fixture(
        fixtures_copy,
        "people.toml",
        'kind = "institution"\ndescription = """The',
        'kind = "agency"\ndescription = """The',
    )

    with pytest.raises(CommandError) as caught:
        load_archive(fixtures_copy)

    message = str(caught.value)
    assert 'film "operation-red-sea": field "release_date"' in message
    assert 'person "chinese-government": field "kind"' in message


def test_load_archive_rolls_back_everything_when_writing_fails(
    db, fixtures_copy, monkeypatch
):
    """A failure part-way through writing leaves no page, tag or person behind."""
    before = _counts()

    def fail(self, plan):
        raise RuntimeError("disk full")

    monkeypatch.setattr(archive_service._Writer, "event_spec", fail)
    with pytest.raises(RuntimeError, match="disk full"):
        load_archive()

    assert _counts() == before


def test_load_archive_check_validates_and_writes_nothing(db):
    """--check reports what is valid and leaves the database as it was."""
    before = _counts()
    output = io.StringIO()

    call_command("load_archive", check=True, stdout=output)

    assert _counts() == before
    assert (
        output.getvalue()
        .splitlines()[-1]
        .startswith(
            "Archive fixtures are valid: 3 essays, 9 films, 13 events, "
            "14 people and institutions, 16 tags, 85 citations."
        )
    )
    assert "Nothing was written (--check)." in output.getvalue()


def test_load_archive_check_reports_bad_fixtures(db, fixtures_copy):
    """--check fails on the same problems a load would."""
    edit_fixture(
        fixtures_copy, "films.toml", 'release_date = "1998"', 'release_date = "1998-00"'
    )
    with pytest.raises(CommandError, match='film "armageddon": field "release_date"'):
        call_command(
            "load_archive", fixtures=fixtures_copy, check=True, stdout=io.StringIO()
        )


ESSAY_001 = "001_1c143bf0ccc6c69d.txt"


def test_load_archive_changed_document_fails_naming_it_and_its_new_checksum(
    db, fixtures_copy
):
    """A document edited by one word stops the load, naming the file, the essay
    record, its checksum field and the checksum the text has now."""
    recorded = hashlib.sha256((fixtures_copy / "documents" / ESSAY_001).read_bytes())
    new = edit_document(fixtures_copy, ESSAY_001, " the ", " teh ")
    before = _counts()

    with pytest.raises(CommandError) as caught:
        load_archive(fixtures_copy)

    message = str(caught.value)
    assert (
        'fixtures/essays.toml: essay "planet-in-peril": field "sha256": '
        f"{ESSAY_001} has changed: its SHA-256 is {new}, "
        f"not {recorded.hexdigest()}"
    ) in message
    assert "byte for byte as published" in message
    assert f'sha256 = "{new}"' in message
    assert _counts() == before


def test_load_archive_changed_document_is_the_only_problem_reported(db, fixtures_copy):
    """A changed text is not read further: its quotes are not reported as missing."""
    edit_document(fixtures_copy, ESSAY_001, "grossed $693 million", "grossed $700m")
    with pytest.raises(CommandError) as caught:
        load_archive(fixtures_copy)

    problems = str(caught.value).splitlines()[1:]
    assert len(problems) == 1
    assert 'field "sha256"' in problems[0]


def test_load_archive_accepts_a_changed_document_once_its_checksum_is_updated(
    db, fixtures_copy
):
    """Recording the new checksum on purpose lets the changed text load."""
    old = hashlib.sha256((fixtures_copy / "documents" / ESSAY_001).read_bytes())
    new = edit_document(fixtures_copy, ESSAY_001, " the ", " teh ")
    edit_fixture(
        fixtures_copy,
        "essays.toml",
        f'sha256 = "{old.hexdigest()}"',
        f'sha256 = "{new}"',
    )
    output = io.StringIO()

    call_command("load_archive", fixtures=fixtures_copy, check=True, stdout=output)

    assert output.getvalue().splitlines()[-1].startswith("Archive fixtures are valid")


# -- Field bounds: every text field is as long as its model field allows ------


def _limit(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def _event_body_block():
    return PolicyEventPage._meta.get_field("body").stream_block


def _paragraph_limit() -> int:
    paragraph = _event_body_block().child_blocks["paragraph"]
    return paragraph.child_blocks["text"].max_length


# (file, text to replace, its replacement given the limit, record, field, limit)
TOO_LONG = {
    "tag description": (
        "tags.toml",
        'description = "Films and writing about imagined futures',
        lambda n: f'description = "{"x" * n} Films and writing about imagined futures',
        'fixtures/tags.toml: tag "science-fiction"',
        "description",
        lambda: _limit(ArchiveTag, "description"),
    ),
    "person aliases": (
        "people.toml",
        'name = "Frant Gwo"',
        lambda n: f'name = "Frant Gwo"\naliases = ["Guo Fan", "{"x" * n}"]',
        'fixtures/people.toml: person "frant-gwo"',
        "aliases",
        lambda: _limit(Person, "aliases"),
    ),
    "person description": (
        "people.toml",
        'description = "Director of The Wandering Earth."',
        lambda n: f'description = "{"x" * n}"',
        'fixtures/people.toml: person "frant-gwo"',
        "description",
        lambda: _limit(Person, "description"),
    ),
    "essay publication note": (
        "essays.toml",
        'publication_note = "The blog of',
        lambda n: f'publication_note = "{"x" * n} The blog of',
        'fixtures/essays.toml: essay "wandering-earth-ii-soft-power"',
        "publication_note",
        lambda: _limit(EssayPage, "publication_note"),
    ),
    "film summary": (
        "films.toml",
        'summary = """China\'s first big-budget',
        lambda n: f'summary = """{"x" * n} China\'s first big-budget',
        'fixtures/films.toml: film "the-wandering-earth"',
        "summary",
        lambda: _limit(FilmPage, "summary"),
    ),
    "film other titles": (
        "films.toml",
        'other_titles = ["Wandering Earth"]',
        lambda n: f'other_titles = ["Wandering Earth", "{"x" * n}"]',
        'fixtures/films.toml: film "the-wandering-earth"',
        "other_titles",
        lambda: _limit(FilmPage, "other_titles"),
    ),
    "film synopsis (rich text)": (
        "films.toml",
        'synopsis = """\nThe sun is about to explode',
        lambda n: f'synopsis = """\n{"x" * n}\n\nThe sun is about to explode',
        'fixtures/films.toml: film "the-wandering-earth"',
        "synopsis",
        lambda: _limit(FilmPage, "synopsis"),
    ),
    "citation claim (a CharField)": (
        "films.toml",
        'claim = "Over $600 million in domestic sales"',
        lambda n: f'claim = "{"x" * n}"',
        'fixtures/films.toml: film "the-wandering-earth": box_office 1',
        "claim",
        lambda: _limit(FilmCitation, "claim"),
    ),
    "citation quote": (
        "films.toml",
        'quote = "Nearly half a million people wrote reviews',
        lambda n: f'quote = "{"x" * n} Nearly half a million people wrote reviews',
        'fixtures/films.toml: film "the-wandering-earth": citation 9',
        "quote",
        lambda: _limit(FilmCitation, "quote"),
    ),
    "event summary": (
        "events.toml",
        'summary = """The Chinese government opens',
        lambda n: f'summary = """{"x" * n} The Chinese government opens',
        'fixtures/events.toml: event "2001-film-market-opens"',
        "summary",
        lambda: _limit(PolicyEventPage, "summary"),
    ),
    "home intro": (
        "site.toml",
        'intro = """\nThis archive gathers',
        lambda n: f'intro = """\n{"x" * n} This archive gathers',
        "fixtures/site.toml: home",
        "intro",
        lambda: _limit(HomePage, "intro"),
    ),
    "index intro": (
        "site.toml",
        'intro = """\nEach film page gives',
        lambda n: f'intro = """\n{"x" * n} Each film page gives',
        'fixtures/site.toml: index "films"',
        "intro",
        lambda: _limit(FilmIndexPage, "intro"),
    ),
}


@pytest.mark.parametrize("case", TOO_LONG.values(), ids=TOO_LONG.keys())
def test_load_archive_text_longer_than_its_model_field_fails(db, fixtures_copy, case):
    """A text past its model field's max_length fails naming file, record, field
    and the limit, and writes nothing."""
    filename, old, new, record, field_name, limit = case
    edit_fixture(fixtures_copy, filename, old, new(limit() + 1))
    before = _counts()

    with pytest.raises(CommandError) as caught:
        load_archive(fixtures_copy)

    expected = (
        rf'{re.escape(record)}: field "{field_name}": '
        rf"is \d+ characters long; at most {limit()}$"
    )
    assert re.search(expected, str(caught.value), re.MULTILINE)
    assert _counts() == before


def test_load_archive_refuses_a_megabyte_summary(db, fixtures_copy):
    """The summary of a megabyte that once loaded now fails at its model's limit."""
    edit_fixture(
        fixtures_copy,
        "essays.toml",
        'summary = """Aynne Kokas reads',
        f'summary = """{"x" * 1_000_000} Aynne Kokas reads',
    )
    with pytest.raises(CommandError) as caught:
        load_archive(fixtures_copy)

    limit = _limit(EssayPage, "summary")
    assert re.search(
        r'essay "china-science-fiction-beijing-vision": field "summary": '
        rf"is 1000\d\d\d characters long; at most {limit}$",
        str(caught.value),
        re.MULTILINE,
    )


def test_load_archive_event_body_paragraph_longer_than_its_block_fails(
    db, fixtures_copy
):
    """An event body paragraph past the paragraph block's max_length fails."""
    limit = _paragraph_limit()
    edit_fixture(
        fixtures_copy,
        "events.toml",
        'body = """\nFrom 2001 the Chinese government',
        f'body = """\n{"x" * limit} From 2001 the Chinese government',
    )
    with pytest.raises(CommandError) as caught:
        load_archive(fixtures_copy)

    assert re.search(
        r'event "2001-film-market-opens": field "body": paragraph 1 is \d+ '
        rf"characters long; at most {limit}$",
        str(caught.value),
        re.MULTILINE,
    )


def test_load_archive_event_body_with_too_many_paragraphs_fails(db, fixtures_copy):
    """An event body of more paragraphs than the body's max_num fails."""
    limit = _event_body_block().meta.max_num
    edit_fixture(
        fixtures_copy,
        "events.toml",
        'body = """\nFrom 2001 the Chinese government',
        'body = """\n' + "Words.\n\n" * limit + "From 2001 the Chinese government",
    )
    with pytest.raises(CommandError) as caught:
        load_archive(fixtures_copy)

    assert re.search(
        rf'event "2001-film-market-opens": field "body": has \d+ paragraphs; '
        rf"at most {limit}$",
        str(caught.value),
        re.MULTILINE,
    )


ARCHIVE_APPS = ("wanderingsite", "films", "essays")


def test_archive_models_bound_every_text_field():
    """Every text field of the archive's own models has a max_length, which
    the admin's forms and the loader both enforce."""
    unbounded = [
        f"{model._meta.label}.{field.name}"
        for label in ARCHIVE_APPS
        for model in apps.get_app_config(label).get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.CharField | models.TextField)
        and field.model is not Page
        and field.editable
        and field.max_length is None
    ]
    assert unbounded == []
    assert _paragraph_limit() is not None
    assert _event_body_block().meta.max_num is not None


@pytest.mark.parametrize(
    ("model", "field_name"),
    [
        (FilmPage, "summary"),
        (FilmPage, "synopsis"),
        (EssayPage, "publication_note"),
        (HomePage, "intro"),
    ],
)
def test_admin_page_form_refuses_what_the_loader_refuses(db, model, field_name):
    """The admin's page form holds a text to the model's bound, as the loader
    does: one character more is an error, the limit itself is not."""
    limit = _limit(model, field_name)
    form_field = model.get_edit_handler().get_form_class().base_fields[field_name]

    form_field.clean("x" * limit)
    with pytest.raises(ValidationError, match=f"at most {limit} characters"):
        form_field.clean("x" * (limit + 1))
