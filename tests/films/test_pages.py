"""The film index, film pages, the timeline and policy event pages."""

import datetime
import re

import pytest

from tests import factories as f
from tests.page_helpers import json_ld, main, meta, text, words


def _passage(slug: str, anchor: str) -> str:
    """A pattern for the link to quoted words in paragraph ``anchor`` of an
    essay, naming the fact it comes from."""
    return rf'href="/essays/{slug}/\?from=\d+-[0-9a-f]{{8}}#{anchor}-q[0-9a-f]{{6}}"'


# Film page


def test_film_page_marks_the_original_title_with_its_language(sample_archive, client):
    """The Chinese title stands in a span marked lang="zh"."""
    response = client.get("/films/the-wandering-earth/")
    assert '<span lang="zh">流浪地球</span>' in response.content.decode()


def test_film_page_shows_the_release_date_at_its_precision(sample_archive, client):
    """A day-precise date reads '5 February 2019', a month-precise 'January 2023'."""
    day = client.get("/films/the-wandering-earth/").content.decode()
    month = client.get("/films/the-wandering-earth-ii/").content.decode()
    assert '<time datetime="2019-02-05">5 February 2019</time>' in day
    assert '<time datetime="2023-01">January 2023</time>' in month


def test_film_page_says_when_the_release_date_is_not_recorded(sample_archive, client):
    """A film without a date says so instead of inventing one."""
    response = client.get("/films/interstellar/")
    assert "Not recorded" in main(response)
    assert "<time" not in main(response)


def test_film_page_lists_credits_with_characters(sample_archive, client):
    """Director and cast appear, the actor with the character played."""
    page = text(client.get("/films/the-wandering-earth/"))
    assert "Directed by Frant Gwo 郭帆" in page
    assert "Wu Jing 吴京 as Liu Peiqiang" in page
    assert "Based on A novella by Liu Cixin" in page


def test_film_page_shows_disagreeing_grosses_side_by_side(sample_archive, client):
    """Both domestic grosses stand in one row group, each linked to its passage."""
    html = client.get("/films/the-wandering-earth/").content.decode()
    group = re.search(r'<tbody class="box-office__disagree">(.*?)</tbody>', html, re.S)
    assert group is not None
    rows = group.group(1)
    assert "over US$600 million" in rows
    assert "US$693 million" in rows
    assert re.search(_passage("how-china", "p2"), rows)
    assert re.search(_passage("planet-in-peril", "p1"), rows)
    assert "Sources disagree" in rows


def test_film_page_links_each_cited_fact_to_its_passage(sample_archive, client):
    """Facts are grouped by topic and link to the quoted words of their essay."""
    html = main(client.get("/films/the-wandering-earth/"))
    facts = html[html.index('id="facts-heading"') :]
    assert "<h3>Production</h3>" in facts
    assert "Directed by Frant Gwo" in facts
    assert re.search(f"<a {_passage('how-china', 'p1')}>Read the passage", facts)


def test_film_page_lists_the_essays_and_events_about_it(sample_archive, client):
    """The film shows the essays that discuss it and the events related to it."""
    html = main(client.get("/films/the-wandering-earth/"))
    discussed = html[
        html.index('id="essays-heading"') : html.index('id="events-heading"')
    ]
    assert 'href="/essays/how-china/"' in discussed
    assert 'href="/essays/planet-in-peril/"' in discussed
    assert (
        'href="/timeline/strong-film-power/"'
        in html[html.index('id="events-heading"') :]
    )


def test_film_page_describes_itself_as_a_movie(sample_archive, client):
    """JSON-LD says Movie, with both titles, date, director and cast."""
    data = json_ld(client.get("/films/the-wandering-earth/"))
    assert data["@type"] == "Movie"
    assert data["name"] == "The Wandering Earth"
    assert data["alternateName"] == ["流浪地球", "Liulang Diqiu"]
    assert data["datePublished"] == "2019-02-05"
    root = data["url"].removesuffix("/films/the-wandering-earth/")
    assert data["director"] == [
        {
            "@type": "Person",
            "name": "Frant Gwo",
            "url": f"{root}/people/frant-gwo/",
            "alternateName": "郭帆",
        }
    ]
    assert data["actor"][0]["name"] == "Wu Jing"
    assert data["url"].endswith("/films/the-wandering-earth/")


def test_film_page_has_canonical_description_opengraph_and_breadcrumbs(
    sample_archive, client
):
    """Canonical URL, description, OpenGraph and a breadcrumb trail are present."""
    response = client.get("/films/the-wandering-earth/")
    canonical = meta(response, "link", "canonical")
    assert canonical.endswith("/films/the-wandering-earth/")
    assert meta(response, "name", "description") == sample_archive.film.summary
    assert meta(response, "property", "og:type") == "video.movie"
    assert meta(response, "property", "og:url") == canonical
    html = response.content.decode()
    crumbs = html[
        html.index('aria-label="Breadcrumb"') : html.index(
            "</nav>", html.index('aria-label="Breadcrumb"')
        )
    ]
    assert '<a href="/">Home</a>' in crumbs
    assert '<a href="/films/">Films</a>' in crumbs
    assert '<span aria-current="page">The Wandering Earth</span>' in crumbs


