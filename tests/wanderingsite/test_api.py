import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.documents import get_document_model

from essays.models import FilmCitation
from tests import factories as f
from tests.factories import HIDDEN, HIDDEN_STATES
from wanderingsite.api import MAX_TAGS


def _get(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()


def _titles(data) -> set[str]:
    return {item["title"] for item in data["items"]}


def test_pages_api_filters_by_our_page_labels(client, sample_archive):
    """?type=films.FilmPage, essays.EssayPage and films.PolicyEventPage work."""
    assert _titles(_get(client, "/api/v2/pages/", type="films.FilmPage")) == {
        "The Wandering Earth",
        "The Wandering Earth II",
        "Interstellar",
    }
    essays = _get(client, "/api/v2/pages/", type="essays.EssayPage")
    assert _titles(essays) == {"How China is using science fiction", "Planet in peril"}
    events = _get(client, "/api/v2/pages/", type="films.PolicyEventPage")
    assert _titles(events) == {
        "Media regulators merged",
        "Regulation under cabinet control",
        "A strong film power plan",
    }


def test_pages_api_film_detail_has_dates_tags_relations_and_citations(
    client, sample_archive
):
    """A film shows its date with precision, tags, related pages as id, title
    and URL, and citations linking to the essay paragraph."""
    film = _get(client, f"/api/v2/pages/{sample_archive.film.pk}/")
    assert film["meta"]["type"] == "films.FilmPage"
    assert film["original_title"] == "流浪地球"
    assert (film["date"], film["date_precision"], film["date_display"]) == (
        "2019-02-05",
        "day",
        "5 February 2019",
    )
    assert film["tags"] == [
        {"name": "Box office", "slug": "box-office"},
        {"name": "Science fiction", "slug": "science-fiction"},
        {"name": "Soft power", "slug": "soft-power"},
    ]
    kokas, world = sample_archive.kokas_essay, sample_archive.world_essay
    essay_url = kokas.get_full_url()
    assert film["essays"] == [
        {"id": kokas.pk, "title": kokas.title, "url": essay_url},
        {"id": world.pk, "title": world.title, "url": world.get_full_url()},
    ]
    assert [e["title"] for e in film["events"]] == [sample_archive.plan.title]
    # Facts whose only source is hidden are left out, quote and all.
    (citation,) = film["citations"]
    assert citation["claim"] == "Directed by Frant Gwo"
    assert citation["quote"] == "directed by Frant Gwo"
    assert citation["essay"]["id"] == kokas.pk
    assert citation["url"] == f"{essay_url}#p1"
    stored = FilmCitation.objects.filter(page=sample_archive.film).count()
    assert stored == 1 + len(HIDDEN_STATES)
    credits = {(c["person"]["name"], c["role"]) for c in film["credits"]}
    assert credits == {("Frant Gwo", "director"), ("Wu Jing", "cast")}


def test_pages_api_event_and_essay_dates_keep_their_precision(client, sample_archive):
    """An event dated to the month says so; essays give the same date fields."""
    event = _get(client, f"/api/v2/pages/{sample_archive.plan.pk}/")
    assert (event["date"], event["date_precision"], event["date_display"]) == (
        "2019-03-01",
        "month",
        "March 2019",
    )
    assert [f["title"] for f in event["films"]] == [sample_archive.film.title]
    essay = _get(client, f"/api/v2/pages/{sample_archive.kokas_essay.pk}/")
    assert (essay["date"], essay["date_precision"], essay["date_display"]) == (
        "2019-03-13",
        "day",
        "13 March 2019",
    )
    assert essay["authors"][0]["person"]["name"] == "Aynne Kokas"
    assert [f["title"] for f in essay["films"]] == [sample_archive.film.title]


def test_pages_api_never_lists_hidden_pages(client, sample_archive):
    """Drafts, withdrawn and private pages are in no listing and have no detail."""
    listing = client.get("/api/v2/pages/", {"limit": 100}).content.decode()
    assert HIDDEN not in listing
    for page in sample_archive.hidden:
        assert client.get(f"/api/v2/pages/{page.pk}/").status_code == 404


def test_pages_api_shows_the_live_version_not_the_draft(client, sample_archive):
    """A live page with a newer unpublished draft shows its published words."""
    data = _get(client, f"/api/v2/pages/{sample_archive.cabinet.pk}/")
    assert data["title"] == "Regulation under cabinet control"
    assert HIDDEN not in json.dumps(data)


def test_pages_api_keeps_private_pages_private_for_signed_in_users(
    client, sample_archive, django_user_model
):
    """Signed in or not, a private page is not in the API."""
    user = django_user_model.objects.create_user("reader", password="x" * 12)
    client.force_login(user)
    hidden = sample_archive.hidden
    for page in (hidden.private_film, hidden.private_event, hidden.private_essay):
        assert client.get(f"/api/v2/pages/{page.pk}/").status_code == 404


def test_pages_api_leaves_hidden_pages_out_of_relations(client, sample_archive):
    """A draft, withdrawn or private essay that relates to a film is not shown on it."""
    hidden = sample_archive.hidden
    hidden_essays = [hidden.draft_essay, hidden.withdrawn_essay, hidden.private_essay]
    related = sample_archive.film.essays.filter(pk__in=[e.pk for e in hidden_essays])
    assert related.count() == len(hidden_essays)
    film = _get(client, f"/api/v2/pages/{sample_archive.film.pk}/")
    assert [e["id"] for e in film["essays"]] == [
        sample_archive.kokas_essay.pk,
        sample_archive.world_essay.pk,
    ]


def test_tags_api_counts_visible_pages_per_type(client, sample_archive):
    """/api/v2/tags/ gives name, slug, description and counts per type,
    counting visible pages only; tags only hidden pages carry are left out."""
    data = _get(client, "/api/v2/tags/")
    tags = {item["slug"]: item for item in data["items"]}
    assert set(tags) == {"box-office", "film-policy", "science-fiction", "soft-power"}
    assert tags["science-fiction"]["name"] == "Science fiction"
    assert tags["science-fiction"]["description"] == "Stories of imagined futures."
    assert tags["soft-power"]["counts"] == {
        "film": 1,
        "essay": 1,
        "event": 1,
        "total": 3,
    }
    assert (
        tags["box-office"]["meta"]["html_url"] == "http://testserver/tags/box-office/"
    )


def test_tags_api_detail_and_filter_by_slug(client, sample_archive):
    """A tag has a detail view; ?slug= finds one tag."""
    found = _get(client, "/api/v2/tags/", slug="box-office")
    (item,) = found["items"]
    detail = _get(client, f"/api/v2/tags/{item['id']}/")
    assert detail["counts"]["total"] == 2
    hidden = sample_archive.tags.hidden.pk
    assert client.get(f"/api/v2/tags/{hidden}/").status_code == 404


def _tags_of_a_new_film(archive, n: int) -> list[str]:
    """The slugs of ``n`` new tags, all on a new film and all but the last on
    another."""
    tags = [f.make_tag(f"Filter tag {i}") for i in range(n)]
    f.make_film(archive.films, title="Carries every tag", tags=tags)
    f.make_film(archive.films, title="Carries all but one", tags=tags[:-1])
    return [tag.slug for tag in tags]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v2/pages/?type=films.FilmPage&tags=",
        "/api/v2/images/?tags=",
        "/api/v2/documents/?tags=",
    ],
)
def test_api_tag_filter_refuses_more_tags_than_the_limit(client, sample_archive, url):
    """More than MAX_TAGS tags is a 400 whose message names the limit."""
    response = client.get(url + ",".join(f"t{i}" for i in range(MAX_TAGS + 1)))
    assert response.status_code == 400
    assert str(MAX_TAGS) in response.json()["message"]


