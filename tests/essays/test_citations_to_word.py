"""Citations to the word: a citation lands on the quoted words themselves; the
essay names the facts that quote it, links the films it names, and keeps its
words as they were."""

import pytest
from bs4 import BeautifulSoup

from essays.models import FilmCitation, fact_digest
from tests import factories as f
from wanderingsite.quotes import normalise, quote_id


def _soup(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


# The sample archive


def test_citation_link_targets_the_quoted_words(sample_archive, client):
    """A fact's link goes to the id of its quoted words, and names the fact."""
    soup = _soup(client.get("/films/the-wandering-earth/"))
    link = soup.select_one(".fact__source a")
    film = sample_archive.film
    digest = fact_digest("Directed by Frant Gwo", "directed by Frant Gwo")
    assert link["href"] == (
        f"/essays/how-china/?from={film.pk}-{digest}"
        f"#{quote_id('p1', 'directed by Frant Gwo')}"
    )


def test_essay_page_wraps_only_the_quoted_words_in_the_target(sample_archive, client):
    """The element a citation targets holds the quoted words, not the paragraph."""
    soup = _soup(client.get("/essays/how-china/"))
    target = soup.find(id=quote_id("p1", "directed by Frant Gwo"))
    assert target.name == "span"
    assert "cited" in target["class"]
    assert target.get_text() == "directed by Frant Gwo"
    paragraph = soup.find(id="p1")
    assert paragraph.select_one(".paragraph__text").get_text() == (
        "The Wandering Earth, directed by Frant Gwo."
    )


def test_essay_page_marks_every_visible_citation_of_its_words(sample_archive, client):
    """Facts of films and events and box-office figures each mark their words."""
    soup = _soup(client.get("/essays/how-china/"))
    for anchor, quote in [
        ("p1", "directed by Frant Gwo"),
        ("p2", "over $600 million in domestic sales"),
        ("p3", "a plan for a strong film power"),
    ]:
        target = soup.find(id=quote_id(anchor, quote))
        assert target is not None, quote
        assert normalise(target.get_text()) == normalise(quote)


def test_essay_page_marks_no_words_of_a_hidden_page(sample_archive, client):
    """A draft, withdrawn or private page's fact neither marks words nor is listed."""
    hidden = sample_archive.hidden
    for state in ("draft_film", "withdrawn_film", "private_film"):
        FilmCitation.objects.create(
            page=getattr(hidden, state),
            claim=f"{f.HIDDEN} fact of {state}",
            essay=sample_archive.kokas_essay,
            quote="Wang laid out a plan",
            anchor="p3",
        )
    response = client.get("/essays/how-china/")
    soup = _soup(response)
    assert soup.find(id=quote_id("p3", "Wang laid out a plan")) is None
    assert f.HIDDEN not in response.content.decode()


def test_essay_page_lists_the_facts_citing_it_paragraph_by_paragraph(
    sample_archive, client
):
    """Each cited paragraph heads the facts that quote it, each linked back."""
    soup = _soup(client.get("/essays/how-china/"))
    section = soup.find(id="citing-heading").parent
    groups = {
        heading["id"]: heading.find_next_sibling("ul")
        for heading in section.select(".citing__paragraph")
    }
    assert list(groups) == ["cited-p1", "cited-p2", "cited-p3"]
    film, plan = sample_archive.film, sample_archive.plan
    first = groups["cited-p1"].find("a")
    assert first.get_text() == "Directed by Frant Gwo"
    digest = fact_digest("Directed by Frant Gwo", "directed by Frant Gwo")
    assert first["href"] == f"{film.url}#fact-{digest}"
    assert groups["cited-p2"].find("a")["href"] == f"{film.url}#box-office-heading"
    assert plan.url in groups["cited-p3"].find("a")["href"]
    words = groups["cited-p1"].select_one(".citing__words")
    assert words["href"] == f"#{quote_id('p1', 'directed by Frant Gwo')}"


def test_paragraph_tools_count_the_facts_citing_it(sample_archive, client):
    """A cited paragraph says how many facts quote it and links to them."""
    soup = _soup(client.get("/essays/how-china/"))
    tools = soup.find(id="p1").select_one(".paragraph__tools")
    facts = tools.select_one(".paragraph__facts")
    assert facts.get_text() == "1 fact cites it"
    assert facts["href"] == "#cited-p1"
    assert tools.select_one(".paragraph__link")["href"] == "#p1"


def test_film_page_gives_each_fact_the_anchor_its_essay_links_back_to(
    sample_archive, client
):
    """The fact's id on its page is the one the essay's "back to the fact" uses."""
    soup = _soup(client.get("/films/the-wandering-earth/"))
    digest = fact_digest("Directed by Frant Gwo", "directed by Frant Gwo")
    fact = soup.find(id=f"fact-{digest}")
    assert fact is not None
    assert "Directed by Frant Gwo" in fact.get_text()
    assert soup.find(id="box-office-heading") is not None


def test_essay_banner_names_the_essay_and_leads_back_to_the_fact(
    sample_archive, client
):
    """Arriving from a citation, a banner names the essay and the fact, with a
    link back to the fact and one to the words."""
    film = sample_archive.film
    digest = fact_digest("Directed by Frant Gwo", "directed by Frant Gwo")
    response = client.get(f"/essays/how-china/?from={film.pk}-{digest}")
    banner = _soup(response).select_one(".cite-banner")
    text = " ".join(banner.get_text().split())
    assert "How China is using science fiction" in text
    assert "by Aynne Kokas, The Washington Post, 13 March 2019" in text
    assert "“Directed by Frant Gwo” on The Wandering Earth (film)" in text
    back = banner.find("a", string="Back to the fact")
    assert back["href"] == f"/films/the-wandering-earth/#fact-{digest}"
    words = banner.find("a", string="Show the quoted words")
    assert words["href"] == f"#{quote_id('p1', 'directed by Frant Gwo')}"
    assert "cite-banner--target" not in banner["class"]


def test_essay_banner_from_a_citation_keeps_the_page_out_of_search_engines(
    sample_archive, client
):
    """The essay with a citation's banner is noindex; its canonical URL is plain."""
    film = sample_archive.film
    digest = fact_digest("Directed by Frant Gwo", "directed by Frant Gwo")
    soup = _soup(client.get(f"/essays/how-china/?from={film.pk}-{digest}"))
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex, follow"
    assert soup.find("link", rel="canonical")["href"].endswith("/essays/how-china/")


@pytest.mark.parametrize(
    "value",
    ["", "1-00000000", "abc", "<script>alert(1)</script>", "9" * 40 + "-deadbeef"],
)
def test_essay_banner_without_a_known_fact_only_shows_on_a_target(
    sample_archive, client, value
):
    """A ``from`` that names no fact gives the essay with the banner that shows
    only while quoted words are the target, never the value itself."""
    response = client.get("/essays/how-china/", {"from": value})
    soup = _soup(response)
    banner = soup.select_one(".cite-banner")
    assert "cite-banner--target" in banner["class"]
    assert "<script>alert" not in response.content.decode()


def test_essay_page_keeps_a_target_for_a_quote_its_words_no_longer_hold(
    sample_archive, client
):
    """A fact whose quote the essay no longer holds still lands on its paragraph."""
    FilmCitation.objects.create(
        page=sample_archive.film,
        claim="A claim whose words were edited away",
        essay=sample_archive.kokas_essay,
        quote="words the essay no longer has",
        anchor="p2",
    )
    soup = _soup(client.get("/essays/how-china/"))
    target = soup.find(id=quote_id("p2", "words the essay no longer has"))
    assert target is not None
    assert target.get_text() == ""
    assert target.find_parent(id="p2") is not None


def test_essay_page_links_a_visible_film_named_in_its_text(sample_archive, client):
    """The first mention of a public film in a paragraph links to its page."""
    soup = _soup(client.get("/essays/planet-in-peril/"))
    paragraph = soup.find(id="p2").select_one(".paragraph__text")
    link = paragraph.find("a", class_="film-link")
    assert link.get_text() == "The Wandering Earth"
    assert link["href"] == "/films/the-wandering-earth/"


def test_essay_page_links_the_longest_title_a_mention_matches(sample_archive, client):
    """ "The Wandering Earth II" links to the sequel, not to the first film."""
    f.make_essay(
        sample_archive.essays,
        title="Both films",
        slug="both-films",
        paragraphs=("The Wandering Earth II follows The Wandering Earth.",),
    )
    links = _soup(client.get("/essays/both-films/")).select(".film-link")
    assert [(a.get_text(), a["href"]) for a in links] == [
        ("The Wandering Earth II", "/films/the-wandering-earth-ii/"),
        ("The Wandering Earth", "/films/the-wandering-earth/"),
    ]


def test_essay_page_leaves_hidden_films_and_plain_words_unlinked(
    sample_archive, client
):
    """A draft, withdrawn or private film's title, and a title inside a longer
    word, stay plain text."""
    f.make_essay(
        sample_archive.essays,
        title="Hidden films named",
        slug="hidden-films-named",
        paragraphs=(
            f"{f.HIDDEN} draft film, {f.HIDDEN} withdrawn film, "
            f"{f.HIDDEN} private film and Interstellars.",
        ),
    )
    soup = _soup(client.get("/essays/hidden-films-named/"))
    assert soup.select(".film-link") == []
