"""The home page: what the archive is, and a way into every part of it."""

from tests.page_helpers import json_ld, meta, words


def _section(response, heading_id: str) -> str:
    html = response.content.decode()
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</section>", start)]


def test_home_shows_the_featured_film(sample_archive, client):
    """The film the editors chose is featured, with its original title."""
    featured = _section(client.get("/"), "featured-heading")
    assert 'href="/films/the-wandering-earth/"' in featured
    assert "流浪地球" in featured


def test_home_features_the_latest_film_when_the_chosen_one_is_hidden(
    sample_archive, client
):
    """A withdrawn featured film gives way to the latest visible film."""
    sample_archive.film.unpublish()
    featured = _section(client.get("/"), "featured-heading")
    assert 'href="/films/the-wandering-earth-ii/"' in featured


def test_home_lists_the_latest_essays(sample_archive, client):
    """The latest essays appear, newest first."""
    essays = _section(client.get("/"), "essays-heading")
    assert essays.index('href="/essays/planet-in-peril/"') < essays.index(
        'href="/essays/how-china/"'
    )


def test_home_teases_the_timeline(sample_archive, client):
    """The most recent timeline entries appear, oldest first, with a link onward."""
    teaser = _section(client.get("/"), "timeline-heading")
    assert teaser.index('href="/timeline/strong-film-power/"') < teaser.index(
        'href="/films/the-wandering-earth-ii/"'
    )
    assert 'href="/timeline/"' in teaser


def test_home_shows_the_tag_cloud_with_counts(sample_archive, client):
    """Each used tag appears with how many visible pages carry it."""
    cloud = words(_section(client.get("/"), "tags-heading"))
    # Science fiction: 3 films and 2 essays.
    assert "Science fiction 5 pages" in cloud
    assert "Film policy 4 pages" in cloud


def test_home_links_to_every_index(sample_archive, client):
    """Films, essays, timeline and tags are each one link away."""
    html = client.get("/").content.decode()
    sections = html[html.index('aria-label="Sections of the archive"') :]
    for href in ("/films/", "/essays/", "/timeline/", "/tags/"):
        assert f'href="{href}"' in sections


def test_home_describes_the_website(sample_archive, client):
    """JSON-LD says WebSite with a search action; title and description are set."""
    response = client.get("/")
    data = json_ld(response)
    assert data["@type"] == "WebSite"
    assert data["potentialAction"]["target"].endswith("/search/?q={search_term_string}")
    assert meta(response, "name", "description") == sample_archive.home.summary
    assert meta(response, "property", "og:type") == "website"
    assert "<title>The Wandering Earth Archive</title>" in response.content.decode()
