"""The small things a visitor trips on: the home page's timeline in the
timeline's order, no links to empty sections, and filters that say when they
were ignored."""

import datetime
import re

import pytest

from tests import factories as f
from tests.page_helpers import main, meta, words


def _section(response, heading_id: str) -> str:
    html = response.content.decode()
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</section>", start)]


def _teaser_titles(response) -> list[str]:
    teaser = _section(response, "timeline-heading")
    return [
        words(title)
        for title in re.findall(r'<h4 class="timeline__title">(.*?)</h4>', teaser)
    ]


# The home page's timeline


def test_home_teaser_shows_the_timelines_last_entries_in_its_order(
    sample_archive, client
):
    """The teaser holds the timeline's last five entries, in the timeline's
    own order: in a year, a date known only to the year comes before one known
    to the month, which comes before one known to the day."""
    f.make_event(
        sample_archive.timeline,
        title="A day in 2023",
        date=datetime.date(2023, 1, 1),
        date_precision="day",
    )
    f.make_event(
        sample_archive.timeline,
        title="Sometime in 2023",
        date=datetime.date(2023, 1, 1),
        date_precision="year",
    )
    timeline = sample_archive.timeline.specific
    count = sum(timeline.get_listing({}).year_counts.values())
    last_five = [
        entry.page.title for entry in timeline.entries(start=count - 5, stop=count)
    ]
    assert _teaser_titles(client.get("/")) == last_five
    assert last_five[-3:] == [
        "Sometime in 2023",
        "The Wandering Earth II",
        "A day in 2023",
    ]


def test_home_teaser_groups_its_entries_under_their_years(sample_archive, client):
    """Each year of the teaser is a heading over its entries, and a date shown
    only to the year or month says so, as on the timeline."""
    teaser = _section(client.get("/"), "timeline-heading")
    years = re.findall(r'<h3 class="timeline-year__heading">(\d+)</h3>', teaser)
    assert years == sorted(years)
    assert years[-1] == "2023"
    assert 'January 2023</time> <span class="precision">(month only)</span>' in (teaser)


# No links to empty sections


def test_tag_page_links_only_the_types_that_carry_the_tag(sample_archive, client):
    """ "Box office" is on a film and an essay only: the page counts and links
    those two, and neither names nor shows the events it has none of."""
    html = main(client.get("/tags/box-office/"))
    counts = html[html.index('<ul class="counts"') : html.index("</ul>")]
    assert words(counts) == "1 film 1 essay"
    assert 'href="#events"' not in html
    assert 'id="events"' not in html
    assert "0 events" not in words(html)


def test_tag_page_of_one_type_links_only_the_types_that_carry_the_tag(
    sample_archive, client
):
    """On a tag's page of one type, the other types are linked only where they
    have pages; a type asked for that has none says so."""
    html = main(client.get("/tags/box-office/?type=event"))
    assert 'href="?type=film"' in html
    assert 'href="?type=essay"' in html
    assert 'href="?type=event"' not in html
    assert "No events carry this tag." in words(html)


def test_timeline_offers_only_kinds_that_have_entries(sample_archive, client):
    """The kind filter lists the kinds with entries, with their counts, and
    a kind asked for that has none (so that the page can say so)."""
    html = main(client.get("/timeline/"))
    select = html[html.index('id="filter-kind"') : html.index("</select>")]
    assert re.findall(r'<option value="([^"]*)"', select) == [
        "",
        "release",
        "regulation",
        "plan",
    ]
    assert "Film release (2)" in select
    asked = main(client.get("/timeline/?kind=milestone"))
    assert '<option value="milestone" selected>' in asked
    assert "0 entries of kind “Box-office milestone”" in words(asked)


def test_home_links_only_to_sections_with_entries(sample_archive, client):
    """With every essay withdrawn, the home page no longer links to the empty
    essay index (nor teases it); the other sections stay."""
    for essay in (sample_archive.kokas_essay, sample_archive.world_essay):
        essay.unpublish()
    html = client.get("/").content.decode()
    sections = html[html.index('aria-label="Sections of the archive"') :]
    sections = sections[: sections.index("</nav>")]
    assert 'href="/essays/"' not in sections
    for href in ("/films/", "/timeline/", "/tags/"):
        assert f'href="{href}"' in sections


# Filters that name nothing


IGNORED = [
    ("/films/", {"tag": "nope"}, "No tag “nope”: showing all films."),
    ("/films/", {"year": "abc"}, "No year “abc”: showing all films."),
    ("/essays/", {"tag": "nope"}, "No tag “nope”: showing all essays."),
    ("/essays/", {"author": "nobody"}, "No author “nobody”: showing all essays."),
    ("/timeline/", {"tag": "nope"}, "No tag “nope”: showing all entries."),
    ("/timeline/", {"kind": "x"}, "No kind “x”: showing all entries."),
    (
        "/tags/soft-power/",
        {"type": "x"},
        "No type “x”: showing everything tagged “Soft power”.",
    ),
]


@pytest.mark.parametrize(("url", "params", "note"), IGNORED)
def test_listing_says_which_filter_it_ignored(
    sample_archive, client, url, params, note
):
    """A filter value that names nothing gives the page, unfiltered, with a
    note that says it was ignored; the page is kept out of search engines."""
    response = client.get(url, params)
    assert response.status_code == 200
    assert note in words(main(response))
    assert meta(response, "name", "robots") == "noindex, follow"


def test_listing_note_keeps_the_other_filters_in_force(sample_archive, client):
    """Beside a filter that works, an ignored one is said to be left out."""
    html = words(main(client.get("/films/", {"tag": "science-fiction", "year": "x"})))
    assert "No year “x”: that filter is left out." in html
    assert "3 films tagged “Science fiction”" in html


def test_timeline_says_a_year_that_is_no_year_by_name(sample_archive, client):
    """?year=abc is named in the timeline's note."""
    html = words(main(client.get("/timeline/", {"year": "abc"})))
    assert "No year “abc”. That is not a year." in html


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("a\x00b\x1bc\u2028d", "a b c d"),
        ("流浪" * 40, '<span lang="zh">' + "流浪" * 19 + "流</span>…"),
    ],
)
def test_listing_note_repeats_the_value_escaped_and_cut_short(
    sample_archive, client, raw, shown
):
    """The note repeats markup as text, control characters as spaces, and at
    most 40 characters, Chinese marked as such."""
    html = main(client.get("/films/", {"tag": raw}))
    assert f"No tag “{shown}”" in html
    assert "<script>" not in html


def test_listing_without_odd_filters_says_nothing_was_ignored(sample_archive, client):
    """Valid or blank filters give no note."""
    for params in ({}, {"tag": "science-fiction"}, {"tag": " ", "year": ""}):
        assert "filter-note" not in main(client.get("/films/", params))
