"""No public page, feed or listing needs more than 10 SQL queries, however
large the archive, on a warm process or a cold one.

The sample archive is built once for the module: counted small, then grown by
50 pages and 30 tags that show up on everything measured (more films, essays,
events, credits, citations, relations between films, authors and tags; all
tagged "Soft power", which the search, the tag feed and the tag page ask for),
and counted again.
"""

import copy
import datetime
from types import SimpleNamespace

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.coreutils import (
    get_content_languages,
    get_supported_content_language_variant,
)
from wagtail.models.sites import (
    SITE_ROOT_PATHS_CACHE_KEY,
    SITE_ROOT_PATHS_CACHE_VERSION,
)

from essays.models import EssayAuthor, EventCitation, FilmCitation, fact_digest
from films import models as films_models
from films.models import EventActor, FilmCredit
from tests import factories as f
from wanderingsite import selectors, views
from wanderingsite.models import Person
from wanderingsite.sitemaps import ArchiveSitemap
from wanderingsite.warm import warm_process

BUDGET = 10
PAGES = {
    "home": "/",
    "film index": "/films/",
    "film": "/films/the-wandering-earth/",
    "film with relations": "/films/the-wandering-earth-ii/",
    "essay index": "/essays/",
    "essay": "/essays/how-china/",
    "timeline": "/timeline/",
    "timeline page 2": "/timeline/?page=2",
    "timeline year": "/timeline/?year=2019",
    "event": "/timeline/strong-film-power/",
    "tag list": "/tags/",
    "tag list page 2": "/tags/?page=2",
    "tag detail": "/tags/soft-power/",
    "tag detail films": "/tags/soft-power/?type=film",
    "tag detail essays page 2": "/tags/soft-power/?type=essay&page=2",
    "latest feed": "/feeds/latest/",
    "latest RSS feed": "/feeds/latest/rss/",
    "tag feed": "/tags/soft-power/feed/",
    "tag RSS feed": "/tags/soft-power/feed/rss/",
    "film index, ignored filter": "/films/?tag=nope",
    "timeline, ignored filter": "/timeline/?kind=nope",
    "tag detail, ignored type": "/tags/soft-power/?type=nope",
    "data page": "/data/",
    "API index": "/api/v2/",
    "sitemap": "/sitemap.xml",
    "sitemap pages": "/sitemap-pages.xml",
    "sitemap films": "/sitemap-films.xml",
    "sitemap essays": "/sitemap-essays.xml",
    "sitemap events": "/sitemap-events.xml",
    "sitemap tags": "/sitemap-tags.xml",
    "search": "/search/?q=soft+power",
    "API films": "/api/v2/pages/?type=films.FilmPage&fields=*",
    "API essays": "/api/v2/pages/?type=essays.EssayPage&fields=*",
    "API events": "/api/v2/pages/?type=films.PolicyEventPage&fields=*",
    "API pages": "/api/v2/pages/?fields=*",
    "API tags": "/api/v2/tags/",
    "people index": "/people/",
    "people index page 2": "/people/?page=2",
    "person": "/people/frant-gwo/",
    "sitemap people": "/sitemap-people.xml",
    "API people": "/api/v2/people/",
    # Placeholders filled from the sample archive (``_urls``).
    "API person": "/api/v2/people/{gwo}/",
    "essay from a citation": "/essays/how-china/?from={fact}",
    "permalink": "/p/{film}/",
    "cite download BibTeX": "/p/{essay}/cite.bib",
    "cite download CSL-JSON": "/p/{film}/cite.json",
    "tag share image": "/og/tags/soft-power.png",
    "site share image": "/og/site.png",
    "favicon": "/favicon.ico",
}

# The pages that list the grown archive's tags; every other one lists its pages.
LISTS_TAGS = {
    "essay",
    "essay from a citation",
    "tag list",
    "tag list page 2",
    "sitemap tags",
    "API tags",
}
# The pages that list the grown archive's people.
LISTS_PEOPLE = {"people index", "people index page 2", "sitemap people", "API people"}
# The pages that list neither pages nor tags (the images among them): only
# their count is compared.
LISTS_SECTIONS = {
    "sitemap",
    "sitemap pages",
    "permalink",
    "cite download BibTeX",
    "cite download CSL-JSON",
    "tag share image",
    "site share image",
    "favicon",
    "data page",
    "API index",
}
# A permalink answers with a redirect to the page.
STATUS = {"permalink": 302}


def _urls(archive) -> dict[str, str]:
    """``PAGES`` with the sample archive's ids in their placeholders."""
    film = archive.film
    fact = film.citations.get(claim="Directed by Frant Gwo")
    ids = {
        "film": film.pk,
        "essay": archive.kokas_essay.pk,
        "fact": f"{film.pk}-{fact_digest(fact.claim, fact.quote)}",
        "gwo": archive.people.gwo.pk,
    }
    return {name: url.format(**ids) for name, url in PAGES.items()}


def count_queries(client: Client, url: str, status: int = 200) -> int:
    client.get(url)  # fills the per-process caches (site root paths) first
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == status, url
    return len(queries)