def test_film_page_json_ld_cannot_close_its_script(sample_archive, client):
    """Markup in a title is escaped inside JSON-LD, never closing the script."""
    f.make_film(sample_archive.films, title="Evil </script><b>bold</b>", slug="evil")
    html = client.get("/films/evil/").content.decode()
    assert "</script><b>" not in html
    assert "\\u003C/script\\u003E\\u003Cb\\u003Ebold" in html


# Film index


def test_film_index_lists_visible_films_newest_first(sample_archive, client):
    """Dated films come newest first, undated ones last."""
    listing = main(client.get("/films/"))
    order = [
        listing.index(f'href="/films/{slug}/"')
        for slug in ("the-wandering-earth-ii", "the-wandering-earth", "interstellar")
    ]
    assert order == sorted(order)


def test_film_index_filters_by_tag_and_year(sample_archive, client):
    """?tag= and ?year= narrow the list, and the heading says how."""
    by_tag = main(client.get("/films/?tag=box-office"))
    assert 'href="/films/the-wandering-earth/"' in by_tag
    assert 'href="/films/the-wandering-earth-ii/"' not in by_tag
    assert "1 film tagged “Box office”" in words(by_tag)
    by_year = main(client.get("/films/?year=2023"))
    assert 'href="/films/the-wandering-earth-ii/"' in by_year
    assert 'href="/films/the-wandering-earth/"' not in by_year


def test_film_index_keeps_filtered_pages_out_of_search_engines(sample_archive, client):
    """A filtered listing is noindex; the plain one is not."""
    assert meta(client.get("/films/?tag=box-office"), "name", "robots") == (
        "noindex, follow"
    )
    assert meta(client.get("/films/"), "name", "robots") is None


