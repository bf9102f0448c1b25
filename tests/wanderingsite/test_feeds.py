import datetime
import json
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page

from tests import factories as f
from tests.factories import HIDDEN

ATOM = "{http://www.w3.org/2005/Atom}"
XHTML = "{http://www.w3.org/1999/xhtml}"
DC = "{http://purl.org/dc/elements/1.1/}"
STYLESHEET_PI = '<?xml-stylesheet href="/static/feeds/feed.xsl"'


def _feed(client, url) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200
    # XML, so that a browser applies the stylesheet; the format is in the
    # pages' autodiscovery links.
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    return ET.fromstring(response.content)  # noqa: S314 - the site's own feed


def _entries(feed: ET.Element) -> list[dict]:
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "summary": entry.findtext(f"{ATOM}summary"),
            "updated": entry.findtext(f"{ATOM}updated"),
            "categories": [c.get("term") for c in entry.findall(f"{ATOM}category")],
            "published": entry.findtext(f"{ATOM}published"),
            "content": [
                "".join(p.itertext())
                for p in entry.findall(f"{ATOM}content/{XHTML}div/{XHTML}p")
            ],
        }
        for entry in feed.findall(f"{ATOM}entry")
    ]


def _items(feed: ET.Element) -> list[dict]:
    return [
        {
            "title": item.findtext("title"),
            "link": item.findtext("link"),
            "guid": item.findtext("guid"),
            "description": item.findtext("description"),
            "pubDate": parsedate_to_datetime(item.findtext("pubDate")),
            "dc_date": item.findtext(f"{DC}date"),
            "categories": [c.text for c in item.findall("category")],
        }
        for item in feed.findall("channel/item")
    ]


