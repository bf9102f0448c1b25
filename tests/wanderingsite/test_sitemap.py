import datetime
import xml.etree.ElementTree as ET

from tests.factories import HIDDEN

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _urls(client) -> dict[str, str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 - the site's own sitemap
    return {
        url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod")
        for url in root.findall(f"{SITEMAP}url")
    }


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


def test_sitemap_lastmod_follows_the_last_publication(client, sample_archive):
    """Publishing again moves a page's lastmod to the new publication."""
    later = datetime.datetime(2030, 5, 17, tzinfo=datetime.UTC)
    sample_archive.film.last_published_at = later
    sample_archive.film.save(update_fields=["last_published_at"])
    assert _urls(client)[sample_archive.film.get_full_url()] == "2030-05-17"


def test_sitemap_leaves_out_hidden_pages(client, sample_archive):
    """Drafts, withdrawn and private pages are not in the sitemap."""
    body = client.get("/sitemap.xml").content.decode()
    for page in sample_archive.hidden:
        assert f"/{page.slug}/" not in body
    assert HIDDEN not in body


# How many queries the sitemap costs as the archive grows: test_query_counts.py.
