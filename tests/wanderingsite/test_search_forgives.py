"""Search that forgives: snippets in whole sentences, corrections of short and
near-miss words, cited facts and people found, English stemming on either
database, results by date, odd values ignored with a note."""

import datetime

from django.db import connection
from wagtail.search import index

from essays.models import FilmCitation
from films.models import FilmCredit
from tests import factories as f
from tests.factories import HIDDEN
from wanderingsite.quotes import html_to_text
from wanderingsite.search.engine import PEOPLE, search_archive
from wanderingsite.search.lexicon import _closest, rebuild_lexicon, slip_distance, slips
from wanderingsite.search.snippets import SNIPPET_LENGTH, _excerpt, sentences


def _titles(search):
    return [hit.page.title for hit in search.results.object_list]


def _people(search):
    return [hit.person.name for hit in search.people]


LONG_PARAGRAPH = (
    "The sun is about to explode, so the people of Earth must flee it: thousands "
    "of engines propel the whole planet toward a new solar system, while everyone "
    "takes refuge from the cold in underground cities. The plan to use Jupiter's "
    "gravity goes awry, and Earth falls onto a collision course with Jupiter. "
    "The astronaut Liu Peiqiang is on a long-term mission in a space station "
    "controlled by a sentient computer. Mr. Liu Qi and his adopted sister are "
    "swept up in a rescue plan to restart a failed thruster and save the world."
)


def test_html_to_text_keeps_each_block_on_its_own_line():
    """Paragraphs of rich text do not run together once the tags are gone."""
    assert html_to_text("<p>with Jupiter.</p><p>The astronaut &amp; his son</p>") == (
        "with Jupiter.\nThe astronaut & his son"
    )


def test_sentences_split_at_stops_but_not_after_initials_or_titles():
    """A sentence ends at a stop before a capital; "Mr." and "J." do not end one."""
    text = "He left. Mr. Smith met J. Wu there! “Then?” she asked."
    assert [text[a:b].strip() for a, b in sentences(text)] == [
        "He left.",
        "Mr. Smith met J. Wu there!",
        "“Then?” she asked.",
    ]


def test_excerpt_quotes_whole_sentences_around_the_hit():
    """A long paragraph is cut at sentence ends, never mid-sentence, and the
    sentence holding the hit is always quoted whole."""
    at = LONG_PARAGRAPH.index("Jupiter")
    excerpt = _excerpt(LONG_PARAGRAPH, at)
    assert excerpt.startswith("… The plan to use Jupiter's gravity")
    assert excerpt.endswith("computer. …") or excerpt.endswith("world.")
    assert len(excerpt) <= SNIPPET_LENGTH + 4
    assert "course with Jupiter." in excerpt


def test_search_snippet_never_runs_two_paragraphs_together(sample_archive):
    """A result quotes one paragraph of its synopsis: no "Jupiter.The"."""
    f.make_film(
        sample_archive.films,
        title="Orbit story",
        synopsis="<p>Earth falls toward Jupiter.</p><p>The astronaut waits.</p>",
    )
    hit = search_archive(query="Jupiter").results.object_list[0]
    assert str(hit.snippet) == "Earth falls toward <mark>Jupiter</mark>."


def test_slips_are_every_spelling_one_slip_away():
    """Letters left out, added, changed or swapped: "guo" reaches "gwo", "lui"
    reaches "liu", "jupitar" reaches "jupiter"; two slips are two."""
    assert {"gwo", "liu"} <= slips("guo") | slips("lui")
    assert "jupiter" in slips("jupitar")
    assert "jupiter" not in slips("jupetar")
    assert slip_distance("lui", "liu") == 1
    assert slip_distance("elevater", "elevators") == 2


def test_closest_corrects_a_three_letter_word_only_to_a_name():
    """ "Guo" is read as the name "Gwo", never as a word of the texts one slip away."""
    assert _closest("guo", [("gun", False), ("Gwo", True)]) == "Gwo"
    assert _closest("guo", [("gun", False)]) is None
    assert _closest("moom", [("moon", False)]) == "moon"


