import io
import re
import shutil
import tomllib
from pathlib import Path
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.db import transaction
from wagtail.models import ModelLogEntry, Page, PageLogEntry, Revision, Site
from wagtail.search.models import IndexEntry

from essays.models import (
    BoxOfficeFigure,
    EssayAuthor,
    EssayPage,
    EssayPageTag,
    EventCitation,
    FilmCitation,
)
from films.models import (
    EventActor,
    FilmCredit,
    FilmPage,
    FilmPageTag,
    PolicyEventPage,
    PolicyEventPageTag,
)
from wanderingsite.dates import DatePrecision
from wanderingsite.models import ArchiveTag, HomePage, LoadedRecord, Person
from wanderingsite.quotes import normalise

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
MAIN_TAGS = [
    "science-fiction",
    "box-office",
    "nationalism",
    "soft-power",
    "hollywood",
    "film-policy",
    "distribution",
    "chinese-new-year",
    "space-exploration",
    "diplomacy",
]

INTERSTELLAR_SUMMARY = (
    'summary = "An American film that modeled American interplanetary exploration."'
)
# A sentence ends at . ? or ! (or one followed by a closing quote) and a space.
SENTENCE_END = r"(?<=[.?!])\s+|(?<=[.?!]['\"])\s+"


def _load(fixtures: Path | None = None) -> str:
    output = io.StringIO()
    options = {"fixtures": fixtures} if fixtures else {}
    call_command("load_archive", stdout=output, **options)
    return output.getvalue()