def test_api_tag_filter_at_the_limit_finds_pages_with_every_tag(client, sample_archive):
    """MAX_TAGS tags, by slug or by name in any case, find the pages with all."""
    slugs = _tags_of_a_new_film(sample_archive, MAX_TAGS)
    asked = [*slugs[:-2], "filter tag 8".upper(), "Filter Tag 9"]
    assert len(asked) == MAX_TAGS
    data = _get(client, "/api/v2/pages/", type="films.FilmPage", tags=",".join(asked))
    assert _titles(data) == {"Carries every tag"}
    some = _get(client, "/api/v2/pages/", type="films.FilmPage", tags=slugs[0])
    assert _titles(some) == {"Carries every tag", "Carries all but one"}


def test_api_tag_filter_takes_a_tag_named_twice_as_one(client, sample_archive):
    """A tag given by its slug and again by its name still matches its pages."""
    data = _get(
        client,
        "/api/v2/pages/",
        type="films.FilmPage",
        tags="box-office,Box Office,science-fiction",
    )
    assert _titles(data) == {"The Wandering Earth"}


def test_api_tag_filter_of_an_unknown_tag_finds_nothing(client, sample_archive):
    """A tag no page carries gives an empty listing, not every page."""
    data = _get(
        client, "/api/v2/pages/", type="films.FilmPage", tags="science-fiction,nope"
    )
    assert data["items"] == []


