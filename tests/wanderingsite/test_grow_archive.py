"""``manage.py grow_archive``: synthetic pages, on benchmark databases only.

pytest-django's databases are named ``test_<name>`` (or are in memory on
SQLite), so the default rule, a name beginning with ``bench`` or
``wa_bench``, never holds in a test. Tests that grow an archive set
``BENCHMARK_DATABASE_PATTERN`` to the test database's own name, as a
benchmark machine's settings could; the refusals use the default rule.
"""

import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Page, Revision
from wagtail.search.models import IndexEntry

from essays.models import EssayPage, EventCitation, FilmCitation
from films.models import FilmPage, PolicyEventPage
from tests import factories
from wanderingsite.models import ArchiveTag, Person, SearchTerm
from wanderingsite.quotes import find_anchor
from wanderingsite.services.synthetic import SYNTHETIC_PREFIX, database_name

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SYNTHETIC = {"slug__startswith": SYNTHETIC_PREFIX}


@pytest.fixture
def indexes(home_page):
    return factories.archive_indexes(home_page)


@pytest.fixture
def benchmark_database(settings):
    settings.BENCHMARK_DATABASE_PATTERN = f"^{re.escape(database_name())}$"


def _grow(pages: int, seed: int = 9) -> str:
    out = []

    class Out:
        def write(self, text):
            out.append(text)

        def flush(self):
            pass

    call_command("grow_archive", pages=pages, seed=seed, stdout=Out())
    return "".join(out)


def _row_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Page, Revision, ArchiveTag, Person, IndexEntry)
    }


def _synthetic(model) -> list:
    return list(model.objects.filter(**SYNTHETIC).order_by("path"))


def _paths(client, url: str) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    return set(re.findall(r'href="(/[^"#?]*)', response.content.decode()))


def test_grow_archive_refuses_outside_a_benchmark_database(indexes):
    """Named as no benchmark database is, the database gets no row at all."""
    before = _row_counts()
    with pytest.raises(CommandError, match="not a benchmark database"):
        _grow(10)
    assert _row_counts() == before


def test_grow_archive_refuses_under_a_deployments_settings(
    indexes, benchmark_database, settings
):
    """Settings without local users (production's) refuse even a benchmark name."""
    settings.LOCAL_USERS = False
    before = _row_counts()
    with pytest.raises(CommandError, match="benchmarks on this machine only"):
        _grow(10)
    assert _row_counts() == before


def test_grow_archive_creates_pages_of_each_kind_as_wagtail_would(
    indexes, benchmark_database
):
    """30 pages: 6 films, 15 essays, 9 events, each live on its latest revision,
    in a valid tree, indexed for search and tagged "synthetic"."""
    factories.make_tag("Science fiction")
    output = _grow(30)
    assert "30 synthetic pages (6 films, 15 essays, 9 events)" in output
    pages = [
        *_synthetic(FilmPage),
        *_synthetic(EssayPage),
        *_synthetic(PolicyEventPage),
    ]
    assert [len(_synthetic(m)) for m in (FilmPage, EssayPage, PolicyEventPage)] == [
        6,
        15,
        9,
    ]
    assert all(problems == [] for problems in Page.find_problems())
    for page in pages:
        assert page.live and page.live_revision_id == page.latest_revision_id
        assert page.get_latest_revision().as_object().title == page.title
        assert page.url_path == f"{page.get_parent().url_path}{page.slug}/"
        assert "synthetic" in {tag.slug for tag in page.tags.all()}
    indexed = set(IndexEntry.objects.values_list("object_id", flat=True))
    assert {str(page.pk) for page in pages} <= indexed


def test_grow_archive_fills_the_search_lexicon_with_the_new_pages(
    indexes, benchmark_database
):
    """Spelling corrections know the grown pages' titles, as they would had
    each page been published."""
    _grow(6)
    titles = {page.title.lower() for page in _synthetic(FilmPage)}
    terms = set(SearchTerm.objects.values_list("term", flat=True))
    assert titles and titles <= terms


def test_grow_archive_citations_quote_paragraphs_of_synthetic_essays(
    indexes, benchmark_database, client
):
    """Every citation's quote is in the synthetic essay paragraph it links to."""
    _grow(30)
    citations = [
        *FilmCitation.objects.select_related("essay"),
        *EventCitation.objects.select_related("essay"),
    ]
    assert citations
    for citation in citations:
        assert citation.essay.slug.startswith(SYNTHETIC_PREFIX)
        assert find_anchor(citation.essay.body, citation.quote) == citation.anchor
    film = citations[0].page
    assert citations[0].get_url() in client.get(film.url).content.decode()


def test_grow_archive_pages_render_and_show_on_the_public_surfaces(
    indexes, benchmark_database, client
):
    """Each page renders and is listed in its index, on the "synthetic" tag
    page and in the sitemap, and searching for its title finds it."""
    _grow(30)
    films, essays, events = (
        _synthetic(m) for m in (FilmPage, EssayPage, PolicyEventPage)
    )
    listed = {
        "films": _paths(client, "/films/"),
        "essays": _paths(client, "/essays/") | _paths(client, "/essays/?page=2"),
        "timeline": _paths(client, "/timeline/"),
    }
    tag_page = _paths(client, "/tags/synthetic/")
    index = ET.fromstring(client.get("/sitemap.xml").content)  # noqa: S314
    in_sitemap = set()
    for section in index.iter(f"{SITEMAP}loc"):
        parts = urlsplit(section.text)
        path = f"{parts.path}?{parts.query}" if parts.query else parts.path
        sitemap = ET.fromstring(client.get(path).content)  # noqa: S314
        in_sitemap |= {
            urlsplit(url.findtext(f"{SITEMAP}loc")).path
            for url in sitemap.findall(f"{SITEMAP}url")
        }
    for page in [*films, *essays, *events]:
        assert client.get(page.url).status_code == 200, page.url
        assert page.url in listed[page.get_parent().slug]
        assert page.url in tag_page
        assert page.url in in_sitemap
    for page in (films[0], essays[0], events[0]):
        assert page.url in _paths(client, f"/search/?q={page.title}")


def test_grow_archive_second_run_adds_more_without_clashing(
    indexes, benchmark_database
):
    """A second run continues the numbering: 20 distinct pages, the tree valid."""
    _grow(10, seed=1)
    _grow(10, seed=1)
    pages = Page.objects.filter(**SYNTHETIC)
    assert pages.count() == 20
    assert len(set(pages.values_list("slug", flat=True))) == 20
    assert all(problems == [] for problems in Page.find_problems())
    people = Person.objects.filter(**SYNTHETIC)
    assert people.count() == len(set(people.values_list("slug", flat=True)))
    assert ArchiveTag.objects.filter(slug="synthetic").count() == 1
