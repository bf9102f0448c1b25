"""Films related to films: typed, cited relations shown from both films, in
the page, the API and the structured data; and how the fixtures state them."""

import re

import pytest
from django.core.exceptions import ValidationError

from essays.models import FilmCitation
from films.models import FilmPage, FilmRelation
from tests import factories as f
from tests.archive_fixtures import edit_fixture
from tests.page_helpers import cites, json_ld, main, words
from wanderingsite.services.archive_fixtures import ArchiveFixtureError, read_archive

PREQUEL_QUOTE = (
    "The Wandering Earth II (2023) is a prequel to The Wandering Earth (2019)"
)


def _related(client, slug: str) -> str:
    """The "Related films" section of a film page, as markup."""
    html = main(client.get(f"/films/{slug}/"))
    start = html.index('id="related-films"')
    return html[start : html.index("</section>", start)]


def _entries(section: str) -> list[str]:
    """The words of each related film in the section, in order."""
    items = re.findall(r'<li class="related-film">(.*?)</ul>\s*</li>', section, re.S)
    return [words(item) for item in items]


def test_lineage_prequel_reads_the_right_way_from_each_film(loaded_archive, client):
    """The Wandering Earth II is a prequel to The Wandering Earth, which shows
    that it has a prequel; each links to the other with the passage that says so."""
    prequel = _related(client, "the-wandering-earth-ii")
    original = _related(client, "the-wandering-earth")

    assert _entries(prequel)[0].startswith(
        "Prequel to The Wandering Earth 流浪地球 (2019)"
    )
    assert 'href="/films/the-wandering-earth/"' in prequel
    assert _entries(original)[0].startswith(
        "Has a prequel The Wandering Earth II 流浪地球2 (2023)"
    )
    assert 'href="/films/the-wandering-earth-ii/"' in original
    for section in (prequel, original):
        assert PREQUEL_QUOTE in words(section)
        assert cites("/essays/wandering-earth-ii-soft-power/", "p1", section)


def test_lineage_relation_both_ways_is_one_entry_whoever_states_it(
    loaded_archive, client
):
    """The Wandering Earth and Wolf Warrior 2 are compared by three passages,
    two stated on the one film and one on the other: each page shows one
    "Compared with" entry holding all three."""
    for slug, other in (
        ("the-wandering-earth", "Wolf Warrior 2"),
        ("wolf-warrior-2", "The Wandering Earth"),
    ):
        entries = [e for e in _entries(_related(client, slug)) if other in e]
        assert len(entries) == 1, entries
        entry = entries[0]
        assert entry.startswith(f"Compared with {other}")
        assert "Unlike Wolf Warrior 2, Wandering Earth cuts back" in entry
        assert "the global Chinese blockbuster" in entry
        assert "following the 2017 hit Wolf Warrior 2" in entry


def test_lineage_same_source_work_shows_on_both_films(loaded_archive, client):
    """Both Wandering Earth films are adaptations of Liu Cixin's novella."""
    for slug in ("the-wandering-earth", "the-wandering-earth-ii"):
        entry = next(
            e
            for e in _entries(_related(client, slug))
            if e.startswith("From the same source work as")
        )
        assert "The movies are adaptations of a novella by Liu Cixin" in entry


def test_lineage_links_lead_from_film_to_film_and_back(loaded_archive, client):
    """Every related film a page links to links back to it."""
    for film in FilmPage.objects.live():
        response = client.get(film.url)
        if 'id="related-films"' not in response.content.decode():
            continue
        section = _related(client, film.slug)
        for path in set(re.findall(r'href="(/films/[^"#]+/)"', section)):
            back = _related(client, path.strip("/").split("/")[-1])
            assert f'href="{film.url}"' in back, (film.url, path)


def test_lineage_facts_list_leaves_relations_to_their_own_section(
    loaded_archive, client
):
    """A relation is shown once, under Related films, not again as a fact."""
    html = main(client.get("/films/the-wandering-earth-ii/"))
    facts = html[html.index('id="facts-heading"') :]
    assert PREQUEL_QUOTE not in words(facts)
    assert "<h3>Related films</h3>" not in facts


def test_lineage_hidden_film_is_left_out_on_both_sides(loaded_archive, client):
    """A relation to or from a draft, withdrawn or private film shows nowhere:
    not on the visible film's page, not in its API record."""
    original = FilmPage.objects.get(slug="the-wandering-earth")
    essay = FilmCitation.objects.filter(page=original).first().essay
    quote = FilmCitation.objects.filter(page=original).first().quote
    for state in f.HIDDEN_STATES:
        hidden = f.make_film(
            loaded_archive.films,
            title=f"{f.HIDDEN} {state} sequel",
            live=state != "draft",
        )
        FilmCitation.objects.create(
            page=hidden,
            claim=f"{f.HIDDEN} claim",
            essay=essay,
            quote=quote,
            relation=FilmRelation.SEQUEL,
            related_film=original,
        )
        FilmCitation.objects.create(
            page=original,
            claim=f"{f.HIDDEN} claim",
            essay=essay,
            quote=quote,
            relation=FilmRelation.COMPARED,
            related_film=hidden,
        )
        if state == "withdrawn":
            hidden.unpublish()
        elif state == "private":
            f.make_private(hidden)

    page = client.get("/films/the-wandering-earth/").content.decode()
    api = client.get(f"/api/v2/pages/{original.pk}/").content.decode()
    assert f.HIDDEN not in page
    assert f.HIDDEN not in api
    assert "Has a sequel" not in page