def _joins(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return sum(len(re.findall(r"\bJOIN\b", q["sql"])) for q in queries)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v2/pages/?type=films.FilmPage&tags=",
        "/api/v2/pages/?type=essays.EssayPage&tags=",
        "/api/v2/images/?tags=",
        "/api/v2/documents/?tags=",
    ],
)
def test_api_tag_filter_joins_do_not_grow_with_the_tags(client, sample_archive, url):
    """The tag filter is one query shape: ten tags join no more tables than two."""
    slugs = _tags_of_a_new_film(sample_archive, MAX_TAGS)
    client.get(url + slugs[0])  # fills the per-process caches first
    assert _joins(client, url + ",".join(slugs[:2])) == _joins(
        client, url + ",".join(slugs)
    )


def test_documents_api_filters_by_tags(client, sample_archive):
    """/api/v2/documents/?tags= finds the documents carrying every tag given."""
    document_model = get_document_model()
    both = document_model.objects.create(title="Both", file="documents/both.txt")
    both.tags.add("Press kit", "Posters")
    one = document_model.objects.create(title="One", file="documents/one.txt")
    one.tags.add("Press kit")
    data = _get(client, "/api/v2/documents/", tags="press-kit,POSTERS")
    assert [item["title"] for item in data["items"]] == ["Both"]
    data = _get(client, "/api/v2/documents/", tags="Press kit")
    assert {item["title"] for item in data["items"]} == {"Both", "One"}


def test_images_and_documents_endpoints_answer(client, db):
    """The images and documents endpoints are there."""
    assert _get(client, "/api/v2/images/")["meta"]["total_count"] == 0
    assert _get(client, "/api/v2/documents/")["meta"]["total_count"] == 0


@pytest.mark.parametrize(
    "url", ["/api/v2/pages/", "/api/v2/tags/", "/api/v2/images/", "/api/v2/documents/"]
)
def test_api_is_read_only(client, db, url):
    """Writes are refused."""
    for method in (client.post, client.put, client.patch, client.delete):
        assert method(url, {}).status_code == 405


BAD_PARAMETERS = [
    ("/api/v2/pages/", {"type": "nope"}),
    ("/api/v2/pages/", {"type": "auth.User"}),
    ("/api/v2/pages/", {"type": "films.FilmPage,<script>"}),
    ("/api/v2/pages/", {"limit": "abc"}),
    ("/api/v2/pages/", {"limit": "-5"}),
    ("/api/v2/pages/", {"offset": "-1"}),
    ("/api/v2/pages/", {"offset": "x"}),
    ("/api/v2/pages/", {"fields": "<script>alert(1)</script>"}),
    ("/api/v2/pages/", {"fields": "nope"}),
    ("/api/v2/pages/", {"order": "<b>"}),
    ("/api/v2/pages/", {"child_of": "abc"}),
    ("/api/v2/pages/", {"descendant_of": "-3"}),
    ("/api/v2/pages/", {"nope": "1"}),
    ("/api/v2/pages/", {"title": "\x00"}),
    ("/api/v2/pages/", {"search": "x", "search_operator": "xor"}),
    ("/api/v2/pages/", {"type": "films.FilmPage", "date": "not-a-date"}),
    ("/api/v2/pages/", {"type": "films.FilmPage", "essays": "abc"}),
    ("/api/v2/tags/", {"order": "counts"}),
    ("/api/v2/tags/", {"id": "abc"}),
    ("/api/v2/tags/", {"fields": "-"}),
]


def test_api_answers_bad_parameters_with_400_and_no_markup(client, sample_archive):
    """A bad parameter is a 400 with a message; no markup comes back as is."""
    for url, params in BAD_PARAMETERS:
        response = client.get(url, params)
        assert response.status_code == 400, (url, params)
        assert response.json()["message"], (url, params)
        body = response.content.decode()
        assert "<" not in body and ">" not in body, (url, params)


def test_api_odd_values_never_give_a_500(client, sample_archive):
    """Searches with operators or markup and unknown sites are answered."""
    for params in [
        {"search": "<script>alert(1)</script>"},
        {"search": '"unbalanced'},
        {"search": "流浪"},
        {"search": "!!!"},
        {"site": "nope.example"},
        {"html_path": "/../../etc/passwd"},
    ]:
        response = client.get("/api/v2/pages/", params)
        assert response.status_code in (200, 400, 404), params
        assert "<script>" not in response.content.decode(), params
    assert client.get("/api/v2/pages/find/", {"id": "abc"}).status_code in (400, 404)


def test_api_searches_across_types(client, sample_archive):
    """?search= finds pages of every type, and never hidden ones."""
    data = _get(client, "/api/v2/pages/", search="wandering")
    assert _titles(data) >= {"The Wandering Earth", sample_archive.world_essay.title}
    hidden = _get(client, "/api/v2/pages/", search=HIDDEN)
    assert hidden["items"] == []


# How many queries a listing costs as the archive grows: test_query_counts.py.
