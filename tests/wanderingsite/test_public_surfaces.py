"""Public surfaces under odd input and unusual data."""

import importlib
import json
import re

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.url_routing import RouteResult

from films.models import FilmPage
from tests import factories as f
from wanderingsite.routing import find_site, route_for_request
from wanderingsite.search import search_archive


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
    assert (
        f"<loc>{base}/sitemap-films.xml</loc>"
        in client.get("/sitemap.xml").content.decode()
    )
    sitemap = client.get("/sitemap-films.xml").content.decode()
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


def _wagtail_restrictions(page) -> set[int]:
    return set(Page.get_view_restrictions(page).values_list("pk", flat=True))


def _restrictions(page) -> set[int]:
    return set(page.get_view_restrictions().values_list("pk", flat=True))


def test_view_restrictions_are_wagtails_own(indexes):
    """A page's view restrictions, read in one query, are those Wagtail reads:
    its own, its ancestors', and for an alias ancestor its source's."""
    film = f.make_film(indexes["films"], title="The Wandering Earth")
    other = f.make_film(indexes["films"], title="Wolf Warrior 2")
    alias_index = indexes["films"].create_alias(update_slug="films-again")
    under_alias = f.make_film(alias_index, title="Monster Hunt")
    pages = [film, other, indexes["films"], alias_index, under_alias]
    assert all(_restrictions(p) == set() for p in pages)

    on_index = PageViewRestriction.objects.create(
        page=indexes["films"], restriction_type="password", password="x"
    )
    on_film = PageViewRestriction.objects.create(page=film, restriction_type="login")
    for page in pages:
        assert _restrictions(page) == _wagtail_restrictions(page), page.title
    assert _restrictions(film) == {on_index.pk, on_film.pk}
    assert _restrictions(under_alias) == {on_index.pk}


def test_page_under_a_private_section_asks_for_its_password(client, indexes):
    """A film under a password-protected index is served as the password form,
    and an unpublished one is a 404, however the page is routed."""
    f.make_film(indexes["films"], title="The Wandering Earth", summary="Secret plot.")
    f.make_film(indexes["films"], title="Wolf Warrior 2", live=False)
    PageViewRestriction.objects.create(
        page=indexes["films"], restriction_type="password", password="x"
    )
    response = client.get("/films/the-wandering-earth/")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'name="password"' in body
    assert "Secret plot." not in body
    assert client.get("/films/wolf-warrior-2/").status_code == 404
    assert client.get("/films/nope/").status_code == 404


def test_routing_follows_wagtails_rules_from_the_stored_url_paths(client, indexes):
    """The page a path names is served as its own type; a draft is a 404 even
    under a live index, a live page under a draft index is still served (as
    Wagtail routes), and a path past the deepest page is a 404."""
    f.make_film(indexes["films"], title="The Wandering Earth")
    f.make_film(indexes["films"], title="Wolf Warrior 2", live=False)
    indexes["timeline"].unpublish()
    f.make_event(indexes["timeline"], title="Film market opens")

    response = client.get("/films/the-wandering-earth/")
    assert response.status_code == 200
    assert type(response.context["page"]).__name__ == "FilmPage"
    assert client.get("/films/wolf-warrior-2/").status_code == 404
    assert client.get("/timeline/").status_code == 404
    assert client.get("/timeline/film-market-opens/").status_code == 200
    assert client.get("/films/the-wandering-earth/cast/").status_code == 404
    assert client.get("/films/the-wandering-earth/cast/more/").status_code == 404
    assert client.get("/nowhere/the-wandering-earth/").status_code == 404


def test_routing_leaves_the_rest_of_the_path_to_the_pages_own_route(
    client, indexes, monkeypatch
):
    """Past the deepest page the tree holds, the path is that page's to route,
    as Wagtail would have it: a page type's own routes keep working."""
    f.make_film(indexes["films"], title="The Wandering Earth")
    asked = []

    def route(page, request, path_components):
        asked.append(path_components)
        return RouteResult(page)

    monkeypatch.setattr(FilmPage, "route", route)
    assert client.get("/films/the-wandering-earth/cast/").status_code == 200
    assert asked == [["cast"]]


def test_routing_leaves_every_parent_for_the_breadcrumbs(rf, indexes):
    """The pages the path passes through come with the page it names, so its
    breadcrumbs cost no query."""
    f.make_film(indexes["films"], title="The Wandering Earth")
    request = rf.get("/films/the-wandering-earth/", HTTP_HOST="localhost")
    page = route_for_request(request, request.path).page
    with CaptureQueriesContext(connection) as queries:
        crumbs = page.get_breadcrumbs()
    assert [crumb.title for crumb in crumbs] == [
        indexes["films"].get_parent().title,
        indexes["films"].title,
    ]
    assert len(queries) == 0


