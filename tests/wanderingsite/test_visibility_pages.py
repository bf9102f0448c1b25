"""Drafts, withdrawn and private pages appear on no public page.

The archive holds a draft, a withdrawn and a private film, event and essay,
each tagged and related like the visible pages (factories.sample_archive);
their titles all contain one word that no visible page uses.
"""

import re

import pytest

from tests.factories import HIDDEN
from tests.page_helpers import words

SURFACES = {
    "home": "/",
    "film index": "/films/",
    "film index filtered by tag": "/films/?tag=soft-power",
    "film index filtered by year": "/films/?year=2019",
    "essay index": "/essays/",
    "essay index filtered by tag": "/essays/?tag=science-fiction",
    "timeline": "/timeline/",
    "timeline filtered by tag": "/timeline/?tag=soft-power",
    "tag list": "/tags/",
    "tag page": "/tags/soft-power/",
    "film page": "/films/the-wandering-earth/",
    "essay page": "/essays/how-china/",
    "essay page from a citation": "/essays/how-china/?from=1-00000000",
    "essay page with no author": "/essays/planet-in-peril/",
    "event page": "/timeline/strong-film-power/",
    "people index": "/people/",
    "person page": "/people/wu-jing/",
    "latest RSS feed": "/feeds/latest/rss/",
    "tag RSS feed": "/tags/soft-power/feed/rss/",
    "data page": "/data/",
    "open-data export": "/data/archive.json",
    "API index": "/api/v2/",
}


@pytest.mark.parametrize("surface", SURFACES)
def test_hidden_pages_appear_on_no_public_surface(sample_archive, client, surface):
    """No draft, withdrawn or private page is named or linked."""
    response = client.get(SURFACES[surface])
    assert response.status_code == 200
    html = response.content.decode()
    assert HIDDEN not in html
    for page in vars(sample_archive.hidden).values():
        assert f'href="{page.url}"' not in html


def test_film_page_drops_facts_whose_only_source_is_hidden(sample_archive, client):
    """A cited fact whose essay the public may not read is not shown."""
    html = client.get("/films/the-wandering-earth/").content.decode()
    assert f"{HIDDEN} draft claim" not in html
    assert f"{HIDDEN} private claim" not in html
    assert "Directed by Frant Gwo" in html


def test_filter_choices_count_only_visible_pages(sample_archive, client):
    """The tag filter on the film index counts visible films only."""
    html = client.get("/films/").content.decode()
    assert '<option value="soft-power">Soft power (1)</option>' in html
    assert '<option value="2019">2019</option>' in html


def test_home_counts_only_visible_pages_in_the_tag_cloud(sample_archive, client):
    """The home page's tag counts leave hidden pages out."""
    html = client.get("/").content.decode()
    cloud = words(html[html.index('id="tags-heading"') :])
    assert "Soft power 3 pages" in cloud


def test_hidden_pages_are_not_served_to_the_public(sample_archive, client):
    """A draft or withdrawn page is not found; a private one asks for a password."""
    hidden = sample_archive.hidden
    for page in (hidden.draft_film, hidden.withdrawn_essay, hidden.draft_event):
        assert client.get(page.url).status_code == 404
    private = client.get(hidden.private_film.url).content.decode()
    assert 'name="password"' in private
    assert hidden.private_film.summary not in private


HIDDEN_ONLY_TAG = "hiddenword-tag"


@pytest.mark.parametrize(
    "path",
    [
        f"/tags/{HIDDEN_ONLY_TAG}/",
        f"/tags/{HIDDEN_ONLY_TAG.upper()}/feed/",
        f"/tags/{HIDDEN_ONLY_TAG}/feed/rss/",
    ],
)
def test_tag_only_hidden_pages_carry_is_not_found(sample_archive, client, path):
    """A tag that only drafts and private pages carry has no page and no feed."""
    assert sample_archive.tags.hidden.slug == HIDDEN_ONLY_TAG
    response = client.get(path)
    assert response.status_code == 404
    assert HIDDEN not in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/search/?q=wandering&tag=",
        "/films/?tag=",
        "/essays/?tag=",
        "/timeline/?tag=",
        "/api/v2/pages/?type=films.FilmPage&tags=",
        "/api/v2/pages/?type=essays.EssayPage&tags=",
        "/api/v2/tags/?slug=",
    ],
)
def test_tag_only_hidden_pages_carry_is_an_unknown_tag(sample_archive, client, path):
    """Asked for by filters, search and the API, such a tag answers as a tag
    that does not exist: never named, never selected, nothing filtered."""
    hidden = client.get(path + HIDDEN_ONLY_TAG)
    unknown = client.get(path + "no-such-tag")
    assert hidden.status_code == unknown.status_code == 200
    assert HIDDEN not in hidden.content.decode()
    # The same answer, but for the slug the visitor typed, which links keep.
    assert _without_nonces(hidden) == _without_nonces(unknown).replace(
        "no-such-tag", HIDDEN_ONLY_TAG
    )


def _without_nonces(response) -> str:
    return re.sub(r' nonce="[^"]*"', "", response.content.decode())