@pytest.fixture(scope="module")
def loaded_once(django_db_setup, django_db_blocker):
    """The archive loaded once for this module, rolled back when the module ends.

    Each test runs in its own savepoint inside this transaction, so whatever a
    test changes (a reload, an editor's revision) is undone after it.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        output = _load()
        yield output
        transaction.set_rollback(True)


@pytest.fixture
def archive(loaded_once, db) -> SimpleNamespace:
    home = Site.objects.get(is_default_site=True).root_page.specific
    return SimpleNamespace(
        home=home,
        films=home.get_children().get(slug="films").specific,
        essays=home.get_children().get(slug="essays").specific,
        timeline=home.get_children().get(slug="timeline").specific,
        output=loaded_once,
    )


@pytest.fixture
def fixtures_copy(tmp_path) -> Path:
    target = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, target)
    return target


def _edit(fixtures: Path, filename: str, old: str, new: str) -> None:
    path = fixtures / filename
    text = path.read_text("utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), "utf-8")


def _snapshot() -> dict:
    """Every row the loader could touch, column by column."""
    models = [
        Page, HomePage, FilmPage, EssayPage, PolicyEventPage, Revision,
        PageLogEntry, ModelLogEntry, LoadedRecord, Person, ArchiveTag,
        FilmCredit, FilmCitation, EventCitation, BoxOfficeFigure, EssayAuthor,
        EventActor, FilmPageTag, EssayPageTag, PolicyEventPageTag, IndexEntry,
        EssayPage.films.through, EssayPage.events.through,
        PolicyEventPage.films.through,
    ]  # fmt: skip
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in models
    }


def _source_sentences(document_name: str) -> list[str]:
    """The body sentences of a source text, cleaned independently of the loader."""
    essays = tomllib.loads((FIXTURES / "essays.toml").read_text("utf-8"))["essay"]
    layout = next(e for e in essays if e["document"] == document_name).get("layout", {})
    skipped = {
        line.strip()
        for line in (*layout.get("metadata", ()), *layout.get("headings", ()))
    }
    text = (FIXTURES / "documents" / document_name).read_text("utf-8")
    lines = [line for line in text.splitlines() if line.strip() not in skipped]
    cleaned = re.sub(r"\[([^\]]+)\]\(#\)", r"\1", " ".join(lines)).replace("*", "")
    return [s for s in re.split(SENTENCE_END, normalise(cleaned)) if s]


def _page_soup(client, page) -> BeautifulSoup:
    response = client.get(page.url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_load_archive_loads_every_curated_record(archive):
    """Films, events, essays, people, tags and citations all load, published."""
    assert FilmPage.objects.live().count() == 9
    assert PolicyEventPage.objects.live().count() == 13
    assert EssayPage.objects.live().count() == 3
    assert Person.objects.count() == 14
    assert ArchiveTag.objects.count() == 16
    citations = (
        FilmCitation.objects.count()
        + EventCitation.objects.count()
        + BoxOfficeFigure.objects.count()
    )
    assert citations == 57
    assert "Archive loaded: 58 created, 1 updated, 0 kept, 0 unchanged" in (
        archive.output
    )


def test_load_archive_publishes_every_page_through_a_revision(archive):
    """Each loaded page is live at the revision the loader recorded for it."""
    records = LoadedRecord.objects.exclude(page=None).select_related("page")
    assert records.count() == 29
    for record in records:
        page = record.page
        assert page.live
        assert page.live_revision_id == record.revision_id
        assert page.latest_revision_id == record.revision_id
        assert not page.has_unpublished_changes


def test_load_archive_places_index_pages_and_fills_the_home_page(archive):
    """Indexes sit under the home page, which features The Wandering Earth."""
    assert [archive.films.slug, archive.essays.slug, archive.timeline.slug] == [
        "films",
        "essays",
        "timeline",
    ]
    assert archive.home.featured_film.slug == "the-wandering-earth"
    assert "<i>The Wandering Earth</i>" in archive.home.intro
    assert archive.films.get_parent().pk == archive.home.pk


@pytest.mark.parametrize(
    ("slug", "document_name"),
    [
        ("china-science-fiction-beijing-vision", "000_322c40b3b1f5d411.txt"),
        ("planet-in-peril", "001_1c143bf0ccc6c69d.txt"),
        ("wandering-earth-ii-soft-power", "002_77ac2b0b79d48e72.txt"),
    ],
)
def test_load_archive_every_source_sentence_is_on_its_essay_page(
    archive, client, slug, document_name
):
    """The rendered essay holds every sentence of its document, in order."""
    soup = _page_soup(client, EssayPage.objects.get(slug=slug))
    text = normalise(soup.get_text(""))
    position = 0
    for sentence in _source_sentences(document_name):
        found = text.find(sentence, position)
        assert found >= 0, sentence
        position = found + len(sentence)


def test_load_archive_essay_002_renders_headings_and_italics(archive, client):
    """002's sections are headings, its emphasis italics, its residue gone."""
    page = EssayPage.objects.get(slug="wandering-earth-ii-soft-power")
    soup = _page_soup(client, page)
    headings = [block for block in page.body if block.block_type == "heading"]
    assert [h.value["text"] for h in headings][0] == "China's global strategy"
    assert soup.find(id="chinas-global-strategy") is not None
    body = str(soup.find(id="p1"))
    assert "<i>The Wandering Earth</i>" in body
    assert "](#)" not in str(soup) and "*The Wandering" not in str(soup)
    assert "despidal" in soup.get_text()


def test_load_archive_citation_anchors_exist_on_their_essay_pages(archive, client):
    """Every citation links to a paragraph id on its essay page that holds the quote."""
    soups = {}
    citations = [
        *FilmCitation.objects.select_related("essay"),
        *EventCitation.objects.select_related("essay"),
        *BoxOfficeFigure.objects.select_related("essay"),
    ]
    assert citations
    for citation in citations:
        if citation.essay_id not in soups:
            soups[citation.essay_id] = _page_soup(client, citation.essay)
        assert citation.anchor, citation.claim
        paragraph = soups[citation.essay_id].find(id=citation.anchor)
        assert paragraph is not None, citation.anchor
        assert normalise(citation.quote) in normalise(paragraph.get_text("")), (
            citation.quote
        )
        assert citation.get_url().endswith(f"/#{citation.anchor}")