def grow(archive, *, pages: int = 50, tags: int = 30) -> SimpleNamespace:
    """Add ``pages`` pages and ``tags`` tags that every measured page lists; the
    new pages' titles and paths (``pages``), the new tags' names (``tags``) and
    the new people's names (``people``). Frant Gwo directs every new film."""
    new_tags = [f.make_tag() for _ in range(tags)]
    new_pages = []
    people_before = set(Person.objects.values_list("pk", flat=True))
    soft = archive.tags.soft
    for n in range(pages):
        extra = [soft, new_tags[n % tags], new_tags[(n + 7) % tags]]
        kind = n % 3
        if kind == 0:
            film = f.make_film(
                archive.films, tags=extra, date=datetime.date(2000 + n, 1, 1)
            )
            FilmCredit.objects.create(
                page=film, person=archive.people.gwo, role="director"
            )
            new_pages.append(film)
            # Related both ways to the measured films, by each side in turn.
            for page, other in ((film, archive.sequel), (archive.sequel, film)):
                FilmCitation.objects.create(
                    page=page,
                    claim="Compared",
                    essay=archive.kokas_essay,
                    quote="directed by Frant Gwo",
                    relation="compared",
                    related_film=other,
                )
            FilmCitation.objects.create(
                page=film,
                claim="A sequel",
                essay=archive.kokas_essay,
                quote="directed by Frant Gwo",
                relation="sequel",
                related_film=archive.film,
            )
        elif kind == 1:
            event = f.make_event(
                archive.timeline,
                tags=extra,
                films=[archive.film],
                date=datetime.date(2000 + n, 6, 1),
            )
            new_pages.append(event)
        else:
            essay = f.make_essay(
                archive.essays,
                tags=extra,
                films=[archive.film],
                events=[archive.plan],
                paragraphs=("More words.", "And more."),
            )
            new_pages.append(essay)
            EssayAuthor.objects.create(page=essay, person=f.make_person())
            EssayAuthor.objects.create(page=essay, person=f.make_person())
            FilmCitation.objects.create(
                page=archive.film, claim="More", essay=essay, quote="More words"
            )
            EventCitation.objects.create(
                page=archive.plan, claim="More", essay=essay, quote="And more"
            )
            FilmCredit.objects.create(
                page=archive.film, person=f.make_person(), role="cast"
            )
            EventActor.objects.create(page=archive.plan, person=f.make_person())
    new_people = list(Person.objects.exclude(pk__in=people_before))
    for tag in new_tags:
        archive.kokas_essay.tags.add(tag)
    archive.kokas_essay.save_revision().publish()
    return SimpleNamespace(
        pages=[
            *(page.title for page in new_pages),
            *(f"/{page.slug}/" for page in new_pages),
        ],
        tags=[
            *(tag.name for tag in new_tags),
            *(f"/tags/{tag.slug}/" for tag in new_tags),
        ],
        people=[
            *(person.name for person in new_people),
            *(person.get_absolute_url() for person in new_people),
        ],
    )


@pytest.fixture(scope="module", autouse=True)
def short_pages():
    """Listings a few entries long, so that the grown archive fills several
    pages of each and the second pages are measured too."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(views, "TAGS_PER_PAGE", 10)
        patch.setattr(films_models, "TIMELINE_PAGE_LENGTH", 10)
        patch.setattr(selectors, "TAG_SECTION_LENGTH", 5)
        patch.setattr(selectors, "TAG_TYPE_PAGE_LENGTH", 5)
        patch.setattr(ArchiveSitemap, "limit", 10)
        patch.setattr(selectors, "PEOPLE_PER_PAGE", 5)
        patch.setattr(selectors, "PERSON_SECTION_LENGTH", 5)
        yield


@pytest.fixture(scope="module")
def measured(sample_archive_once, django_db_blocker) -> SimpleNamespace:
    """Query counts on the small archive (``small``); the database then holds
    the grown one, and ``grown`` what names its new pages and tags (``grow``).

    The growth goes when the module's sample archive is rolled back.
    """
    with django_db_blocker.unblock():
        client = Client()
        urls = _urls(sample_archive_once)
        small = {
            name: count_queries(client, url, STATUS.get(name, 200))
            for name, url in urls.items()
        }
        grown = grow(copy.deepcopy(sample_archive_once))
    return SimpleNamespace(small=small, grown=grown, urls=urls)


@pytest.mark.parametrize("name", PAGES)
def test_public_page_stays_within_the_query_budget(
    name, measured, db, client, django_assert_max_num_queries
):
    """Each page type needs at most 10 queries on the grown archive."""
    client.get(measured.urls[name])
    with django_assert_max_num_queries(BUDGET):
        response = client.get(measured.urls[name])
    assert response.status_code == STATUS.get(name, 200)


@pytest.mark.parametrize("name", PAGES)
def test_public_page_query_count_does_not_grow_with_the_archive(
    name, measured, db, client
):
    """Fifty more pages and thirty more tags, which the page shows, cost it no
    extra query."""
    grown = measured.grown.pages
    if name in LISTS_TAGS:
        grown = measured.grown.tags
    elif name in LISTS_PEOPLE:
        grown = measured.grown.people
    url = measured.urls[name]
    if name not in LISTS_SECTIONS:
        shown = client.get(url).content.decode()
        assert any(new in shown for new in grown), "the page shows nothing grown"
    assert count_queries(client, url, STATUS.get(name, 200)) == measured.small[name]


def _cold_process() -> None:
    """A fresh web process: what it learned on earlier requests forgotten
    (content types, the sites' root paths, Wagtail's cached lookups), then
    warmed as ``wsgi.py`` warms it at start-up."""
    ContentType.objects.clear_cache()
    cache.delete(SITE_ROOT_PATHS_CACHE_KEY, version=SITE_ROOT_PATHS_CACHE_VERSION)
    for cached in (get_content_languages, get_supported_content_language_variant):
        cached.cache_clear()
    warm_process()


@pytest.mark.parametrize("name", PAGES)
def test_public_page_stays_within_the_query_budget_on_a_cold_process(
    name, measured, db, client, django_assert_max_num_queries
):
    """The first request a fresh process serves needs at most 10 queries too."""
    _cold_process()
    with django_assert_max_num_queries(BUDGET):
        response = client.get(measured.urls[name])
    assert response.status_code == STATUS.get(name, 200)
