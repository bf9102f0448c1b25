"""The open data: the whole public archive as JSON with its JSON Schema, the
page that documents it and the API, and what /api/v2/ says it offers."""

import datetime
import importlib
import json

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import clear_url_caches
from jsonschema import Draft202012Validator, FormatChecker
from wagtail.models import Site

from essays.models import EssayAuthor, FilmCitation
from films.models import EventActor, FilmCredit
from tests import factories as f
from tests.factories import HIDDEN
from tests.page_helpers import json_ld, main, words
from wanderingsite.api import TagsAPIViewSet, api_router
from wanderingsite.page_types import archive_types

EXPORT = "/data/archive.json"
SCHEMA = "/data/archive.schema.json"
EXPORT_QUERIES = 21


def _root() -> str:
    """The site's public address, which the export's own addresses start with."""
    return Site.objects.get(is_default_site=True).root_url


def _json(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, url
    return json.loads(response.content)


def test_open_data_export_validates_against_its_schema(client, sample_archive):
    """/data/archive.json is valid under /data/archive.schema.json, itself a
    valid JSON Schema 2020-12 document that the export names."""
    schema = _json(client, SCHEMA)
    document = _json(client, EXPORT)
    Draft202012Validator.check_schema(schema)
    errors = list(
        Draft202012Validator(schema, format_checker=FormatChecker()).iter_errors(
            document
        )
    )
    assert errors == []
    assert document["$schema"] == schema["$id"] == f"{_root()}{SCHEMA}"


def test_open_data_schema_refuses_what_the_export_never_holds(client, sample_archive):
    """The schema is strict: a field it does not name, a wrong type or a
    missing field fails it."""
    validator = Draft202012Validator(_json(client, SCHEMA))
    document = _json(client, EXPORT)
    film = document["films"][0]
    for broken in (
        {**film, "invented": 1},
        {**film, "date_precision": "week"},
        {key: value for key, value in film.items() if key != "title"},
    ):
        assert not validator.is_valid({**document, "films": [broken]})


def test_open_data_export_holds_every_public_page_and_nothing_hidden(
    client, sample_archive
):
    """Every visible film, essay and event is in the export, by type; no
    draft, withdrawn or private page, nor anything only they mention: their
    tags, their citations, the people only they name."""
    response = client.get(EXPORT)
    document = json.loads(response.content)
    for t in archive_types:
        visible = {p.pk for p in sample_archive.visible if isinstance(p, t.model)}
        assert {record["id"] for record in document[t.plural_key]} == visible
    body = response.content.decode()
    assert HIDDEN not in body
    assert sample_archive.tags.hidden.slug not in {t["slug"] for t in document["tags"]}
    hidden_ids = {page.pk for page in sample_archive.hidden}
    related = [
        related_id
        for t in archive_types
        for record in document[t.plural_key]
        for value in record.values()
        if isinstance(value, list)
        for related_id in value
        if isinstance(related_id, int)
    ]
    assert related
    assert not hidden_ids & set(related)
    assert not hidden_ids & {c["essay"] for c in document["citations"]}


def test_open_data_export_links_pages_people_tags_and_citations(client, sample_archive):
    """Pages name each other by id, people and tags by slug, and each citation
    the page it supports and the essay it quotes, with the passage's address."""
    document = _json(client, EXPORT)
    film = next(r for r in document["films"] if r["slug"] == "the-wandering-earth")
    assert film["url"] == f"{_root()}/films/the-wandering-earth/"
    assert film["original_title"] == "流浪地球"
    assert film["date"] == "2019-02-05"
    assert film["date_precision"] == "day"
    assert sorted(film["credits"], key=lambda c: c["person"]) == [
        {"person": "frant-gwo", "role": "director", "character": ""},
        {"person": "wu-jing", "role": "cast", "character": "Liu Peiqiang"},
    ]
    assert set(film["essays"]) == {
        sample_archive.kokas_essay.pk,
        sample_archive.world_essay.pk,
    }
    assert film["tags"] == ["box-office", "science-fiction", "soft-power"]
    people = {p["slug"]: p for p in document["people"]}
    assert people["frant-gwo"]["original_name"] == "郭帆"
    assert set(people) == {"frant-gwo", "wu-jing", "aynne-kokas", "wang-xiaohui"}
    figures = [
        c
        for c in document["citations"]
        if c["subject"] == {"type": "film", "id": film["id"]}
        and c["field"] == "box_office_figures"
    ]
    assert {(c["amount"], c["qualifier"], c["essay"]) for c in figures} == {
        ("600000000.00", "over", sample_archive.kokas_essay.pk),
        ("693000000.00", "", sample_archive.world_essay.pk),
    }
    fact = next(
        c for c in document["citations"] if c["claim"] == "Directed by Frant Gwo"
    )
    assert fact["quote"] == "directed by Frant Gwo"
    assert fact["url"] == f"{_root()}/essays/how-china/#p1"


def test_open_data_export_gives_essays_metadata_but_not_their_texts(
    client, sample_archive
):
    """Essays come with their publication, date at its precision, source and
    summary; their text, published elsewhere first, is left out, and the
    document says why. Quoted passages are in the citations."""
    response = client.get(EXPORT)
    document = json.loads(response.content)
    assert document["texts_included"] is False
    assert "no terms under which it may pass the text on" in document["texts_note"]
    world = next(e for e in document["essays"] if e["slug"] == "planet-in-peril")
    assert world["publication"] == "WORLD magazine"
    assert world["published_date"] == "2019-05-01"
    assert world["published_date_precision"] == "month"
    assert world["published_display"] == "May 2019"
    assert "body" not in world
    assert "spoke of" not in response.content.decode()
    events = {e["slug"]: e for e in document["events"]}
    assert "body" in events["strong-film-power"]


def test_open_data_export_costs_a_fixed_number_of_queries(client, sample_archive):
    """The export's queries do not grow with the archive: one per type, one per
    relation it shows, and one each for people, tags and the site."""

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(EXPORT).status_code == 200
        return len(captured)

    client.get(EXPORT)
    before = queries()
    tag = f.make_tag()
    for n in range(3):
        film = f.make_film(
            sample_archive.films, tags=[tag], date=datetime.date(2000 + n, 1, 1)
        )
        FilmCredit.objects.create(page=film, person=f.make_person(), role="cast")
        event = f.make_event(sample_archive.timeline, tags=[tag], films=[film])
        EventActor.objects.create(page=event, person=f.make_person())
        essay = f.make_essay(
            sample_archive.essays, tags=[tag], films=[film], paragraphs=("Words.",)
        )
        EssayAuthor.objects.create(page=essay, person=f.make_person())
        FilmCitation.objects.create(
            page=film, claim="A fact", essay=essay, quote="Words"
        )
    after = queries()
    assert after == before <= EXPORT_QUERIES
    assert tag.slug in client.get(EXPORT).content.decode()


@pytest.fixture
def page_cache(settings):
    """The page cache on (test settings keep it off), empty."""
    settings.WAGTAIL_CACHE = True
    caches["pagecache"].clear()
    yield caches["pagecache"]
    caches["pagecache"].clear()


@pytest.mark.parametrize("url", [EXPORT, SCHEMA, "/data/", "/api/v2/"])
def test_open_data_is_cached_like_pages(client, sample_archive, page_cache, url):
    """The export, its schema, the data page and the API's index come from the
    page cache after the first request."""
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"


def test_open_data_export_is_purged_by_a_publish(
    client, sample_archive, page_cache, django_capture_on_commit_callbacks
):
    """A page published after the export was cached is in the next export."""
    client.get(EXPORT)
    with django_capture_on_commit_callbacks(execute=True):
        f.make_film(sample_archive.films, title="A new film for the export")
    response = client.get(EXPORT)
    assert response["X-Page-Cache"] == "miss"
    assert "A new film for the export" in response.content.decode()


# What /api/v2/ offers, and the page that documents it


def test_api_root_lists_the_endpoints_the_router_has(client, sample_archive):
    """/api/v2/ answers with every endpoint registered on the router, each with
    its address, its detail address and a line on what it serves, and links
    to the documentation, the export and the feeds."""
    index = _json(client, "/api/v2/")
    names = [e["name"] for e in index["endpoints"]]
    assert names == list(api_router.endpoints)
    assert {"pages", "tags", "images", "documents"} <= set(names)
    pages = index["endpoints"][names.index("pages")]
    assert pages["url"] == "http://testserver/api/v2/pages/"
    assert pages["detail_url"] == "http://testserver/api/v2/pages/{id}/"
    assert pages["description"].startswith("Films, essays and policy events")
    for endpoint in index["endpoints"]:
        assert client.get(endpoint["url"]).status_code == 200
    assert index["documentation"] == "http://testserver/data/"
    assert index["open_data"]["export"] == f"http://testserver{EXPORT}"
    assert index["feeds"]["rss"] == "http://testserver/feeds/latest/rss/"


class PlacesAPIViewSet(TagsAPIViewSet):
    """Places the sources name.

    More detail that the index leaves out.
    """

    api_description = None


def _reload_urls() -> None:
    importlib.reload(importlib.import_module(settings.ROOT_URLCONF))
    clear_url_caches()


@pytest.fixture
def places_endpoint():
    """An endpoint registered on the router after the others, as an app that
    adds one does, with the URLs built anew; gone again afterwards."""
    api_router.register_endpoint("places", PlacesAPIViewSet)
    _reload_urls()
    yield
    del api_router._endpoints["places"]
    _reload_urls()


def test_api_root_lists_an_endpoint_registered_later(
    client, sample_archive, places_endpoint
):
    """An endpoint registered after the others is in the index too, described
    by the first line of its docstring when it has no description of its own."""
    index = _json(client, "/api/v2/")
    places = index["endpoints"][-1]
    assert places["name"] == "places"
    assert places["url"] == "http://testserver/api/v2/places/"
    assert places["description"] == "Places the sources name."
    assert "Places the sources name." in words(main(client.get("/data/")))


@pytest.mark.parametrize("params", [{"format": "html"}, {"x": "<script>"}])
def test_api_root_answers_any_query_string_as_json(client, sample_archive, params):
    """Odd parameters change nothing; the answer is JSON without raw markup."""
    response = client.get("/api/v2/", params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert b"<" not in response.content


def test_data_page_documents_the_export_the_api_and_the_feeds(client, sample_archive):
    """/data/ links the export and its schema, lists every API endpoint with
    what it serves and the page types ?type= takes, and names the feeds."""
    response = client.get("/data/")
    assert response.status_code == 200
    html = main(response)
    assert f'href="{_root()}{EXPORT}" download' in html
    assert f'href="{_root()}{SCHEMA}" download' in html
    for endpoint in _json(client, "/api/v2/")["endpoints"]:
        assert endpoint["description"] in words(html)
    for t in archive_types:
        assert f"<code>{t.label_name}</code>" in html
    assert 'href="/feeds/latest/rss/"' in html
    assert "texts are not included" in words(html)
    data = json_ld(response)
    assert data["@type"] == "Dataset"
    assert data["distribution"][0]["contentUrl"] == f"{_root()}{EXPORT}"


def test_footer_links_to_the_data_page_and_the_feeds(client, sample_archive):
    """Every page's footer links the data page and both feeds."""
    html = client.get("/films/").content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    for href in ("/data/", "/feeds/latest/", "/feeds/latest/rss/"):
        assert f'href="{href}"' in footer