def test_load_archive_box_office_sources_stand_side_by_side(archive):
    """The disputed domestic gross shows both figures, each with its essay."""
    film = FilmPage.objects.get(slug="the-wandering-earth")
    kokas = "china-science-fiction-beijing-vision"
    figures = {
        (f.region, int(f.amount), f.qualifier, f.essay.slug)
        for f in film.box_office_figures.select_related("essay")
    }
    assert figures == {
        ("China (domestic)", 600_000_000, "over", kokas),
        ("China (domestic)", 693_000_000, "", "planet-in-peril"),
        ("Overseas", 7_000_000, "", "planet-in-peril"),
    }


def test_load_archive_films_keep_sources_precision_and_credits(archive):
    """Dates are as precise as the sources; undated films stay undated."""
    earth = FilmPage.objects.get(slug="the-wandering-earth")
    assert earth.date_iso == "2019-02-05"
    assert "Chinese New Year" in earth.date_note
    assert earth.original_title == "流浪地球"
    assert earth.other_title_list == ["Wandering Earth"]
    cast = {
        (c.person.name, c.character)
        for c in earth.credits.filter(role="cast").select_related("person")
    }
    assert cast == {
        ("Jing Wu", "Liu Peiqiang"),
        ("Chuxiao Qu", "Liu Qi"),
        ("Jin Mai Jaho", "Han Duoduo"),
    }
    assert earth.credits.get(role="director").person.original_name == "郭帆"
    assert FilmPage.objects.get(slug="wolf-warrior-2").date_iso == "2017"
    for slug in ("interstellar", "2001-a-space-odyssey"):
        assert FilmPage.objects.get(slug=slug).date is None


def test_load_archive_essays_record_only_what_is_known(archive):
    """001 has no author and a month-only date; 002 has no source URL."""
    kokas = EssayPage.objects.get(slug="china-science-fiction-beijing-vision")
    peril = EssayPage.objects.get(slug="planet-in-peril")
    zhang = EssayPage.objects.get(slug="wandering-earth-ii-soft-power")
    assert [a.person.name for a in kokas.authors.all()] == ["Aynne Kokas"]
    assert "Ottawa Citizen" in kokas.publication_note
    assert not EssayAuthor.objects.filter(page=peril).exists()
    assert peril.published_date_precision == DatePrecision.MONTH
    assert peril.published_iso == "2019-05"
    assert zhang.source_url == ""
    assert zhang.authors.get().affiliation.startswith("Associate Professor")


def test_load_archive_events_are_dated_with_their_precision(archive):
    """Relative dates are placed with a note; precision follows the source."""
    plan = PolicyEventPage.objects.get(slug="2019-strong-film-power-plan")
    assert plan.date_iso == "2019-03"
    assert "13 March 2019" in plan.date_note
    assert plan.actors.get().person.slug == "wang-xiaohui"
    assert [b.value["anchor"] for b in plan.body] == ["e1", "e2"]
    regulators = PolicyEventPage.objects.get(slug="2013-media-regulators-merged")
    assert (regulators.date_iso, regulators.kind) == ("2013", "regulation")


def test_load_archive_relations_run_both_ways(archive):
    """Essays list their films and events; films see those essays and events."""
    earth = FilmPage.objects.get(slug="the-wandering-earth")
    assert set(earth.essays.values_list("slug", flat=True)) == {
        "china-science-fiction-beijing-vision",
        "planet-in-peril",
        "wandering-earth-ii-soft-power",
    }
    assert earth.events.filter(slug="2019-the-wandering-earth-on-netflix").exists()
    essay = EssayPage.objects.get(slug="planet-in-peril")
    assert essay.events.filter(slug="2019-the-wandering-earth-on-netflix").exists()


@pytest.mark.parametrize("slug", MAIN_TAGS)
def test_load_archive_main_tags_gather_all_three_page_types(archive, slug):
    """Each main tag is on at least one film, one essay and one event."""
    tag = ArchiveTag.objects.get(slug=slug)
    assert tag.description
    assert tag.film_items.exists()
    assert tag.essay_items.exists()
    assert tag.event_items.exists()


def test_load_archive_updates_the_search_index(archive):
    """Loaded pages are searchable at once, body text included."""
    assert EssayPage.objects.live().search("Hangzhou").count() == 1
    assert IndexEntry.objects.count() >= 29


