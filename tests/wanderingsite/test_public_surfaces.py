"""Public surfaces under odd input and unusual data."""

import importlib

import pytest
from django.apps import apps as django_apps
from wagtail.models import Site

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


def test_absolute_links_use_the_configured_base_url(client, indexes, settings):
    """Canonical and OpenGraph URLs, the sitemap and the API's html_url all
    start with WAGTAILADMIN_BASE_URL, where the site is served, not with the
    placeholder address the home page migration gave the site."""
    film = f.make_film(indexes["films"], title="The Wandering Earth")
    base = settings.WAGTAILADMIN_BASE_URL
    assert Site.objects.get(is_default_site=True).root_url == base

    page = client.get("/films/the-wandering-earth/").content.decode()
    assert f'<link rel="canonical" href="{base}/films/the-wandering-earth/">' in page
    assert f'content="{base}/films/the-wandering-earth/"' in page
    sitemap = client.get("/sitemap.xml").content.decode()
    assert f"<loc>{base}/films/the-wandering-earth/</loc>" in sitemap
    detail = client.get(f"/api/v2/pages/{film.pk}/").json()
    assert detail["meta"]["html_url"] == f"{base}/films/the-wandering-earth/"


def _site_address_migration():
    return importlib.import_module(
        "wanderingsite.migrations.0005_site_address_from_base_url"
    )


def test_site_address_migration_keeps_an_address_set_in_the_admin(db, settings):
    """Only the placeholder localhost:80 is replaced by the base URL's host and
    port; an address set in the admin stays."""
    migration = _site_address_migration()
    site = Site.objects.get(is_default_site=True)
    Site.objects.filter(pk=site.pk).update(hostname="localhost", port=80)
    settings.WAGTAILADMIN_BASE_URL = "https://archive.example.org"
    migration.use_base_url(django_apps, None)
    site.refresh_from_db()
    assert (site.hostname, site.port) == ("archive.example.org", 443)

    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
    migration.use_base_url(django_apps, None)
    site.refresh_from_db()
    assert (site.hostname, site.port) == ("archive.example.org", 443)