@pytest.mark.parametrize(
    "query",
    [
        "?page=-1",
        "?page=abc",
        "?page=999999",
        "?page=1e9",
        "?year=x",
        "?year=99999999999999999999",
        "?tag=%3Cscript%3Ealert(1)%3C/script%3E",
        "?tag=%22%3E%3Cimg%20src=x%3E&year=%3Cb%3E",
    ],
)
def test_film_index_survives_odd_query_strings(sample_archive, client, query):
    """Odd values give a page, never an error, and are never echoed back as markup."""
    response = client.get(f"/films/{query}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "<img src=x>" not in html
    assert "<b>" not in main(response)


def test_film_index_paginates_and_keeps_filters_in_page_links(sample_archive, client):
    """Thirteen tagged films make two pages; 'Next' keeps the tag."""
    for n in range(12):
        f.make_film(
            sample_archive.films,
            tags=[sample_archive.tags.money],
            date=datetime.date(2000, 1, n + 1),
        )
    first = client.get("/films/?tag=box-office")
    assert 'href="?tag=box-office&amp;page=2" rel="next"' in first.content.decode()
    second = client.get("/films/?tag=box-office&page=2")
    assert "Page 2 of 2" in text(second)
    assert len(re.findall(r'class="card card--film"', main(second))) == 1


def test_film_index_canonical_keeps_the_page_number_only(sample_archive, client):
    """Page 2's canonical URL names page 2; filters never enter it."""
    for _ in range(12):
        f.make_film(sample_archive.films)
    assert meta(client.get("/films/?page=2"), "link", "canonical").endswith(
        "/films/?page=2"
    )
    assert meta(client.get("/films/?tag=box-office"), "link", "canonical").endswith(
        "/films/"
    )


# Timeline


def test_timeline_shows_events_and_releases_oldest_first_by_year(
    sample_archive, client
):
    """Years run oldest first; each entry shows its date at its precision."""
    listing = main(client.get("/timeline/"))
    years = [int(y) for y in re.findall(r'<h2 id="year-(\d+)"', listing)]
    assert years == sorted(years) == [2013, 2018, 2019, 2023]
    # The entries as listed, after the chart of them and its table.
    entries = words(listing[listing.index('<h2 id="year-') :])
    positions = [
        entries.index(s)
        for s in (
            "2013 (year only)",
            "March 2018 (month only)",
            "5 February 2019",
            "March 2019 (month only)",
            "January 2023 (month only)",
        )
    ]
    assert positions == sorted(positions)


def test_timeline_shows_how_a_relative_date_was_worked_out(sample_archive, client):
    """An event's date note appears beside it."""
    assert "'Earlier this month', in an essay of 13 March 2019." in text(
        client.get("/timeline/")
    )


def test_timeline_leaves_out_undated_films(sample_archive, client):
    """A film without a release date is not placed on the timeline."""
    assert "/films/interstellar/" not in main(client.get("/timeline/"))


def test_timeline_filters_by_kind_and_tag(sample_archive, client):
    """?kind=release keeps only films; ?kind=plan only plans; ?tag= narrows both."""
    releases = main(client.get("/timeline/?kind=release"))
    assert "/films/the-wandering-earth/" in releases
    assert "/timeline/" + "strong-film-power/" not in releases
    plans = main(client.get("/timeline/?kind=plan"))
    assert "/timeline/strong-film-power/" in plans
    assert "/timeline/regulators-merged/" not in plans
    assert "/films/" not in plans
    tagged = main(client.get("/timeline/?tag=film-policy"))
    assert "/timeline/regulators-merged/" in tagged
    assert "/films/the-wandering-earth/" not in tagged


@pytest.mark.parametrize(
    "query", ["?kind=%3Cscript%3E", "?kind=&tag=", "?tag=nope", "?kind=x&tag=%00"]
)
def test_timeline_survives_odd_query_strings(sample_archive, client, query):
    """Unknown kinds and tags give the page, never an error or echoed markup."""
    response = client.get(f"/timeline/{query}")
    assert response.status_code == 200
    assert "<script>" not in main(response)


def test_timeline_lists_every_year_with_its_count(sample_archive, client):
    """A navigation lists each year once, oldest first, with its entries'
    count, each a link to that year's own listing."""
    html = main(client.get("/timeline/"))
    nav = html[html.index('aria-label="Years on the timeline"') :]
    nav = nav[: nav.index("</nav>")]
    assert re.findall(r'href="\?year=(\d+)"', nav) == ["2013", "2018", "2019", "2023"]
    assert 'aria-current="page">Every year' in nav


def test_timeline_year_lists_only_that_year(sample_archive, client):
    """?year=2019 shows the entries of 2019, marked as the current year."""
    html = main(client.get("/timeline/?year=2019"))
    assert re.findall(r'<h2 id="year-(\d+)"', html) == ["2019"]
    assert "/films/the-wandering-earth/" in html
    assert "/timeline/regulators-merged/" not in html
    assert re.search(r'<span aria-current="page">2019 ', html)


@pytest.mark.parametrize("year", ["abc", "0", "99999", "-1", "2019<script>"])
def test_timeline_says_a_year_that_is_no_year_is_not_one(sample_archive, client, year):
    """A ?year= that is no year shows no entries and says so, never the
    whole timeline in its place, and is kept out of search engines."""
    response = client.get("/timeline/", {"year": year})
    assert response.status_code == 200
    html = main(response)
    assert "That is not a year." in html
    assert "timeline__entry" not in html
    assert meta(response, "name", "robots") == "noindex, follow"
    assert "<script>" not in html


def test_timeline_year_without_entries_says_so(sample_archive, client):
    """A year nothing happened in is a message, not the whole timeline."""
    response = client.get("/timeline/?year=1900")
    assert "No entries in 1900 match these filters." in words(main(response))
    assert "timeline__entry" not in main(response)


def test_timeline_shows_a_bounded_page_of_entries_oldest_first(
    sample_archive, client, monkeypatch
):
    """Past a page's length the timeline continues on ?page=2, oldest first,
    each entry on exactly one page, the year heading repeated where a year
    runs on."""
    monkeypatch.setattr("films.models.TIMELINE_PAGE_LENGTH", 3)
    pages = [main(client.get("/timeline/", {"page": n})) for n in (1, 2)]
    hrefs = [re.findall(r'class="timeline__title"><a href="([^"]+)"', p) for p in pages]
    assert [len(h) for h in hrefs] == [3, 2]
    flat = [href for page in hrefs for href in page]
    assert len(set(flat)) == 5
    assert 'aria-label="Pages"' in pages[0]
    assert 'href="?page=2" rel="next"' in pages[0]
    first_years = re.findall(r'<h2 id="year-(\d+)"', pages[0])
    assert first_years == sorted(first_years)
    assert first_years[0] == "2013"


# Policy event page


def test_event_page_shows_date_note_kind_and_actors(sample_archive, client):
    """The event gives its date at precision, how it was worked out, kind and actors."""
    page = text(client.get("/timeline/strong-film-power/"))
    assert "When March 2019 (month only) 'Earlier this month', in an essay" in page
    assert "Kind Plan" in page
    assert "Wang Xiaohui 王晓晖 — laid out the plan" in page


def test_event_page_links_citations_films_and_essays(sample_archive, client):
    """Cited facts link to their passage; related films and essays are listed."""
    html = main(client.get("/timeline/strong-film-power/"))
    assert re.search(f"<a {_passage('how-china', 'p3')}>Read the passage", html)
    assert 'href="/films/the-wandering-earth/"' in html
    essays = html[html.index('id="essays-heading"') :]
    assert 'href="/essays/how-china/"' in essays


def test_event_page_describes_itself_as_an_event(sample_archive, client):
    """JSON-LD says Event, with the start date cut to its precision."""
    data = json_ld(client.get("/timeline/strong-film-power/"))
    assert data["@type"] == "Event"
    assert data["startDate"] == "2019-03"
    root = data["url"].removesuffix("/timeline/strong-film-power/")
    assert data["contributor"] == [
        {
            "@type": "Person",
            "name": "Wang Xiaohui",
            "url": f"{root}/people/wang-xiaohui/",
            "alternateName": "王晓晖",
        }
    ]
