"""A visitor walks the archive in Chromium, without logging in."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_visitor_follows_a_tag_to_a_film_and_a_citation(site, page, screenshot):
    """Home, a tag, a film, then a citation lands on its highlighted paragraph."""
    page.goto(site.url + "/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    screenshot("home")

    page.get_by_role("navigation", name=re.compile("main", re.I)).get_by_role(
        "link", name="Tags"
    ).click()
    expect(page).to_have_url(re.compile(r"/tags/$"))
    screenshot("tag-list")
    page.get_by_role("link", name=re.compile(r"^Soft power")).first.click()
    expect(page).to_have_url(re.compile(r"/tags/soft-power/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Soft power")
    screenshot("tag-page")

    page.goto(site.url + "/films/the-wandering-earth/")
    expect(page.get_by_role("heading", level=1)).to_have_text("The Wandering Earth")
    expect(page.locator('[lang="zh"]', has_text="流浪地球").first).to_be_visible()
    box_office = page.get_by_role("table").first
    expect(box_office).to_contain_text("600")
    expect(box_office).to_contain_text("693")
    screenshot("film")

    passage = page.get_by_role("link", name=re.compile("Read the passage")).first
    href = passage.get_attribute("href")
    assert re.match(r"^/essays/[\w-]+/#[\w-]+$", href)
    passage.click()
    anchor = href.split("#", 1)[1]
    expect(page).to_have_url(re.compile(f"#{anchor}$"))
    target = page.locator(f"#{anchor}")
    expect(target).to_be_visible()
    highlighted = target.evaluate("el => el.matches(':target')")
    assert highlighted
    background = target.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    screenshot("essay-cited-paragraph")


def test_visitor_searches_in_english_and_chinese(site, page, screenshot):
    """The header search finds films by English words and by their Chinese title."""
    for query, expected, name in [
        ("soft power", "Wandering Earth II", "search-en"),
        ("流浪地球", "The Wandering Earth", "search-zh"),
    ]:
        page.goto(site.url + "/")
        searchbox = page.get_by_role("searchbox", name=re.compile("search", re.I))
        searchbox.fill(query)
        searchbox.press("Enter")
        expect(page).to_have_url(re.compile(r"/search/\?q="))
        results = page.get_by_role("main")
        expect(
            results.get_by_role("link", name=re.compile(expected)).first
        ).to_be_visible()
        screenshot(name)


def test_visitor_walks_the_timeline_oldest_first(site, page, screenshot):
    """The timeline lists years in order and shows each date at its precision."""
    page.goto(site.url + "/timeline/")
    years = [
        int(text)
        for text in page.get_by_role("heading", level=2).all_inner_texts()
        if text.strip().isdigit()
    ]
    assert len(years) >= 5
    assert years == sorted(years)
    expect(page.get_by_text("March 2018").first).to_be_visible()
    expect(page.get_by_text("February 2019").first).to_be_visible()
    screenshot("timeline")
    page.get_by_role("link", name=re.compile("media regulators", re.I)).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("regulators")
    expect(page.get_by_text("2013").first).to_be_visible()
    screenshot("event")


AUDITED_PAGES = [
    "/",
    "/films/",
    "/films/the-wandering-earth/",
    "/essays/",
    "/essays/wandering-earth-ii-soft-power/",
    "/timeline/",
    "/timeline/2013-media-regulators-merged/",
    "/tags/",
    "/tags/soft-power/",
    "/search/?q=Liu+Cixin",
    "/search/?q=nothing-matches-this",
    "/no-such-page/",
]


def test_visitor_pages_pass_the_accessibility_audit(site, page, axe_violations):
    """axe-core finds no serious or critical violation on any page type."""
    found = {}
    for path in AUDITED_PAGES:
        page.goto(site.url + path)
        violations = axe_violations()
        if violations:
            found[path] = violations
    assert found == {}


def test_visitor_pages_work_in_the_dark_scheme_and_on_a_phone(
    site, page, screenshot, axe_violations
):
    """The dark scheme keeps its contrast; at phone width nothing overflows sideways."""
    page.emulate_media(color_scheme="dark")
    page.goto(site.url + "/films/the-wandering-earth/")
    screenshot("film-dark")
    assert axe_violations() == []

    page.emulate_media(color_scheme="light")
    page.set_viewport_size({"width": 390, "height": 844})
    for path in (
        "/films/the-wandering-earth/",
        "/timeline/",
        "/essays/planet-in-peril/",
    ):
        page.goto(site.url + path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth"
            " - document.documentElement.clientWidth"
        )
        assert overflow <= 0, path
    screenshot("essay-mobile")