@pytest.mark.parametrize("restricted", ["home", "index", "film"])
def test_routing_keeps_a_restriction_at_any_level(client, indexes, restricted):
    """A view restriction on the home page, the index or the page itself still
    puts the password form in front of the page."""
    film = f.make_film(indexes["films"], title="The Wandering Earth", summary="Plot.")
    page = {"home": indexes["films"].get_parent(), "index": indexes["films"]}.get(
        restricted, film
    )
    PageViewRestriction.objects.create(
        page=page, restriction_type="password", password="x"
    )
    body = client.get("/films/the-wandering-earth/").content.decode()
    assert 'name="password"' in body
    assert "Plot." not in body


def test_routing_costs_three_queries_at_any_depth(rf, indexes):
    """The site, the pages on the path with their restrictions, and the page's
    own type: the same for an index and for a page below it."""
    f.make_film(indexes["films"], title="The Wandering Earth")
    for path in ("/films/", "/films/the-wandering-earth/"):
        request = rf.get(path, HTTP_HOST="localhost")
        with CaptureQueriesContext(connection) as queries:
            page = route_for_request(request, path).page
            assert list(page.get_view_restrictions()) == []
        assert len(queries) == 3, path


@pytest.mark.parametrize(
    "sites, host",
    [
        ([("localhost", 80, True)], "localhost"),
        ([("localhost", 80, True)], "elsewhere.example:8000"),
        ([("localhost", 80, True), ("archive.example", 80, False)], "archive.example"),
        (
            [("localhost", 80, True), ("archive.example", 8000, False)],
            "archive.example",
        ),
        (
            [("localhost", 80, True), ("archive.example", 80, False)],
            "archive.example:8000",
        ),
        (
            [
                ("localhost", 80, True),
                ("archive.example", 80, False),
                ("archive.example", 8000, False),
            ],
            "archive.example:8000",
        ),
        (
            [("archive.example", 80, True), ("archive.example", 8000, False)],
            "archive.example",
        ),
        ([("archive.example", 8000, False)], "other.example"),
        (
            [("archive.example", 8000, False), ("archive.example", 8001, False)],
            "archive.example:9000",
        ),
    ],
)
def test_find_site_chooses_the_site_wagtail_would(rf, indexes, sites, host):
    """Whatever sites exist, the site a request is for is the one Wagtail's own
    lookup chooses, or none where it finds none."""
    root = indexes["films"].get_parent()
    Site.objects.all().delete()
    for hostname, port, default in sites:
        Site.objects.create(
            hostname=hostname, port=port, is_default_site=default, root_page=root
        )
    ours = find_site(rf.get("/", HTTP_HOST=host))
    wagtails = Site.find_for_request(rf.get("/", HTTP_HOST=host))
    assert (ours and (ours.hostname, ours.port)) == (
        wagtails and (wagtails.hostname, wagtails.port)
    )


def test_routing_reads_every_field_of_the_page_it_serves(rf, indexes):
    """The page routed to holds every value of its own type and of Wagtail's
    page, as Wagtail's own ``specific`` gives them, with nothing left to load."""
    film = f.make_film(indexes["films"], title="The Wandering Earth")
    request = rf.get("/films/the-wandering-earth/", HTTP_HOST="localhost")
    routed = route_for_request(request, request.path).page
    expected = FilmPage.objects.get(pk=film.pk)
    assert type(routed) is FilmPage
    assert routed.get_deferred_fields() == set()
    for field in FilmPage._meta.concrete_fields:
        assert getattr(routed, field.attname) == getattr(expected, field.attname), (
            field.name
        )


def test_routing_serves_the_home_page_in_the_same_queries(rf, indexes):
    """The site's root page is routed like any other page: the site, the levels
    and its own type."""
    request = rf.get("/", HTTP_HOST="localhost")
    with CaptureQueriesContext(connection) as queries:
        page = route_for_request(request, "/").page
    assert page.pk == indexes["films"].get_parent().pk
    assert type(page).__name__ == "HomePage"
    assert len(queries) == 3


def _sitemap_queries(client) -> int:
    client.get("/sitemap.xml")  # fills the site root paths cache
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/sitemap.xml").status_code == 200
    return len(queries)


def test_sitemap_costs_the_same_queries_whatever_page_types_it_lists(client, indexes):
    """Films, essays and events join the sitemap index without a query per type."""
    before = _sitemap_queries(client)
    f.make_film(indexes["films"])
    f.make_essay(indexes["essays"])
    f.make_event(indexes["timeline"])
    assert _sitemap_queries(client) == before <= 5


