"""Public surfaces under odd input and unusual data."""

import pytest

from tests import factories as f


@pytest.fixture
def indexes(home_page):
    return f.archive_indexes(home_page)


@pytest.mark.parametrize("name", ["科幻 电影", "Café society"])
def test_tag_page_serves_a_tag_whose_slug_is_not_ascii(client, indexes, name):
    """A Chinese or accented tag has a slug in its own script, and its page,
    linked from the tag list and the film, answers at that slug."""
    film = f.make_film(indexes["films"], title="The Wandering Earth", tags=[name])
    tag = film.tags.get()
    assert not tag.slug.isascii()

    listed = client.get("/tags/").content.decode()
    assert f'href="{tag.get_absolute_url()}"' in listed
    response = client.get(tag.get_absolute_url())
    assert response.status_code == 200
    assert "The Wandering Earth" in response.content.decode()


@pytest.mark.parametrize(
    "slug", ["nope", "%00", "box-office%00", "a" * 101, "..", "%E2%80%AE"]
)
def test_tag_page_answers_an_unknown_or_impossible_slug_with_404(client, indexes, slug):
    """A slug no tag has, or none could have, is the site's 404 page."""
    f.make_film(indexes["films"], tags=["Box office"])
    assert client.get(f"/tags/{slug}/").status_code == 404


@pytest.mark.parametrize("endpoint", ["pages", "tags", "images", "documents"])
def test_api_refuses_an_offset_larger_than_the_database_holds(
    client, indexes, endpoint
):
    """?offset= past what a database integer holds is a 400 with a message."""
    f.make_film(indexes["films"], tags=["Box office"])
    response = client.get(f"/api/v2/{endpoint}/", {"offset": "9" * 23})
    assert response.status_code == 400
    assert "offset" in response.json()["message"]


def test_api_offset_past_the_end_is_an_empty_page(client, indexes):
    """A large offset the database can hold gives no items, not an error."""
    f.make_film(indexes["films"])
    response = client.get("/api/v2/pages/", {"offset": 2**31 - 1})
    assert response.status_code == 200
    assert response.json()["items"] == []


@pytest.mark.parametrize("site", ["localhost:x", "localhost:\r\nSet-Cookie:x=1"])
def test_api_refuses_a_site_whose_port_is_not_a_number(client, indexes, site):
    """?site=host:port with a port that is not a number is a 400, not a 500."""
    response = client.get("/api/v2/pages/", {"site": site})
    assert response.status_code == 400
    assert "site" in response.json()["message"]
