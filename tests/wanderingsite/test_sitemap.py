import datetime
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest

from tests import factories as f
from tests.factories import HIDDEN
from wanderingsite.sitemaps import ArchiveSitemap

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _xml(client, url: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)  # noqa: S314 - the site's own sitemap


def _path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def _sections(client) -> list[str]:
    """The paths (and page numbers) of the sitemaps the index lists."""
    return [
        _path(loc.text) for loc in _xml(client, "/sitemap.xml").iter(f"{SITEMAP}loc")
    ]


def _urls(client) -> dict[str, str]:
    """Every address of every section page the index names, with its lastmod."""
    urls = {}
    for section in _sections(client):
        root = _xml(client, section)
        for url in root.findall(f"{SITEMAP}url"):
            urls[url.findtext(f"{SITEMAP}loc")] = url.findtext(f"{SITEMAP}lastmod")
    return urls


def test_sitemap_is_an_index_of_sections_by_type_tags_and_other_pages(
    client, sample_archive, settings
):
    """/sitemap.xml names one sitemap per archive type, one for the tags, one
    for the people and one for the other pages, on the site's address."""
    index = client.get("/sitemap.xml").content.decode()
    assert f"<loc>{settings.WAGTAILADMIN_BASE_URL}/sitemap-films.xml</loc>" in index
    assert _sections(client) == [
        "/sitemap-pages.xml",
        "/sitemap-films.xml",
        "/sitemap-essays.xml",
        "/sitemap-events.xml",
        "/sitemap-tags.xml",
        "/sitemap-people.xml",
    ]


def test_sitemap_lists_every_live_public_page_with_its_last_change(
    client, sample_archive, home_page
):
    """Home, indexes, films, essays and events are listed with a lastmod."""
    urls = _urls(client)
    assert home_page.get_full_url() in urls
    for page in [
        sample_archive.films,
        sample_archive.essays,
        sample_archive.timeline,
        *sample_archive.visible,
    ]:
        page.refresh_from_db()
        location = page.get_full_url()
        assert location in urls
        assert urls[location] == page.last_published_at.date().isoformat()


def test_sitemap_lists_the_tags_visible_pages_carry(client, sample_archive):
    """Each tag on a visible page has its page in the tags section; a tag only
    hidden pages carry has none."""
    urls = _urls(client)
    assert any(_path(url) == "/tags/soft-power/" for url in urls)
    assert not any(sample_archive.hidden_only_tag.slug in url for url in urls)


def test_sitemap_lastmod_follows_the_last_publication(client, sample_archive):
    """Publishing again moves a page's lastmod to the new publication."""
    later = datetime.datetime(2030, 5, 17, tzinfo=datetime.UTC)
    sample_archive.film.last_published_at = later
    sample_archive.film.save(update_fields=["last_published_at"])
    assert _urls(client)[sample_archive.film.get_full_url()] == "2030-05-17"


def test_sitemap_leaves_out_hidden_pages(client, sample_archive):
    """Drafts, withdrawn and private pages are in no section."""
    for section in _sections(client):
        body = client.get(section).content
        for page in sample_archive.hidden:
            assert f"/{page.slug}/" not in body.decode()
        assert HIDDEN not in body.decode()


def test_sitemap_section_past_its_limit_continues_on_numbered_pages(
    client, sample_archive, monkeypatch
):
    """A section longer than the limit is split into ?p=2 and on, each page
    listed in the index, every film on exactly one of them."""
    monkeypatch.setattr(ArchiveSitemap, "limit", 2)
    for n in range(3):
        f.make_film(sample_archive.films, title=f"Sitemap film {n}")
    film_pages = [s for s in _sections(client) if s.startswith("/sitemap-films.xml")]
    assert film_pages[:2] == ["/sitemap-films.xml", "/sitemap-films.xml?p=2"]
    locations = []
    for section in film_pages:
        root = _xml(client, section)
        found = [loc.text for loc in root.iter(f"{SITEMAP}loc")]
        assert len(found) <= 2
        locations += found
    assert len(locations) == len(set(locations))
    assert any("/films/sitemap-film-2/" in loc for loc in locations)


@pytest.mark.parametrize(
    "path", ["/sitemap-films.xml?p=abc", "/sitemap-films.xml?p=99", "/sitemap-x.xml"]
)
def test_sitemap_section_page_that_does_not_exist_is_not_found(
    client, sample_archive, path
):
    """An unknown section, or a page number that is no number or past the
    last page, is a 404."""
    assert client.get(path).status_code == 404


# How many queries the sitemap costs as the archive grows: test_query_counts.py.