def test_lineage_relation_from_a_hidden_essay_is_left_out(loaded_archive, client):
    """A relation whose only source is an essay the public cannot see is not shown."""
    original = FilmPage.objects.get(slug="the-wandering-earth")
    other = FilmPage.objects.get(slug="interstellar")
    draft = f.make_essay(
        loaded_archive.essays, title=f"{f.HIDDEN} essay", paragraphs=("Words.",)
    )
    draft.unpublish()
    FilmCitation.objects.create(
        page=other,
        claim="Compared",
        essay=draft,
        quote="Words.",
        relation=FilmRelation.COMPARED,
        related_film=original,
    )
    assert "Interstellar" not in _related(client, "the-wandering-earth")
    assert (
        'id="related-films"' not in client.get("/films/interstellar/").content.decode()
    )


def test_lineage_api_gives_relations_both_ways(loaded_archive, client):
    """A film's API record gives the relations it states among its citations
    (with the other film) and, in ``related_by``, those other films state to
    it, each with its label, quote and link to the passage."""
    original = FilmPage.objects.get(slug="the-wandering-earth")
    prequel = FilmPage.objects.get(slug="the-wandering-earth-ii")

    stated = client.get(f"/api/v2/pages/{prequel.pk}/").json()["citations"]
    received = client.get(f"/api/v2/pages/{original.pk}/").json()["related_by"]

    assert ("prequel", "The Wandering Earth", PREQUEL_QUOTE) in [
        (c["relation"], c["related_film"]["title"], c["quote"])
        for c in stated
        if c["relation"]
    ]
    assert all(c["related_film"] is None for c in stated if not c["relation"])
    has_prequel = next(r for r in received if r["relation"] == "prequel")
    assert has_prequel["label"] == "Has a prequel"
    assert has_prequel["page"]["title"] == "The Wandering Earth II"
    assert has_prequel["quote"] == PREQUEL_QUOTE
    assert has_prequel["url"].endswith("/essays/wandering-earth-ii-soft-power/#p1")


def test_lineage_api_listing_gives_the_relations_each_film_states(
    loaded_archive, client
):
    """A listing of films carries each film's own relations in its citations;
    what others state of it is in its own record (``related_by``), which a
    listing does not offer."""
    data = client.get(
        "/api/v2/pages/", {"type": "films.FilmPage", "fields": "*", "limit": 20}
    ).json()
    by_title = {item["title"]: item for item in data["items"]}
    related = [
        c["related_film"]["title"]
        for c in by_title["2001: A Space Odyssey"]["citations"]
        if c["relation"] == "compared"
    ]
    assert related == ["The Wandering Earth"]
    assert "related_by" not in by_title["The Wandering Earth"]


def test_lineage_json_ld_bases_the_films_on_the_novella_and_the_prequel_on_its_film(
    loaded_archive, client
):
    """isBasedOn holds the novella, a Book by Liu Cixin, for both films; the
    prequel is also based on the film it was made from."""
    original = json_ld(client.get("/films/the-wandering-earth/"))
    prequel = json_ld(client.get("/films/the-wandering-earth-ii/"))
    for data in (original, prequel):
        book = next(w for w in data["isBasedOn"] if w["@type"] == "Book")
        assert book["description"] == "A novella by Liu Cixin"
        assert "name" not in book  # no source names the novella
        assert [(a["@type"], a["name"]) for a in book["author"]] == [
            ("Person", "Liu Cixin")
        ]
    films = [w for w in prequel["isBasedOn"] if w["@type"] == "Movie"]
    assert [w["name"] for w in films] == ["The Wandering Earth"]
    assert [w for w in original["isBasedOn"] if w["@type"] == "Movie"] == []


def test_lineage_preview_shows_an_unsaved_relation(loaded_archive, rf):
    """A draft's new relation shows in its preview, read from the revision."""
    page = FilmPage.objects.get(slug="interstellar")
    original = FilmPage.objects.get(slug="the-wandering-earth")
    essay = FilmCitation.objects.filter(page=original).first().essay
    page.citations.add(
        FilmCitation(
            claim="Compared",
            essay=essay,
            quote="directed by Frant Gwo",
            relation=FilmRelation.COMPARED,
            related_film=original,
        )
    )
    page.save_revision()
    draft = page.get_latest_revision_as_object()

    detail = draft.get_detail()

    assert [(r.label, r.film.title) for r in detail.related] == [
        ("Compared with", "The Wandering Earth")
    ]