def test_load_archive_second_run_changes_nothing(archive):
    """A second load adds no revision or log entry and changes no row."""
    before = _snapshot()
    output = _load()
    assert _snapshot() == before
    assert "Archive loaded: 0 created, 0 updated, 0 kept, 59 unchanged" in output


def test_load_archive_updates_a_page_it_owns_when_its_record_changes(
    archive, fixtures_copy
):
    """A changed record rewrites its page with one new published revision."""
    _edit(
        fixtures_copy,
        "films.toml",
        INTERSTELLAR_SUMMARY,
        'summary = "Modeled American interplanetary exploration."',
    )
    film = FilmPage.objects.get(slug="interstellar")
    revisions = film.revisions.count()
    output = _load(fixtures_copy)
    film.refresh_from_db()
    assert film.summary == "Modeled American interplanetary exploration."
    assert film.revisions.count() == revisions + 1
    record = LoadedRecord.objects.get(key="film:interstellar")
    assert film.live_revision_id == record.revision_id
    assert "0 created, 1 updated, 0 kept, 58 unchanged" in output


@pytest.mark.parametrize("publish", [True, False], ids=["published", "draft"])
def test_load_archive_keeps_an_editors_later_revision(
    archive, fixtures_copy, django_user_model, publish
):
    """An editor's published change or draft survives a reload and is reported."""
    editor = django_user_model.objects.create_superuser("alice", password="x")
    film = FilmPage.objects.get(slug="interstellar")
    film.summary = "An editor's summary."
    revision = film.save_revision(user=editor)
    if publish:
        revision.publish(user=editor)
    _edit(
        fixtures_copy,
        "films.toml",
        INTERSTELLAR_SUMMARY,
        'summary = "The loader would write this."',
    )
    before = _snapshot()

    output = _load(fixtures_copy)

    assert _snapshot() == before
    film = FilmPage.objects.get(slug="interstellar")
    assert film.get_latest_revision().pk == revision.pk
    assert film.get_latest_revision_as_object().summary == "An editor's summary."
    state = "published" if publish else "an unpublished draft"
    assert (
        f'Kept film "interstellar" (/films/interstellar/): its latest revision '
        f"(#{revision.pk}, {state} by alice) is not the loader's" in output
    )
    assert "1 kept" in output


def test_load_archive_does_not_recreate_a_page_an_editor_deleted(archive):
    """A deleted page stays deleted and the load says so."""
    PolicyEventPage.objects.get(slug="2023-munich-security-conference").delete()
    output = _load()
    assert not PolicyEventPage.objects.filter(
        slug="2023-munich-security-conference"
    ).exists()
    assert (
        'Kept event "2023-munich-security-conference": deleted in the admin' in output
    )


def test_load_archive_keeps_a_tag_a_moderator_edited(archive):
    """A tag whose description changed in the admin is not overwritten."""
    tag = ArchiveTag.objects.get(slug="propaganda")
    tag.description = "A moderator's description."
    tag.save()
    output = _load()
    tag.refresh_from_db()
    assert tag.description == "A moderator's description."
    assert 'Kept tag "propaganda": changed in the admin since the last load.' in output


def test_load_archive_leaves_a_renamed_tag_on_its_pages(archive, fixtures_copy):
    """A tag renamed in the admin is not recreated, and pages keep it."""
    tag = ArchiveTag.objects.get(slug="space-exploration")
    tag.name, tag.slug = "Spaceflight", "spaceflight"
    tag.save()
    _edit(fixtures_copy, "films.toml", INTERSTELLAR_SUMMARY, 'summary = "New."')

    output = _load(fixtures_copy)

    film = FilmPage.objects.get(slug="interstellar")
    assert film.summary == "New."
    assert set(film.tags.values_list("slug", flat=True)) == {
        "hollywood",
        "science-fiction",
        "spaceflight",
    }
    assert not ArchiveTag.objects.filter(slug="space-exploration").exists()
    assert 'Kept tag "space-exploration": no longer found' in output
    assert "0 created, 1 updated, 1 kept, 57 unchanged" in output
