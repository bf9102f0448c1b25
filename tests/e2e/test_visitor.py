"""A visitor walks the archive in Chromium, without logging in."""

import re

import pytest
from playwright.sync_api import expect

from wanderingsite.quotes import normalise

pytestmark = pytest.mark.e2e


def _rgb(hex_colour: str) -> str:
    """A CSS ``#rrggbb`` colour as the browser computes it: ``rgb(r, g, b)``."""
    red, green, blue = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({red}, {green}, {blue})"


def test_visitor_follows_a_tag_to_a_film_and_a_citation(site, page, screenshot):
    """Home, a tag, a film, then a citation lands on the quoted words themselves,
    highlighted, in their paragraph."""
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

    films = page.get_by_role("region", name=re.compile(r"^Films"))
    films.get_by_role("link", name="The Wandering Earth", exact=True).click()
    expect(page).to_have_url(re.compile(r"/films/the-wandering-earth/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("The Wandering Earth")
    expect(page.locator('[lang="zh"]', has_text="流浪地球").first).to_be_visible()
    box_office = page.get_by_role("img", name=re.compile("Box-office figures"))
    expect(box_office).to_contain_text("600")
    expect(box_office).to_contain_text("693")
    screenshot("film")

    passage = page.get_by_role("link", name=re.compile("Read the passage")).first
    fact = page.get_by_role("listitem").filter(has=passage).first
    quote = fact.get_by_role("blockquote").inner_text()
    href = passage.get_attribute("href")
    assert re.match(r"^/essays/[\w-]+/\?from=[\w-]+#[\w-]+$", href)
    anchor = href.split("#", 1)[1]
    passage.click()
    expect(page).to_have_url(re.compile(f"#{anchor}$"))
    target = page.locator(":target")
    expect(target).to_have_count(1)
    expect(target).to_have_id(anchor)
    expect(target).to_have_class(re.compile(r"\bcited\b"))
    assert normalise(quote) == normalise(target.inner_text())
    colours = page.evaluate(
        """() => {
          const root = getComputedStyle(document.documentElement);
          return [root.getPropertyValue("--highlight").trim(),
                  root.getPropertyValue("--highlight-edge").trim()];
        }"""
    )
    highlight, edge = (_rgb(colour) for colour in colours)
    expect(target).to_have_css("background-color", highlight)
    expect(target).to_have_css("outline-color", edge)
    expect(page.locator(".paragraph").filter(has=target)).to_have_css(
        "border-left-color", edge
    )
    other = page.locator(".paragraph:not(:target)").first
    expect(other).not_to_have_css("background-color", highlight)
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


def _timeline_date(page, title: str):
    """The date line of the timeline entry whose link is ``title``."""
    link = page.get_by_role("link", name=title, exact=True)
    return page.get_by_role("listitem").filter(has=link).locator(".timeline__date")


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
    for title, shown, machine in [
        ("China merges two major media regulators", "2013 (year only)", "2013"),
        (
            "Media regulation comes under cabinet-level control",
            "March 2018 (month only)",
            "2018-03",
        ),
        ("The Wandering Earth", "February 2019 (month only)", "2019-02"),
    ]:
        date = _timeline_date(page, title)
        expect(date).to_have_text(shown)
        expect(date.locator("time")).to_have_attribute("datetime", machine)
    screenshot("timeline")
    page.get_by_role("link", name=re.compile("media regulators", re.I)).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("regulators")
    when = page.locator("dt:text-is('When') + dd")
    expect(when).to_have_text("2013 (year only)")
    expect(when.locator("time")).to_have_attribute("datetime", "2013")
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
