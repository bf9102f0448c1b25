"""Citations to the word and pages worth citing, on the real archive loaded
from the fixtures: the essays' words kept, every quote marked, the films they
name linked, and where each essay first appeared."""

import tomllib

from bs4 import BeautifulSoup

from essays.models import BoxOfficeFigure, EssayPage, EventCitation, FilmCitation
from tests.archive_fixtures import FIXTURES, source_sentences
from wanderingsite.quotes import block_text, normalise


def _soup(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_essay_body_is_the_documents_words_word_for_word(loaded_archive, client):
    """Marked and linked, each essay's body text is its stored words, character
    for character, and those are its document's words."""
    essays = tomllib.loads((FIXTURES / "essays.toml").read_text("utf-8"))["essay"]
    for record in essays:
        essay = EssayPage.objects.get(slug=record["slug"])
        body = _soup(client.get(essay.url)).select_one(".essay-body")
        shown = [e.get_text("") for e in body.select(".paragraph__text, .body-heading")]
        stored = [
            block_text(block)
            for block in essay.body
            if block.block_type in ("paragraph", "heading")
        ]
        assert shown == stored
        headings = [h.get_text("") for h in body.select(".body-heading")]
        assert headings == record.get("layout", {}).get("headings", [])
        paragraphs = [p.get_text("") for p in body.select(".paragraph__text")]
        assert normalise(" ".join(paragraphs)) == " ".join(
            source_sentences(record["document"])
        )


def test_essay_quotes_of_the_archive_are_each_marked_word_for_word(
    loaded_archive, client
):
    """Every fact's quote is marked on its essay page, and the mark holds
    exactly the quoted words: in one element, or where another quote crosses
    it, in the element the link targets and the parts that continue it."""
    soups = {}
    for model in (FilmCitation, EventCitation, BoxOfficeFigure):
        for citation in model.objects.select_related("essay"):
            essay = citation.essay
            if essay.pk not in soups:
                soups[essay.pk] = _soup(client.get(essay.url))
            target = soups[essay.pk].find(id=citation.quote_id)
            assert target is not None, citation.quote
            assert _marked_words(target, citation.quote) == normalise(citation.quote)


def test_essay_of_the_archive_links_the_films_it_names(loaded_archive, client):
    """Wolf Warrior 2 and Monster Hunt, named in the essays, link to their pages."""
    kokas = _soup(client.get("/essays/china-science-fiction-beijing-vision/"))
    linked = {(a.get_text(), a["href"]) for a in kokas.select(".film-link")}
    assert ("Wolf Warrior 2", "/films/wolf-warrior-2/") in linked
    assert ("Monster Hunt", "/films/monster-hunt/") in linked
    assert ("The Wandering Earth", "/films/the-wandering-earth/") in linked
    zhang = _soup(client.get("/essays/wandering-earth-ii-soft-power/"))
    first = zhang.find(id="p1").select_one(".film-link")
    assert first.get_text() == "The Wandering Earth II"
    assert first["href"] == "/films/the-wandering-earth-ii/"


def test_essay_page_says_where_it_first_appeared_and_why_the_archive_holds_it(
    loaded_archive, client
):
    """Publication, date, original address or that none is recorded, the terms
    (not recorded), and the archive's reason for holding the text."""
    for slug, address in [
        (
            "planet-in-peril",
            "https://world.wng.org/2019/05/planet_in_peril",
        ),
        ("wandering-earth-ii-soft-power", None),
    ]:
        essay = EssayPage.objects.get(slug=slug)
        section = _soup(client.get(essay.url)).find(id="provenance-heading").parent
        rows = {
            dt.get_text(): " ".join(dd.get_text().split())
            for dt, dd in zip(section.select("dt"), section.select("dd"), strict=True)
        }
        assert rows["First appeared in"].startswith(essay.publication)
        if address:
            assert rows["Original address"] == address
        else:
            assert rows["Original address"] == "Not recorded in the archive's sources"
        assert rows["Terms of reproduction"] == "Not recorded in the archive's sources"
        assert rows["Why the archive holds it"] == " ".join(essay.provenance.split())
        assert "word for word" in essay.provenance
    month_only = EssayPage.objects.get(slug="planet-in-peril")
    section = _soup(client.get(month_only.url)).find(id="provenance-heading").parent
    assert "Author not recorded in the archive's sources" in section.get_text()
    assert "May 2019" in section.get_text()


def _marked_words(target, quote: str) -> str:
    """The words of ``target`` and, while they fall short of ``quote``, of the
    continued parts of its split mark that follow it (contiguous text)."""
    wanted = normalise(quote)
    text = target.get_text()
    for part in target.find_all_next("span", class_="cited--continued"):
        if normalise(text) == wanted or not wanted.startswith(normalise(text)):
            break
        text += part.get_text()
    return normalise(text)
