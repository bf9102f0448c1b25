"""A visitor opens a feed in Chromium, reads the data page, and meets filters
that name nothing; on a desktop and on a phone."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

VIEWPORTS = {
    "desktop": {"width": 1280, "height": 800},
    "phone": {"width": 390, "height": 844},
}


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request, page) -> str:
    """The test runs once at desktop width and once at phone width."""
    page.set_viewport_size(VIEWPORTS[request.param])
    return request.param


def _no_sideways_scroll(page) -> None:
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, page.url


def _open_feed(page, url: str) -> None:
    """Open a feed as a visitor would; skip where the browser no longer applies
    XSL stylesheets (Chromium is removing them), since the feed then shows as
    XML, as it would in any browser without them."""
    if page.evaluate("typeof XSLTProcessor") == "undefined":
        pytest.skip("this Chromium no longer applies XSL stylesheets")
    page.goto(url)
    # The stylesheet replaces the XML document with the page it makes.
    page.wait_for_selector(".feed-entries", state="attached")
    # Chromium lays a banner of its own over pages made by XSLT, announcing
    # that it will stop making them; it is the browser's, not the feed's.
    page.evaluate("document.querySelector('xslt-warning-banner')?.remove()")


def test_feed_opened_in_a_browser_reads_as_a_page(
    site, page, viewport, screenshot, axe_violations
):
    """/feeds/latest/ in Chromium is a page: the feed's title as its heading,
    how to subscribe, and each entry as a card with its link, summary and the
    two dates (its own, at its precision, and when the archive added it)."""
    _open_feed(page, site.url + "/feeds/latest/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "The Wandering Earth Archive: newest films, essays and events"
    )
    expect(page.get_by_role("heading", name="This page is a feed")).to_be_visible()
    entries = page.locator(".feed-entries > li")
    assert entries.count() >= 20
    essay = entries.filter(has_text="How China is using science fiction")
    expect(essay.get_by_role("link").first).to_have_attribute(
        "href", re.compile(r"/essays/[\w-]+/$")
    )
    added = r"Added to the archive: \d+ \w+ \d{4}\."
    expect(essay.locator(".feed-entry__dates")).to_have_text(
        re.compile(rf"^Published: 13 March 2019\. {added}$")
    )
    rss = page.locator('.feed-about a[href$="/feeds/latest/rss/"]')
    expect(rss).to_be_visible()
    _no_sideways_scroll(page)
    screenshot(f"feed-atom-{viewport}")
    assert axe_violations() == []

    _open_feed(page, rss.get_attribute("href"))
    expect(page.locator(".eyebrow")).to_have_text("RSS 2.0 feed")
    world = page.locator(".feed-entries > li").filter(has_text="Planet in peril")
    text = world.locator(".feed-entry__text")
    expect(text.locator("p")).to_have_count(2)
    expect(text.locator("p").last).to_have_text(
        re.compile(r"^Published: May 2019\. Added to the archive: ")
    )
    expect(text).not_to_contain_text("<p>")
    screenshot(f"feed-rss-{viewport}")
    assert axe_violations() == []


def test_tag_feed_opened_from_the_tag_page(site, page, viewport, screenshot):
    """The tag page offers its Atom and RSS feeds; either opens as a page of
    the tag's entries."""
    page.goto(site.url + "/tags/soft-power/")
    rss = page.get_by_role("main").get_by_role("link", name="RSS feed", exact=True)
    _open_feed(page, site.url + rss.get_attribute("href"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "The Wandering Earth Archive: tagged “Soft power”"
    )
    expect(page.locator(".feed-entries > li").first).to_contain_text("Soft power")
    _no_sideways_scroll(page)
    screenshot(f"feed-tag-rss-{viewport}")


def test_data_page_documents_the_export_and_the_api(
    site, page, viewport, screenshot, axe_violations
):
    """The footer leads to /data/, which links the export and its schema and
    lists the API's endpoints; the API's own index answers at /api/v2/."""
    page.goto(site.url + "/")
    page.get_by_role("navigation", name="Footer").get_by_role(
        "link", name="Data and API"
    ).click()
    expect(page).to_have_url(re.compile(r"/data/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Data and API")
    export = page.get_by_role("link", name=re.compile(r"^The archive"))
    expect(export).to_have_attribute("href", re.compile(r"/data/archive\.json$"))
    expect(page.get_by_role("link", name=re.compile(r"JSON Schema"))).to_be_visible()
    endpoints = page.get_by_role("table")
    for name in ("pages", "tags", "images", "documents"):
        row = endpoints.get_by_role("rowheader", name=name, exact=True)
        expect(row).to_be_visible()
    _no_sideways_scroll(page)
    screenshot(f"data-page-{viewport}")
    assert axe_violations() == []

    index = page.request.get(site.url + "/api/v2/").json()
    assert [e["name"] for e in index["endpoints"]][:4] == [
        "pages",
        "images",
        "documents",
        "tags",
    ]
    exported = page.request.get(site.url + "/data/archive.json").json()
    assert {"films", "essays", "events", "people", "tags", "citations"} <= set(exported)


NOTES = [
    ("/films/?tag=nope", "No tag “nope”: showing all films."),
    ("/essays/?author=nobody", "No author “nobody”: showing all essays."),
    ("/timeline/?year=abc", "No year “abc”. That is not a year."),
    ("/timeline/?kind=x", "No kind “x”: showing all entries."),
    (
        "/tags/soft-power/?type=x",
        "No type “x”: showing everything tagged “Soft power”.",
    ),
]


def test_filters_that_name_nothing_say_so(
    site, page, viewport, screenshot, axe_violations
):
    """Each listing asked for a filter value that names nothing shows a note
    that says so, in its main region, above what it lists."""
    for number, (path, note) in enumerate(NOTES):
        page.goto(site.url + path)
        shown = page.get_by_role("main").get_by_role("status").filter(has_text=note)
        expect(shown).to_be_visible()
        _no_sideways_scroll(page)
        if number in (0, 4):
            screenshot(f"filter-note-{number}-{viewport}")
        assert axe_violations() == [], path


def test_home_timeline_and_tag_links_read_in_order(
    site, page, viewport, screenshot, axe_violations
):
    """The home page's timeline is grouped under ordered years, and a tag page
    links only the types it has pages of."""
    page.goto(site.url + "/")
    teaser = page.locator(".home-timeline")
    years = [int(y) for y in teaser.locator("h3").all_inner_texts()]
    assert years == sorted(years)
    expect(teaser.locator(".precision").first).to_have_text(re.compile(r"only\)$"))
    teaser.scroll_into_view_if_needed()
    screenshot(f"home-timeline-{viewport}")

    page.goto(site.url + "/tags/liu-cixin/")
    counts = page.get_by_role("list", name="Pages with this tag")
    expect(counts.get_by_role("link")).to_have_count(2)
    expect(counts).not_to_contain_text("0 ")
    screenshot(f"tag-types-{viewport}")
    assert axe_violations() == []