def test_lineage_citation_refuses_a_half_given_or_self_relation(loaded_archive):
    """The admin refuses a relation without its film, a film without its
    relation, and a film related to itself; a relation's topic is Related films."""
    film = FilmPage.objects.get(slug="the-wandering-earth")
    other = FilmPage.objects.get(slug="interstellar")
    essay = FilmCitation.objects.filter(page=film).first().essay
    quote = "directed by Frant Gwo"

    def citation(**fields):
        return FilmCitation(
            page=film, claim="A claim", essay=essay, quote=quote, **fields
        )

    with pytest.raises(ValidationError, match="related_film"):
        citation(relation=FilmRelation.PREQUEL).clean()
    with pytest.raises(ValidationError, match="relation"):
        citation(related_film=other).clean()
    with pytest.raises(ValidationError, match="related_film"):
        citation(relation=FilmRelation.COMPARED, related_film=film).clean()
    good = citation(relation=FilmRelation.COMPARED, related_film=other, topic="story")
    good.clean()
    assert good.topic == "lineage"


# The fixtures: how a relation is stated and what the loader refuses.

RELATION_CASES = {
    "unknown film": (
        'relation = "prequel"\nfilm = "the-wandering-earth"',
        'relation = "prequel"\nfilm = "the-wandering-earth-iii"',
        'fixtures/films.toml: film "the-wandering-earth-ii": citation 1: '
        "field \"film\": unknown film 'the-wandering-earth-iii'",
    ),
    "unknown kind": (
        'relation = "prequel"\nfilm = "the-wandering-earth"',
        'relation = "remake"\nfilm = "the-wandering-earth"',
        'fixtures/films.toml: film "the-wandering-earth-ii": citation 1: '
        "field \"relation\": 'remake' is not one of 'prequel', 'sequel', "
        "'same-source', 'compared'",
    ),
    "the film itself": (
        'relation = "prequel"\nfilm = "the-wandering-earth"',
        'relation = "prequel"\nfilm = "the-wandering-earth-ii"',
        'fixtures/films.toml: film "the-wandering-earth-ii": citation 1: '
        'field "film": is the film itself',
    ),
    "film without a relation": (
        'relation = "prequel"\nfilm = "the-wandering-earth"',
        'film = "the-wandering-earth"',
        'fixtures/films.toml: film "the-wandering-earth-ii": citation 1: '
        'field "relation": is missing',
    ),
    "relation under another topic": (
        'relation = "prequel"\nfilm = "the-wandering-earth"',
        'relation = "prequel"\nfilm = "the-wandering-earth"\ntopic = "story"',
        'fixtures/films.toml: film "the-wandering-earth-ii": citation 1: '
        "field \"topic\": 'story': a relation to another film is under 'lineage'",
    ),
}


@pytest.mark.parametrize("case", RELATION_CASES.values(), ids=RELATION_CASES.keys())
def test_lineage_fixture_errors_name_file_record_and_field(fixtures_copy, case):
    """A relation the fixtures state badly stops the load, naming where."""
    old, new, expected = case
    edit_fixture(fixtures_copy, "films.toml", old, new)

    with pytest.raises(ArchiveFixtureError) as caught:
        read_archive(fixtures_copy)

    assert expected in str(caught.value)


def test_lineage_fixture_event_citation_cannot_relate_films(fixtures_copy):
    """Only a film's citation relates films."""
    edit_fixture(
        fixtures_copy,
        "events.toml",
        'claim = "Released in China and more than 30 other countries"',
        'claim = "Released in China and more than 30 other countries"\n'
        'relation = "compared"',
    )

    with pytest.raises(ArchiveFixtureError) as caught:
        read_archive(fixtures_copy)

    assert 'field "relation": only a film\'s citation relates films' in str(
        caught.value
    )


def test_lineage_fixtures_state_each_relation_with_its_source():
    """The fixtures hold the relations the sources state, each with its quote."""
    archive = read_archive()
    stated = {
        (film.slug, c.relation, c.film)
        for film in archive.films
        for c in film.citations
        if c.relation
    }
    assert stated == {
        ("the-wandering-earth-ii", "prequel", "the-wandering-earth"),
        ("the-wandering-earth-ii", "same-source", "the-wandering-earth"),
        ("the-wandering-earth", "compared", "wolf-warrior-2"),
        ("wolf-warrior-2", "compared", "the-wandering-earth"),
        ("2001-a-space-odyssey", "compared", "the-wandering-earth"),
    }


def test_lineage_admin_edit_form_offers_the_relation(loaded_archive, admin_client):
    """Each cited fact on a film's edit form has a relation and a related film."""
    film = FilmPage.objects.get(slug="the-wandering-earth-ii")

    response = admin_client.get(f"/admin/pages/{film.pk}/edit/")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="citations-0-relation"' in html
    assert 'name="citations-0-related_film"' in html
    assert 'value="prequel" selected' in html


def test_lineage_api_listing_refuses_the_detail_only_field(loaded_archive, client):
    """A listing asked for ``related_by`` says it is not offered there: a 400,
    not an error page."""
    response = client.get(
        "/api/v2/pages/", {"type": "films.FilmPage", "fields": "related_by"}
    )
    assert response.status_code == 400
    assert "related_by" in response.json()["message"]