def _hit_titles(search) -> list[str]:
    return [hit.page.title for hit in search.results.object_list]


def test_search_ranks_the_sequel_first_for_its_number_in_either_form(indexes):
    """ "Wandering Earth 2" and "Wandering Earth II" both find The Wandering
    Earth II first, above the first film and an essay that names a "2"."""
    f.make_film(indexes["films"], title="The Wandering Earth")
    f.make_film(indexes["films"], title="The Wandering Earth II")
    f.make_essay(
        indexes["essays"],
        title="A record year",
        paragraphs=["The Wandering Earth outsold Wolf Warrior 2 on the Earth."],
    )
    for query in ("Wandering Earth 2", "wandering earth II"):
        titles = _hit_titles(search_archive(query=query))
        assert titles[0] == "The Wandering Earth II", query
        assert "The Wandering Earth" in titles


def test_search_reads_a_misspelt_word_as_the_archives_closest(client, indexes):
    """A query nothing holds, with a word close to one in the archive's titles,
    tags or names, shows the results for that word and says so."""
    f.make_event(
        indexes["timeline"],
        title="Local blockbusters end Hollywood's dominance",
        tags=[f.make_tag("Box office")],
    )
    search = search_archive(query="Hollywod")
    assert search.corrected_query == "Hollywood"
    assert _hit_titles(search) == ["Local blockbusters end Hollywood's dominance"]

    body = client.get("/search/", {"q": "Hollywod"}).content.decode()
    assert "1 result for “Hollywood”" in body
    assert "Nothing in the archive holds “Hollywod”" in body


def test_search_spelling_never_suggests_words_from_hidden_pages(indexes):
    """Words of drafts and private pages are not offered as corrections."""
    f.make_film(indexes["films"], title="Zanzibar Nights", live=False)
    private = f.make_film(indexes["films"], title="Kilimanjaro Dawn")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    for query in ("Zanzibr", "Kilimanjro"):
        search = search_archive(query=query)
        assert (search.total, search.corrected_query) == (0, ""), query


def test_search_page_describes_itself_in_json_ld(client, indexes):
    """The search page, like every other, carries JSON-LD: a SearchResultsPage,
    with any markup in the query kept out of it."""
    body = client.get("/search/", {"q": "</script><b>x"}).content.decode()
    (script,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', body)
    data = json.loads(script)
    assert data["@type"] == "SearchResultsPage"
    assert data["url"].endswith("/search/")


def test_search_tag_facets_name_every_tag_including_an_unmatched_choice(indexes):
    """Tag facets carry each tag's name and slug; a chosen tag no result holds
    is still offered, with a count of 0."""
    box_office, unused = f.make_tag("Box office"), f.make_tag("Film policy")
    f.make_film(indexes["films"], title="Wolf Warrior 2", tags=[box_office])
    f.make_event(indexes["timeline"], title="Media regulators merged", tags=[unused])

    facets = search_archive(query="wolf").tag_facets
    assert [(t.value, t.label, t.count) for t in facets] == [
        ("box-office", "Box office", 1)
    ]
    facets = search_archive(query="wolf", tag="film-policy").tag_facets
    assert [(t.value, t.label, t.count, t.selected) for t in facets] == [
        ("box-office", "Box office", 1, False),
        ("film-policy", "Film policy", 0, True),
    ]


def test_api_pages_filter_by_tag_slug_or_name_agrees_with_tag_counts(client, indexes):
    """?tags= takes a tag's slug or its name in any case, as the tags endpoint
    lists them, and finds as many pages of each type as that endpoint counts."""
    soft = f.make_tag("Soft power")
    f.make_film(indexes["films"], title="The Wandering Earth", tags=[soft])
    f.make_film(indexes["films"], title="Wolf Warrior 2", tags=[soft])
    f.make_film(indexes["films"], title="Interstellar")
    f.make_event(indexes["timeline"], title="Munich", tags=[soft])
    f.make_event(indexes["timeline"], title="Hidden", tags=[soft], live=False)

    (tag,) = client.get("/api/v2/tags/").json()["items"]
    labels = {"film": "films.FilmPage", "event": "films.PolicyEventPage"}
    for kind, label in labels.items():
        for value in ("soft-power", "Soft power", "SOFT POWER"):
            found = client.get("/api/v2/pages/", {"type": label, "tags": value})
            assert found.json()["meta"]["total_count"] == tag["counts"][kind], value
    both = {"type": "films.FilmPage", "tags": "soft-power,nope"}
    assert client.get("/api/v2/pages/", both).json()["meta"]["total_count"] == 0