class _Html(HTMLParser):
    """The elements of an HTML fragment, and the text of each paragraph."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[str] = []
        self.paragraphs: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "p":
            self.paragraphs.append("")

    def handle_data(self, data):
        if self.paragraphs:
            self.paragraphs[-1] += data


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
    content = entry.find(f"{ATOM}content/{XHTML}div")
    assert [child.tag for child in content.iter()][1:] == [f"{XHTML}p"] * 2
    assert "".join(content.find(f"{XHTML}p").itertext()) == MARKUP


@pytest.mark.parametrize("url", ["/feeds/latest/rss/", "/tags/bold/feed/rss/"])
def test_rss_feed_gives_markup_in_titles_and_descriptions_as_text(
    client, home_page, url
):
    """In RSS, whose readers may render titles and descriptions as HTML, markup
    typed into a title, summary or tag is escaped: as HTML it is the text typed."""
    indexes = f.archive_indexes(home_page)
    tag = f.make_tag(f"Bold {MARKUP}", slug="bold", description=MARKUP)
    f.make_film(indexes["films"], title=f"Film {MARKUP}", summary=MARKUP, tags=[tag])
    feed = _feed(client, url)
    (item,) = [i for i in _items(feed) if _text_of_html(i["title"]) == f"Film {MARKUP}"]
    assert _Html(item["title"]).tags == []
    description = _Html(item["description"])
    assert description.tags == ["p", "p"]
    assert description.paragraphs[0] == MARKUP
    for name in ("title", "description"):
        assert _Html(feed.findtext(f"channel/{name}")).tags == []


def _text_of_html(html: str) -> str:
    parsed = _Html(f"<p>{html}</p>")
    return parsed.paragraphs[0]


@pytest.mark.parametrize(
    "url",
    [
        "/feeds/latest/",
        "/feeds/latest/rss/",
        "/tags/box-office/feed/",
        "/tags/box-office/feed/rss/",
    ],
)
def test_feed_names_its_stylesheet_for_browsers(client, sample_archive, url):
    """Each feed's prolog names the XSL stylesheet, which is an XSLT file
    the site serves itself, from its static files."""
    body = client.get(url).content.decode()
    declaration, _, rest = body.partition("?>")
    assert declaration.startswith('<?xml version="1.0"')
    instruction = rest[: rest.index("?>")]
    assert instruction.lstrip().startswith(STYLESHEET_PI)
    assert 'type="text/xsl"' in instruction
    stylesheet = finders.find("feeds/feed.xsl")
    assert stylesheet is not None
    xsl = ET.parse(stylesheet).getroot()  # noqa: S314 - the project's own file
    assert xsl.tag == "{http://www.w3.org/1999/XSL/Transform}stylesheet"


def test_rss_feeds_list_what_their_atom_twins_list(client, sample_archive):
    """/feeds/latest/rss/ and a tag's /feed/rss/ hold the Atom feeds' entries,
    in the same order, each with its absolute link as its guid and its tags."""
    for atom_url in ("/feeds/latest/", "/tags/box-office/feed/"):
        atom = _entries(_feed(client, atom_url))
        rss = _items(_feed(client, f"{atom_url}rss/"))
        assert [i["title"] for i in rss] == [e["title"] for e in atom]
        assert [i["link"] for i in rss] == [e["link"] for e in atom]
        assert all(i["guid"] == i["link"] for i in rss)
        assert [i["categories"] for i in rss] == [e["categories"] for e in atom]
    assert HIDDEN not in client.get("/feeds/latest/rss/").content.decode()
    assert HIDDEN not in client.get("/tags/soft-power/feed/rss/").content.decode()


def _added(page) -> str:
    page.refresh_from_db()
    day = page.first_published_at.astimezone(datetime.UTC)
    return f"Added to the archive: {day.day} {day:%B} {day.year}."


def test_atom_entries_say_when_an_essay_was_published_and_when_it_was_added(
    client, sample_archive
):
    """An essay's entry is ``published`` on the essay's own date (noon UTC on
    its first day, as precise as RFC 3339 allows), ``updated`` when the archive
    last published it, and its text says both dates at their precision."""
    entries = {e["title"]: e for e in _entries(_feed(client, "/feeds/latest/"))}
    world = sample_archive.world_essay
    world.refresh_from_db()
    entry = entries[world.title]
    assert entry["published"] == "2019-05-01T12:00:00+00:00"
    assert entry["updated"] == world.last_published_at.isoformat()
    assert entry["content"][-1] == f"Published: May 2019. {_added(world)}"
    kokas = entries[sample_archive.kokas_essay.title]
    assert kokas["published"] == "2019-03-13T12:00:00+00:00"
    assert kokas["content"][0] == sample_archive.kokas_essay.summary


def test_atom_entries_of_films_and_events_say_their_own_dates(client, sample_archive):
    """A film's or event's entry is ``published`` when the archive published
    it, and its text gives the release or event date, or says it is not
    recorded."""
    entries = {e["title"]: e for e in _entries(_feed(client, "/feeds/latest/"))}
    film = sample_archive.film
    film.refresh_from_db()
    assert entries[film.title]["published"] == film.first_published_at.isoformat()
    assert entries[film.title]["content"][-1] == (
        f"Released: 5 February 2019. {_added(film)}"
    )
    assert entries["Interstellar"]["content"][-1] == (
        "Released: not recorded in the archive's sources. "
        f"{_added(sample_archive.undated)}"
    )
    assert entries[sample_archive.plan.title]["content"][-1] == (
        f"Date: March 2019. {_added(sample_archive.plan)}"
    )


def test_rss_items_are_dated_when_the_archive_added_them(client, sample_archive):
    """RSS's one date, ``pubDate``, is when the archive added the page (the order
    the feed lists them in); an essay's own publication date is in ``dc:date``
    at its precision, and the description says both."""
    items = {i["title"]: i for i in _items(_feed(client, "/feeds/latest/rss/"))}
    world = sample_archive.world_essay
    world.refresh_from_db()
    item = items[world.title]
    assert item["pubDate"] == world.first_published_at.replace(microsecond=0)
    assert item["dc_date"] == "2019-05"
    assert items[sample_archive.kokas_essay.title]["dc_date"] == "2019-03-13"
    assert items[sample_archive.film.title]["dc_date"] is None
    paragraphs = _Html(item["description"]).paragraphs
    assert paragraphs[-1] == f"Published: May 2019. {_added(world)}"
    dates = [i["pubDate"] for i in _items(_feed(client, "/feeds/latest/rss/"))]
    assert dates == sorted(dates, reverse=True)


def test_feed_links_announce_the_latest_feed_on_every_page(client, sample_archive):
    """Pages carry an autodiscovery link to /feeds/latest/."""
    html = client.get("/films/").content.decode()
    assert (
        '<link rel="alternate" type="application/atom+xml" '
        'title="The Wandering Earth Archive: newest films, essays and events" '
        'href="/feeds/latest/">'
    ) in html


def test_feed_links_announce_the_latest_rss_feed_on_every_page(client, sample_archive):
    """Pages carry an autodiscovery link to the RSS twin, /feeds/latest/rss/."""
    html = client.get("/essays/").content.decode()
    assert (
        '<link rel="alternate" type="application/rss+xml" '
        'title="The Wandering Earth Archive: newest films, essays and events (RSS)" '
        'href="/feeds/latest/rss/">'
    ) in html


def test_feed_links_announce_a_tags_feed_given_feed_tag(sample_archive):
    """With ``feed_tag`` in the context the include adds the tag's own feeds,
    Atom and RSS."""
    html = render_to_string(
        "includes/feed_links.html",
        {"feed_tag": sample_archive.tags.money},
        request=RequestFactory().get("/"),
    )
    assert 'type="application/atom+xml"' in html
    assert 'href="/tags/box-office/feed/"' in html
    assert 'type="application/rss+xml"' in html
    assert 'href="/tags/box-office/feed/rss/"' in html
    assert "tagged “Box office”" in html


def test_tag_page_announces_its_feed(client, sample_archive):
    """The tag page's head links the tag's feeds, and its body offers both."""
    html = client.get("/tags/box-office/").content.decode()
    assert 'type="application/atom+xml"' in html
    assert 'href="/tags/box-office/feed/"' in html
    assert 'href="/tags/box-office/feed/rss/"' in html
    assert '<a href="/tags/box-office/feed/rss/">RSS feed</a>' in html


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