def test_search_archive_corrects_short_and_near_miss_words(sample_archive):
    """ "Guo", "Frant Guo", "Wu Jng" and "Jupitar" are read as the archive's
    own "Gwo", "Frant Gwo", "Wu Jing" and "Jupiter", and find their pages."""
    f.make_film(
        sample_archive.films,
        title="Orbit story",
        synopsis="<p>Earth falls toward Jupiter.</p>",
    )
    rebuild_lexicon()
    for query, corrected, title in [
        ("Guo", "Gwo", "The Wandering Earth"),
        ("Frant Guo", "Frant Gwo", "The Wandering Earth"),
        ("Wu Jng", "Wu Jing", "The Wandering Earth"),
        ("Jupitar", "Jupiter", "Orbit story"),
    ]:
        search = search_archive(query=query)
        assert search.corrected_query == corrected, query
        assert title in _titles(search), query


def _cite(film, essay, claim: str, quote: str) -> None:
    FilmCitation.objects.create(
        page=film, claim=claim, essay=essay, quote=quote, anchor="p1"
    )
    index.insert_or_update_object(film)


def test_search_archive_finds_a_film_by_its_cited_facts(sample_archive):
    """A film is found by the words of its facts' claims and quotes, and its
    snippet quotes the claim."""
    film = sample_archive.sequel
    _cite(
        film,
        sample_archive.kokas_essay,
        "Drone swarms and space elevators on screen",
        "scenes of orbital tethers",
    )
    search = search_archive(query="space elevator")
    assert _titles(search) == ["The Wandering Earth II"]
    assert "<mark>space</mark> <mark>elevators</mark>" in str(
        search.results.object_list[0].snippet
    )
    assert _titles(search_archive(query="orbital tethers")) == [
        "The Wandering Earth II"
    ]


def test_search_archive_forgets_facts_whose_essay_the_public_may_not_read(
    sample_archive,
):
    """Once the quoting essay is withdrawn or made private, its fact no longer
    finds the film; published again, it does."""
    essay = sample_archive.world_essay
    _cite(sample_archive.sequel, essay, "Space elevators on screen", "elevators")
    assert search_archive(query="space elevators").total == 1
    essay.unpublish()
    assert search_archive(query="space elevators").total == 0
    essay.refresh_from_db()
    essay.save_revision().publish()
    assert search_archive(query="space elevators").total == 1
    f.make_private(essay)
    assert search_archive(query="space elevators").total == 0


def test_search_archive_finds_no_fact_quoting_a_hidden_essay(sample_archive):
    """The sample film's facts that quote drafts, withdrawn and private essays
    never find it, even once it is indexed again."""
    index.insert_or_update_object(sample_archive.film)
    for query in (HIDDEN, f"{HIDDEN} words", "draft claim"):
        assert search_archive(query=query).unfiltered_total == 0, query


def test_search_archive_finds_people_by_name_original_name_and_alias(sample_archive):
    """People are found by their name, their name in its own script and their
    aliases, each linking to their page."""
    wu = sample_archive.people.wu
    wu.aliases = "Jacky Wu"
    wu.save()
    assert _people(search_archive(query="Frant Gwo")) == ["Frant Gwo"]
    assert _people(search_archive(query="郭帆")) == ["Frant Gwo"]
    alias = search_archive(query="Jacky")
    assert _people(alias) == ["Wu Jing"]
    assert alias.people[0].person.get_absolute_url() == "/people/wu-jing/"
    assert {fc.value: fc.count for fc in alias.type_facets}[PEOPLE] == 1


def test_search_archive_shows_no_person_only_hidden_pages_name(sample_archive):
    """A person credited only on a draft, a withdrawn or a private page is not
    shown, nor counted."""
    hidden = f.make_person(f"{HIDDEN} Director")
    for state in ("draft", "withdrawn", "private"):
        film = getattr(sample_archive.hidden, f"{state}_film")
        FilmCredit.objects.create(page=film, person=hidden, role="director")
    search = search_archive(query=f"{HIDDEN} Director")
    assert (search.people, search.people_total) == ([], 0)
    assert search_archive(query="Director", type=PEOPLE).total == 0


def test_search_archive_shows_no_person_still_a_draft(sample_archive):
    """A person credited on a visible film but not yet published is not shown."""
    draft = f.make_person("Orbit Draftperson", live=False)
    FilmCredit.objects.create(page=sample_archive.film, person=draft, role="cast")
    search = search_archive(query="Orbit Draftperson")
    assert (search.people, search.people_total) == ([], 0)


