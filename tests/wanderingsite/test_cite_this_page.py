"""Pages worth citing: "Cite this page" on every public page in plain text,
BibTeX, RIS and CSL-JSON, permalinks by page id, and each essay's record of
where it first appeared and why the archive holds it."""

import datetime
import json

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Page, Site

from tests import factories as f
from wanderingsite.citing import Reference

PAGES = {
    "home": "/",
    "film index": "/films/",
    "film": "/films/the-wandering-earth/",
    "essay index": "/essays/",
    "essay": "/essays/how-china/",
    "timeline": "/timeline/",
    "event": "/timeline/strong-film-power/",
}


def _soup(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def _cite_section(response):
    return _soup(response).find(id="cite-page-heading").parent


def _root() -> str:
    """The site's address, as canonical links and permalinks give it."""
    return Site.objects.get(is_default_site=True).root_url


def _page_at(url: str) -> Page:
    return next(page for page in Page.objects.live() if page.url == url)


@pytest.mark.parametrize("name", PAGES)
def test_cite_this_page_on_every_page_type_gives_its_permalink(
    name, sample_archive, client
):
    """Film, essay, event, index and home pages each say how to cite them, by
    the permalink of their id, in plain text and the three formats."""
    url = PAGES[name]
    page = _page_at(url)
    section = _cite_section(client.get(url))
    permalink = f"{_root()}/p/{page.pk}/"
    link = section.select_one(".cite-page__permalink a")
    assert (link["href"], link.get_text()) == (f"/p/{page.pk}/", permalink)
    plain = section.select_one(".cite-page__plain").get_text()
    assert permalink in plain
    assert page.title in plain
    codes = [pre.get_text() for pre in section.select(".cite-page__code")]
    assert codes[0].startswith(("@article{", "@misc{"))
    assert codes[1].startswith("TY  - ")
    assert json.loads(codes[2])[0]["URL"] == permalink
    downloads = [a["href"] for a in section.select(".cite-page__downloads a")]
    assert downloads == [f"/p/{page.pk}/cite.{s}" for s in ("bib", "ris", "json")]


def test_cite_this_page_on_a_tag_page_cites_its_address(sample_archive, client):
    """A tag page is cited by its own address, with no downloads."""
    section = _cite_section(client.get("/tags/soft-power/"))
    assert "Tag: Soft power" in section.select_one(".cite-page__plain").get_text()
    assert section.find("a", href=f"{_root()}/tags/soft-power/") is not None
    assert section.select(".cite-page__downloads") == []


def test_cite_this_page_names_an_essay_as_published(sample_archive, client):
    """An essay is cited as its author, title, publication and date."""
    plain = _cite_section(client.get("/essays/how-china/")).select_one(
        ".cite-page__plain"
    )
    essay = sample_archive.kokas_essay
    assert plain.get_text() == (
        "Aynne Kokas. “How China is using science fiction.” The Washington Post, "
        "13 March 2019. https://example.com/how-china. Full text in The Wandering "
        f"Earth Archive, {_root()}/p/{essay.pk}/ (page last updated "
        f"{_day(essay.last_published_at)})."
    )


def test_cite_this_page_invents_no_author_and_no_date_precision(sample_archive, client):
    """An essay with no recorded author starts with its title; a month-only date
    stays a month in every format."""
    essay = sample_archive.world_essay
    section = _cite_section(client.get("/essays/planet-in-peril/"))
    assert (
        section.select_one(".cite-page__plain")
        .get_text()
        .startswith("“Planet in peril.” WORLD magazine, May 2019.")
    )
    bibtex, ris, csl = (pre.get_text() for pre in section.select(".cite-page__code"))
    assert "author" not in bibtex
    assert "month = may" in bibtex and "date = {2019-05}" in bibtex
    assert "AU  -" not in ris and "DA  - 2019/05//" in ris
    item = json.loads(csl)[0]
    assert "author" not in item
    assert item["issued"] == {"date-parts": [[2019, 5]]}
    assert item["container-title"] == "WORLD magazine"
    assert item["id"] == f"wea-{essay.pk}"


@pytest.mark.parametrize(
    ("suffix", "content_type", "start"),
    [
        ("bib", "application/x-bibtex; charset=utf-8", "@article{wea-"),
        ("ris", "application/x-research-info-systems; charset=utf-8", "TY  - GEN"),
        ("json", "application/vnd.citationstyles.csl+json; charset=utf-8", "["),
    ],
)
def test_cite_download_has_its_own_url_and_content_type(
    sample_archive, client, suffix, content_type, start
):
    """Each format downloads from its own address, as a file of its type."""
    essay = sample_archive.kokas_essay
    response = client.get(f"/p/{essay.pk}/cite.{suffix}")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == (
        f'attachment; filename="wandering-earth-archive-how-china.{suffix}"'
    )
    body = response.content.decode()
    assert body.startswith(start)
    assert f"{_root()}/p/{essay.pk}/" in body


def test_cite_download_matches_what_the_page_shows(sample_archive, client):
    """The CSL-JSON download is the one the page shows."""
    film = sample_archive.film
    shown = _cite_section(client.get(film.url)).select(".cite-page__code")[2]
    downloaded = client.get(f"/p/{film.pk}/cite.json").content.decode()
    assert json.loads(downloaded) == json.loads(shown.get_text())
    assert json.loads(downloaded)[0]["type"] == "webpage"


def test_permalink_redirects_to_the_page_where_it_is_now(sample_archive, client):
    """``/p/<id>/`` leads to the page, and still does after its slug changes."""
    film = sample_archive.film
    response = client.get(f"/p/{film.pk}/")
    assert response.status_code == 302
    assert response["Location"] == "/films/the-wandering-earth/"
    film.slug = "the-wandering-earth-2019"
    film.save_revision().publish()
    response = client.get(f"/p/{film.pk}/")
    assert response["Location"] == "/films/the-wandering-earth-2019/"


@pytest.mark.parametrize("state", f.HIDDEN_STATES)
def test_permalink_and_downloads_of_a_hidden_page_are_not_found(
    sample_archive, client, state
):
    """A draft, withdrawn or private page has no permalink and no reference."""
    page = getattr(sample_archive.hidden, f"{state}_essay")
    for url in (
        f"/p/{page.pk}/",
        *(f"/p/{page.pk}/cite.{s}" for s in ("bib", "ris", "json")),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert f.HIDDEN not in response.content.decode()


@pytest.mark.parametrize(
    "url", ["/p/1/", "/p/0/", "/p/99999999999/", "/p/99999999999/cite.bib", "/p/x/"]
)
def test_permalink_of_no_archive_page_is_not_found(sample_archive, client, url):
    """The tree's root, an id no page has, or no id at all: a 404, never a 500."""
    assert client.get(url).status_code == 404


def test_reference_escapes_what_bibtex_would_read_as_commands():
    """Ampersands, percent and braces in a title are escaped; the URL is not."""
    reference = Reference(
        key="wea-1",
        title="Soft power & 100% {hard} science_fiction",
        url="https://example.com/p/1/?a=b&c=d%20",
        genre="film",
        updated=datetime.date(2026, 1, 2),
    )
    bibtex = reference.bibtex
    assert r"Soft power \& 100\% \{hard\} science\_fiction" in bibtex
    assert "url = {https://example.com/p/1/?a=b&c=d%20}" in bibtex
    assert "year = {2026}" in bibtex


def test_reference_gives_every_author_whole_in_every_format():
    """Names are not split into family and given names the sources never give."""
    reference = Reference(
        key="wea-2",
        title="An essay",
        url="https://example.com/p/2/",
        genre="essay",
        authors=("Liu Cixin", "Marina Zhang"),
        publication="Australian Outlook",
        published=datetime.date(2023, 2, 24),
    )
    assert "author = {{Liu Cixin} and {Marina Zhang}}" in reference.bibtex
    assert "AU  - Liu Cixin\nAU  - Marina Zhang\n" in reference.ris
    assert reference.csl["author"] == [
        {"literal": "Liu Cixin"},
        {"literal": "Marina Zhang"},
    ]
    assert reference.plain_text.startswith("Liu Cixin and Marina Zhang. “An essay.”")


def _day(moment: datetime.datetime) -> str:
    return f"{moment.day} {moment:%B %Y}"
