"""The essay index and essay pages."""

import re

import pytest

from tests import factories as f
from tests.page_helpers import json_ld, main, meta, text, words

# Essay page


def test_essay_page_bylines_authors_with_their_affiliation(sample_archive, client):
    """The byline names the author and the affiliation the essay gives."""
    page = text(client.get("/essays/how-china/"))
    assert "By Aynne Kokas (University of Virginia)" in page


def test_essay_page_says_when_the_author_is_not_recorded(sample_archive, client):
    """An essay without a recorded author says so."""
    assert "Author not recorded" in text(client.get("/essays/planet-in-peril/"))


def test_essay_page_shows_publication_note_and_date_at_precision(
    sample_archive, client
):
    """Publication, its note and the date as precise as the source are shown."""
    day = text(client.get("/essays/how-china/"))
    assert "Publication The Washington Post Outlook section." in day
    assert "Published 13 March 2019" in day
    month = client.get("/essays/planet-in-peril/").content.decode()
    assert '<time datetime="2019-05">May 2019</time>' in month
    assert "(month only)" in month


def test_essay_page_links_the_source_or_says_it_is_not_recorded(sample_archive, client):
    """A recorded source URL is a link; a missing one is named as missing."""
    with_url = client.get("/essays/how-china/").content.decode()
    assert 'href="https://example.com/how-china"' in with_url
    assert "Source URL not recorded" in text(client.get("/essays/planet-in-peril/"))


def test_essay_page_gives_every_paragraph_its_anchor(sample_archive, client):
    """Each body paragraph carries id="p<n>" so citations can point at it."""
    html = main(client.get("/essays/how-china/"))
    ids = re.findall(r'<div class="paragraph" id="([^"]+)">', html)
    assert ids == ["p1", "p2", "p3"]


def test_essay_page_headings_are_h2_with_ids(sample_archive, client):
    """Section headings become h2 elements with an anchor of their own."""
    f.make_essay(
        sample_archive.essays,
        title="With headings",
        slug="with-headings",
        body=[
            ("heading", {"text": "China's global strategy", "anchor": "strategy"}),
            ("paragraph", {"text": "<p>Words.</p>", "anchor": "p1"}),
        ],
    )
    html = main(client.get("/essays/with-headings/"))
    assert (
        '<h2 class="body-heading" id="strategy">China&#x27;s global strategy</h2>'
        in (html)
    )


def test_essay_page_paragraph_without_anchor_gets_one_from_its_block(
    sample_archive, client
):
    """A paragraph saved with a blank anchor still carries a stable id."""
    essay = f.make_essay(
        sample_archive.essays,
        title="Blank anchors",
        slug="blank-anchors",
        body=[("paragraph", {"text": "<p>Words.</p>", "anchor": ""})],
    )
    block_id = essay.body[0].id
    html = main(client.get("/essays/blank-anchors/"))
    assert f'id="p-{block_id[:8]}"' in html


def test_essay_page_lists_films_events_and_tags(sample_archive, client):
    """Films discussed, events mentioned and tags each have their list."""
    html = main(client.get("/essays/how-china/"))
    films = html[html.index('id="films-heading"') : html.index('id="events-heading"')]
    events = html[html.index('id="events-heading"') : html.index('id="tags-heading"')]
    assert 'href="/films/the-wandering-earth/"' in films
    assert 'href="/timeline/regulators-merged/"' in events
    assert 'href="/timeline/strong-film-power/"' in events
    assert 'href="/tags/soft-power/"' in html[html.index('id="tags-heading"') :]


def test_essay_page_describes_itself_as_an_article(sample_archive, client):
    """JSON-LD says Article, with author, publisher, date and the film it is about."""
    data = json_ld(client.get("/essays/how-china/"))
    assert data["@type"] == "Article"
    assert data["headline"] == "How China is using science fiction"
    root = data["url"].removesuffix("/essays/how-china/")
    assert data["author"] == [
        {"@type": "Person", "name": "Aynne Kokas", "url": f"{root}/people/aynne-kokas/"}
    ]
    assert data["publisher"] == {
        "@type": "Organization",
        "name": "The Washington Post",
    }
    assert data["datePublished"] == "2019-03-13"
    assert data["about"] == [{"@type": "Movie", "name": "The Wandering Earth"}]


def test_essay_page_without_author_leaves_author_out_of_json_ld(sample_archive, client):
    """No author is invented for structured data either."""
    data = json_ld(client.get("/essays/planet-in-peril/"))
    assert "author" not in data
    assert data["datePublished"] == "2019-05"


def test_essay_page_has_article_opengraph_and_canonical(sample_archive, client):
    """OpenGraph type is article and the canonical URL is the essay's."""
    response = client.get("/essays/how-china/")
    assert meta(response, "property", "og:type") == "article"
    assert meta(response, "link", "canonical").endswith("/essays/how-china/")


# Essay index


def test_essay_index_lists_essays_latest_first_with_authors(sample_archive, client):
    """Essays come latest first; each card names its authors or says none is known."""
    listing = main(client.get("/essays/"))
    assert listing.index('href="/essays/planet-in-peril/"') < listing.index(
        'href="/essays/how-china/"'
    )
    assert "Aynne Kokas" in words(listing)
    assert "Author not recorded" in words(listing)


def test_essay_index_filters_by_tag_and_author(sample_archive, client):
    """?tag= and ?author= narrow the list, and the heading says how."""
    by_tag = main(client.get("/essays/?tag=box-office"))
    assert 'href="/essays/planet-in-peril/"' in by_tag
    assert 'href="/essays/how-china/"' not in by_tag
    by_author = main(client.get("/essays/?author=aynne-kokas"))
    assert 'href="/essays/how-china/"' in by_author
    assert 'href="/essays/planet-in-peril/"' not in by_author
    assert "1 essay by Aynne Kokas" in words(by_author)


def test_essay_index_is_noindex_when_filtered(sample_archive, client):
    """A filtered essay listing is kept out of search engines."""
    assert meta(client.get("/essays/?author=aynne-kokas"), "name", "robots") == (
        "noindex, follow"
    )
    assert meta(client.get("/essays/"), "name", "robots") is None


@pytest.mark.parametrize(
    "query",
    [
        "?page=-1",
        "?page=abc",
        "?page=999999",
        "?author=%3Cscript%3Ealert(1)%3C/script%3E",
        "?tag=%3Cscript%3E&author=nobody&page=0",
    ],
)
def test_essay_index_survives_odd_query_strings(sample_archive, client, query):
    """Odd values give a page, never an error, and are never echoed as markup."""
    response = client.get(f"/essays/{query}")
    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()