def test_search_archive_lists_people_alone_and_pages_them(sample_archive):
    """?type=person lists the matching people, PER_PAGE at a time, a page past
    the end showing the last."""
    for n in range(12):
        film = f.make_film(sample_archive.films, title=f"Orbit film {n}")
        person = f.make_person(f"Orbit Person {n:02d}")
        FilmCredit.objects.create(page=film, person=person, role="cast")
    search = search_archive(query="orbit person", type=PEOPLE)
    assert search.people_only and search.total == 12
    assert [hit.person.name for hit in search.results.object_list][:2] == [
        "Orbit Person 00",
        "Orbit Person 01",
    ]
    last = search_archive(query="orbit person", type=PEOPLE, page="99")
    assert last.results.number == 2
    assert [hit.person.name for hit in last.results.object_list] == [
        "Orbit Person 10",
        "Orbit Person 11",
    ]


def test_search_archive_sorts_by_date_newest_first_undated_last(sample_archive):
    """?sort=date orders films, events and essays by their own dates, newest
    first, pages without a date last."""
    f.make_film(sample_archive.films, title="Orbit old", date=datetime.date(2001, 1, 1))
    f.make_film(sample_archive.films, title="Orbit undated", date=None)
    f.make_essay(
        sample_archive.essays,
        title="Orbit essay",
        published_date=datetime.date(2010, 6, 1),
    )
    f.make_event(
        sample_archive.timeline, title="Orbit event", date=datetime.date(2005, 1, 1)
    )
    search = search_archive(query="orbit", sort="date")
    assert search.sort == "date"
    assert _titles(search) == [
        "Orbit essay",
        "Orbit event",
        "Orbit old",
        "Orbit undated",
    ]


def test_search_archive_ignores_odd_values_and_says_so(sample_archive):
    """An unknown sort, type or tag is ignored, and named in the outcome."""
    search = search_archive(query="wandering", sort="<b>", type="nope", tag="zzz")
    assert search.sort == "relevance" and search.type is None and search.tag is None
    assert [(odd.parameter, odd.value) for odd in search.ignored] == [
        ("type", "nope"),
        ("tag", "zzz"),
        ("sort", "<b>"),
    ]
    assert search.total == search_archive(query="wandering").total


def test_search_archive_stems_english_words_alike_on_either_database(sample_archive):
    """ "thrusters" and "thruster" find the same pages, whichever the page says."""
    f.make_essay(sample_archive.essays, title="One", paragraphs=["Rocket thrusters."])
    f.make_essay(sample_archive.essays, title="Two", paragraphs=["A thruster fails."])
    plural = set(_titles(search_archive(query="thrusters")))
    assert plural == set(_titles(search_archive(query="thruster"))) == {"One", "Two"}, (
        connection.vendor
    )


def test_search_view_shows_people_and_keeps_the_sort_in_its_links(
    client, sample_archive
):
    """People link to their pages; facet, sort and page links keep ?sort=date
    and the people facet."""
    html = client.get("/search/", {"q": "Frant Gwo", "sort": "date"}).content.decode()
    assert 'href="/people/frant-gwo/"' in html
    assert 'href="?q=Frant+Gwo&amp;sort=date&amp;type=person"' in html
    assert 'href="?q=Frant+Gwo&amp;sort=date&amp;type=film"' in html
    assert '<span aria-current="true">date, newest first</span>' in html
    people = client.get("/search/", {"q": "Gwo", "type": PEOPLE}).content.decode()
    assert "among people and institutions" in people
    assert "search-result--person" in people


def test_search_view_notes_an_odd_sort_and_drops_it_from_links(client, sample_archive):
    """?sort=<script> gives the results by relevance with an escaped note; no
    link carries the odd value on."""
    html = client.get(
        "/search/", {"q": "wandering", "sort": "<script>x</script>"}
    ).content.decode()
    assert "Results cannot be sorted by “&lt;script&gt;x&lt;/script&gt;”" in html
    assert "<script>x" not in html
    assert "sort=%3Cscript" not in html
    assert 'href="?q=wandering&amp;type=essay"' in html
