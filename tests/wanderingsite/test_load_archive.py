"""The real archive, loaded once for the module from fixtures/ (see conftest's
``loaded_archive``): what it holds, how it renders, and how reloading treats
editors' changes. Each test runs in a savepoint, so a reload or an edit in one
test is gone in the next."""

import io
import re

import pytest
from bs4 import BeautifulSoup
from django.core.management import CommandError, call_command
from wagtail.models import ModelLogEntry, Page, PageLogEntry, Revision
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
from tests.archive_fixtures import (
    edit_document,
    edit_fixture,
    load_archive,
    source_sentences,
)
from tests.wanderingsite.editorial_helpers import make_user
from wanderingsite.dates import DatePrecision
from wanderingsite.models import ArchiveTag, HomePage, LoadedRecord, Person
from wanderingsite.quotes import normalise
from wanderingsite.search import search_archive
from wanderingsite.services import tags as tag_service

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


def _page_soup(client, page) -> BeautifulSoup:
    response = client.get(page.url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_load_archive_loads_every_curated_record(loaded_archive):
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
    assert citations == 85
    assert "Archive loaded: 58 created, 1 updated, 0 kept, 0 unchanged" in (
        loaded_archive.output
    )


def test_load_archive_publishes_every_page_through_a_revision(loaded_archive):
    """Each loaded page is live at the revision the loader recorded for it."""
    records = LoadedRecord.objects.exclude(page=None).select_related("page")
    assert records.count() == 29
    for record in records:
        page = record.page
        assert page.live
        assert page.live_revision_id == record.revision_id
        assert page.latest_revision_id == record.revision_id
        assert not page.has_unpublished_changes


def test_load_archive_places_index_pages_and_fills_the_home_page(loaded_archive):
    """Indexes sit under the home page, which features The Wandering Earth."""
    assert [
        loaded_archive.films.slug,
        loaded_archive.essays.slug,
        loaded_archive.timeline.slug,
    ] == [
        "films",
        "essays",
        "timeline",
    ]
    assert loaded_archive.home.featured_film.slug == "the-wandering-earth"
    assert "<i>The Wandering Earth</i>" in loaded_archive.home.intro
    assert loaded_archive.films.get_parent().pk == loaded_archive.home.pk


@pytest.mark.parametrize(
    ("slug", "document_name"),
    [
        ("china-science-fiction-beijing-vision", "000_322c40b3b1f5d411.txt"),
        ("planet-in-peril", "001_1c143bf0ccc6c69d.txt"),
        ("wandering-earth-ii-soft-power", "002_77ac2b0b79d48e72.txt"),
    ],
)
def test_load_archive_every_source_sentence_is_on_its_essay_page(
    loaded_archive, client, slug, document_name
):
    """The rendered essay holds every sentence of its document, in order."""
    soup = _page_soup(client, EssayPage.objects.get(slug=slug))
    text = normalise(soup.get_text(""))
    position = 0
    for sentence in source_sentences(document_name):
        found = text.find(sentence, position)
        assert found >= 0, sentence
        position = found + len(sentence)


def test_load_archive_essay_002_renders_headings_and_italics(loaded_archive, client):
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


def test_load_archive_citation_anchors_exist_on_their_essay_pages(
    loaded_archive, client
):
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
        assert citation.get_paragraph_url().endswith(f"/#{citation.anchor}")


def test_load_archive_box_office_sources_stand_side_by_side(loaded_archive):
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


def test_load_archive_films_keep_sources_precision_and_credits(loaded_archive):
    """Dates are as precise as the sources; undated films stay undated."""
    earth = FilmPage.objects.get(slug="the-wandering-earth")
    assert earth.date_iso == "2019-02"
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


def test_load_archive_essays_record_only_what_is_known(loaded_archive):
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


def test_load_archive_events_are_dated_with_their_precision(loaded_archive):
    """Relative dates are placed with a note; precision follows the source."""
    plan = PolicyEventPage.objects.get(slug="2019-strong-film-power-plan")
    assert plan.date_iso == "2019-03"
    assert "13 March 2019" in plan.date_note
    assert plan.actors.get().person.slug == "wang-xiaohui"
    assert [b.value["anchor"] for b in plan.body] == ["e1", "e2"]
    regulators = PolicyEventPage.objects.get(slug="2013-media-regulators-merged")
    assert (regulators.date_iso, regulators.kind) == ("2013", "regulation")


def test_load_archive_relations_run_both_ways(loaded_archive):
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
def test_load_archive_main_tags_gather_all_three_page_types(loaded_archive, slug):
    """Each main tag is on at least one film, one essay and one event."""
    tag = ArchiveTag.objects.get(slug=slug)
    assert tag.description
    assert tag.film_items.exists()
    assert tag.essay_items.exists()
    assert tag.event_items.exists()


def test_load_archive_updates_the_search_index(loaded_archive):
    """Loaded pages are searchable at once, body text included."""
    assert EssayPage.objects.live().search("Hangzhou").count() == 1
    assert IndexEntry.objects.count() >= 29


def test_search_archive_finds_the_film_by_its_chinese_title_in_the_real_archive(
    loaded_archive,
):
    """On the loaded archive, 流浪地球 finds The Wandering Earth first."""
    search = search_archive(query="流浪地球")
    assert search.results.object_list[0].page.title == "The Wandering Earth"
    assert search.results.object_list[0].type.key == "film"


def test_search_archive_mixes_types_in_the_real_archive(loaded_archive):
    """On the loaded archive, 'soft power' finds essays and events in one list."""
    hits = search_archive(query="soft power").results.object_list
    assert {hit.type.key for hit in hits} >= {"essay", "event"}


def test_archive_fixture_loads_the_archive_after_migrate(loaded_archive):
    """The path of `make run`: a migrated database, then load_archive."""
    assert loaded_archive.home.featured_film.specific.title == "The Wandering Earth"
    assert loaded_archive.films.get_children().live().count() == 9
    assert loaded_archive.essays.get_children().live().count() == 3
    assert loaded_archive.timeline.get_children().live().count() == 13
    assert "Archive loaded: 58 created, 1 updated, 0 kept, 0 unchanged" in (
        loaded_archive.output
    )


def test_load_archive_second_run_changes_nothing(loaded_archive):
    """A second load adds no revision or log entry and changes no row."""
    before = _snapshot()
    output = load_archive()
    assert _snapshot() == before
    assert "Archive loaded: 0 created, 0 updated, 0 kept, 59 unchanged" in output


def test_load_archive_reports_each_phase_and_how_long_it_took(loaded_archive):
    """Off a terminal each phase ends with one line: its count and its time."""
    output = loaded_archive.output
    for line in (
        "checking fixtures and documents: done in",
        "tags: 16 in",
        "people and institutions: 14 in",
        "pages: 29 in",
        "search index: 43 in",
        "search terms: done in",
        "committing: done in",
    ):
        assert re.search(rf"^  {line} \d+\.\d s$", output, re.MULTILINE), line
    assert re.search(r"\(29 pages, [^)]*\)\. Took \d+\.\d s\.$", output, re.MULTILINE)
    assert "\r" not in output


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_load_archive_counts_up_in_place_on_a_terminal(loaded_archive):
    """On a terminal a phase's count is rewritten on one line as it goes."""
    terminal = _Terminal()
    call_command("load_archive", stdout=terminal)
    output = terminal.getvalue()
    assert "\r\x1b[K  pages: 15/29" in output
    assert "\r\x1b[K  pages: 29 in " in output
    assert "Archive loaded: 0 created, 0 updated, 0 kept, 59 unchanged" in output


def test_load_archive_is_silent_about_progress_at_verbosity_zero(loaded_archive):
    """Scripts that ask for quiet get only the summary."""
    output = io.StringIO()
    call_command("load_archive", stdout=output, verbosity=0)
    assert output.getvalue().startswith("Archive loaded: 0 created")


def test_load_archive_updates_a_page_it_owns_when_its_record_changes(
    loaded_archive, fixtures_copy
):
    """A changed record rewrites its page with one new published revision."""
    edit_fixture(
        fixtures_copy,
        "films.toml",
        INTERSTELLAR_SUMMARY,
        'summary = "Modeled American interplanetary exploration."',
    )
    film = FilmPage.objects.get(slug="interstellar")
    revisions = film.revisions.count()
    output = load_archive(fixtures_copy)
    film.refresh_from_db()
    assert film.summary == "Modeled American interplanetary exploration."
    assert film.revisions.count() == revisions + 1
    record = LoadedRecord.objects.get(key="film:interstellar")
    assert film.live_revision_id == record.revision_id
    assert "0 created, 1 updated, 0 kept, 58 unchanged" in output


@pytest.mark.parametrize("publish", [True, False], ids=["published", "draft"])
def test_load_archive_keeps_an_editors_later_revision(
    loaded_archive, fixtures_copy, django_user_model, publish
):
    """An editor's published change or draft survives a reload and is reported."""
    editor = django_user_model.objects.create_superuser("alice", password="x")
    film = FilmPage.objects.get(slug="interstellar")
    film.summary = "An editor's summary."
    revision = film.save_revision(user=editor)
    if publish:
        revision.publish(user=editor)
    edit_fixture(
        fixtures_copy,
        "films.toml",
        INTERSTELLAR_SUMMARY,
        'summary = "The loader would write this."',
    )
    before = _snapshot()

    output = load_archive(fixtures_copy)

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


def test_load_archive_does_not_recreate_a_page_an_editor_deleted(loaded_archive):
    """A deleted page stays deleted and the load says so."""
    PolicyEventPage.objects.get(slug="2023-munich-security-conference").delete()
    output = load_archive()
    assert not PolicyEventPage.objects.filter(
        slug="2023-munich-security-conference"
    ).exists()
    assert (
        'Kept event "2023-munich-security-conference": deleted in the admin' in output
    )


def test_load_archive_keeps_a_tag_a_moderator_edited(loaded_archive):
    """A tag whose description changed in the admin is not overwritten."""
    tag = ArchiveTag.objects.get(slug="propaganda")
    tag.description = "A moderator's description."
    tag.save()
    output = load_archive()
    tag.refresh_from_db()
    assert tag.description == "A moderator's description."
    assert 'Kept tag "propaganda": changed in the admin since the last load.' in output


def test_merge_survives_reloading_the_archive(loaded_archive):
    """load_archive run after a merge neither recreates the merged tag nor takes
    the kept tag off the pages it was moved to."""
    merged = ArchiveTag.objects.get(slug="propaganda")
    kept = ArchiveTag.objects.get(slug="soft-power")
    before = tag_service.tag_use_counts(merged)
    assert sum(before.values()) > 0
    tag_service.merge_tags(merged, kept, user=make_user("moderator"))
    after_merge = tag_service.tag_use_counts(kept)

    load_archive()

    assert not ArchiveTag.objects.filter(slug="propaganda").exists()
    assert tag_service.tag_use_counts(kept) == after_merge


def test_load_archive_leaves_a_renamed_tag_on_its_pages(loaded_archive, fixtures_copy):
    """A tag renamed in the admin is not recreated, and pages keep it."""
    tag = ArchiveTag.objects.get(slug="space-exploration")
    tag.name, tag.slug = "Spaceflight", "spaceflight"
    tag.save()
    edit_fixture(fixtures_copy, "films.toml", INTERSTELLAR_SUMMARY, 'summary = "New."')

    output = load_archive(fixtures_copy)

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


def test_load_archive_changed_document_leaves_the_live_essay_as_it_was(
    loaded_archive, fixtures_copy
):
    """A source text edited by one word (" the " to " teh ") rebuilds nothing:
    the load fails and the live essay keeps its words and its revision."""
    edit_document(fixtures_copy, "001_1c143bf0ccc6c69d.txt", " the ", " teh ")
    before = _snapshot()

    with pytest.raises(CommandError, match='essay "planet-in-peril": field "sha256"'):
        load_archive(fixtures_copy)

    assert _snapshot() == before
    essay = EssayPage.objects.get(slug="planet-in-peril")
    assert " teh " not in " ".join(str(block.value["text"]) for block in essay.body)
