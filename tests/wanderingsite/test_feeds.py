import json
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page

from tests import factories as f
from tests.factories import HIDDEN

ATOM = "{http://www.w3.org/2005/Atom}"


def _feed(client, url) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)  # noqa: S314 - the site's own feed


def _entries(feed: ET.Element) -> list[dict]:
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "summary": entry.findtext(f"{ATOM}summary"),
            "updated": entry.findtext(f"{ATOM}updated"),
            "categories": [c.get("term") for c in entry.findall(f"{ATOM}category")],
        }
        for entry in feed.findall(f"{ATOM}entry")
    ]


def test_latest_feed_lists_films_essays_and_events_newest_first(client, sample_archive):
    """/feeds/latest/ is Atom with every visible film, essay and event, newest
    first, each with an absolute link, a summary and its tags."""
    entries = _entries(_feed(client, "/feeds/latest/"))
    titles = [e["title"] for e in entries]
    # The sample archive publishes "Planet in peril" last of its visible pages.
    assert titles[0] == sample_archive.world_essay.title
    assert set(titles) == {page.title for page in sample_archive.visible}
    film = next(e for e in entries if e["title"] == "The Wandering Earth")
    assert film["link"] == "http://testserver/films/the-wandering-earth/"
    assert film["summary"] == sample_archive.film.summary
    assert film["categories"] == ["Box office", "Science fiction", "Soft power"]


def test_latest_feed_never_includes_hidden_pages(client, sample_archive):
    """Drafts, withdrawn and private pages and unpublished edits stay out."""
    body = client.get("/feeds/latest/").content.decode()
    assert HIDDEN not in body
    assert sample_archive.tags.hidden.name not in body


def test_tag_feed_lists_the_tags_visible_pages(client, sample_archive):
    """/tags/<slug>/feed/ holds the visible pages with that tag, all types."""
    feed = _feed(client, "/tags/box-office/feed/")
    assert feed.findtext(f"{ATOM}title").endswith("tagged “Box office”")
    assert {e["title"] for e in _entries(feed)} == {
        sample_archive.film.title,
        sample_archive.world_essay.title,
    }


def test_tag_feed_never_includes_hidden_pages(client, sample_archive):
    """A tag's feed leaves out its hidden pages; a tag carried only by hidden
    pages has no feed at all."""
    assert HIDDEN not in client.get("/tags/soft-power/feed/").content.decode()
    response = client.get(f"/tags/{sample_archive.tags.hidden.slug}/feed/")
    assert response.status_code == 404
    assert HIDDEN not in response.content.decode()


@pytest.mark.parametrize("slug", ["nope", "..", "%00", "<script>", "流浪地球"])
def test_tag_feed_of_an_unknown_tag_is_not_found(client, sample_archive, slug):
    """An unknown or malformed tag slug gives a 404."""
    assert client.get(f"/tags/{slug}/feed/").status_code == 404


def test_tag_feed_escapes_markup_in_tag_names(client, home_page):
    """A tag name with markup is escaped in the feed, which still parses."""
    indexes = f.archive_indexes(home_page)
    tag = f.make_tag("<b>Bold</b> & more", slug="bold")
    f.make_film(indexes["films"], title="A <i>film</i>", tags=[tag])
    feed = _feed(client, "/tags/bold/feed/")
    assert feed.findtext(f"{ATOM}title").endswith("“<b>Bold</b> & more”")
    assert _entries(feed)[0]["title"] == "A <i>film</i>"


MARKUP = "<img src=x onerror=alert(1)> & <script>alert(2)</script>"


def _live_markup(element: ET.Element) -> bool:
    """Whether a feed reader would render ``element`` as markup, not as text."""
    kind = element.get("type", "text")
    if kind == "html":
        return "<" in (element.text or "")
    return kind != "text" or len(element) > 0


@pytest.mark.parametrize("url", ["/feeds/latest/", "/tags/bold/feed/"])
def test_feed_gives_markup_in_summaries_and_titles_as_text(client, home_page, url):
    """Markup an editor typed into a title, summary or tag reaches feed readers
    as the literal text typed, never as live markup."""
    indexes = f.archive_indexes(home_page)
    tag = f.make_tag(f"Bold {MARKUP}", slug="bold", description=MARKUP)
    f.make_film(indexes["films"], title=f"Film {MARKUP}", summary=MARKUP, tags=[tag])
    feed = _feed(client, url)
    (entry,) = [
        e
        for e in feed.findall(f"{ATOM}entry")
        if e.findtext(f"{ATOM}title") == f"Film {MARKUP}"
    ]
    assert entry.findtext(f"{ATOM}summary") == MARKUP
    texts = [
        element
        for element in feed.iter()
        if element.tag in {f"{ATOM}{n}" for n in ("title", "subtitle", "summary")}
    ]
    assert len(texts) >= 3
    assert not [e.tag for e in texts if _live_markup(e)]
    terms = [c.get("term") for c in entry.findall(f"{ATOM}category")]
    assert terms == [tag.name]


def test_feed_links_announce_the_latest_feed_on_every_page(client, sample_archive):
    """Pages carry an autodiscovery link to /feeds/latest/."""
    html = client.get("/films/").content.decode()
    assert (
        '<link rel="alternate" type="application/atom+xml" '
        'title="The Wandering Earth Archive: newest films, essays and events" '
        'href="/feeds/latest/">'
    ) in html


def test_feed_links_announce_a_tags_feed_given_feed_tag(sample_archive):
    """With ``feed_tag`` in the context the include adds the tag's own feed."""
    html = render_to_string(
        "includes/feed_links.html",
        {"feed_tag": sample_archive.tags.money},
        request=RequestFactory().get("/"),
    )
    assert 'href="/tags/box-office/feed/"' in html
    assert "tagged “Box office”" in html


def test_tag_page_announces_its_feed(client, sample_archive):
    """The tag page's head links the tag's feed."""
    html = client.get("/tags/box-office/").content.decode()
    assert 'type="application/atom+xml"' in html
    assert 'href="/tags/box-office/feed/"' in html


# How many queries a feed costs as the archive grows: test_query_counts.py.


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="EXPLAIN plans are PostgreSQL's"
)
def test_latest_feed_reads_the_newest_pages_by_index_without_sorting_them(
    client, sample_archive
):
    """Pages published in the same instant (as a bulk load publishes them)
    still come newest first straight from an index: the plan sorts nothing."""
    Page.objects.filter(depth__gt=2).update(first_published_at=timezone.now())
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/feeds/latest/").status_code == 200
    newest = next(q["sql"] for q in queries if "first_published_at" in q["sql"])
    # On a test-sized table the planner may rightly read everything and sort
    # it; with those plans ruled out, only an index in the feed's order serves.
    with connection.cursor() as cursor:
        for plan_kind in ("seqscan", "bitmapscan", "sort", "incremental_sort"):
            cursor.execute(f"SET LOCAL enable_{plan_kind} = off")
        cursor.execute(f"EXPLAIN (FORMAT JSON) {newest}")
        plan = json.dumps(cursor.fetchone()[0])
    assert "wanderingsite_page_first_published_id" in plan, plan
    assert "Sort" not in plan, plan
