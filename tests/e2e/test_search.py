"""A reader searches the archive in Chromium, on a desktop and on a phone:
misspelt names and words, cited facts, people, results by date."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

VIEWPORTS = {"desktop": (1280, 900), "phone": (390, 844)}

AUDITED = [
    "/search/?q=Jupitar",
    "/search/?q=Frant+Guo",
    "/search/?q=space+elevator",
    "/search/?q=Liu&type=person",
    "/search/?q=wandering+earth&sort=date",
    "/search/?q=wandering+earth&sort=%3Cb%3E&type=nope",
]


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_reader_finds_pages_for_misspelt_and_cited_words(
    site, page, screenshot, viewport
):
    """Misspelt words and names are read as the archive's, a cited fact finds
    its film, and people link to their pages."""
    width, height = VIEWPORTS[viewport]
    page.set_viewport_size({"width": width, "height": height})
    main = page.get_by_role("main")
    for query, corrected, expected in [
        ("Jupitar", "Jupiter", "The Wandering Earth"),
        ("Frant Guo", "Frant Gwo", "The Wandering Earth"),
    ]:
        page.goto(f"{site.url}/search/?q={query}")
        expect(main.locator(".search__corrected")).to_contain_text(
            f"Nothing in the archive holds “{query}”"
        )
        expect(page.get_by_role("heading", level=2).first).to_contain_text(corrected)
        expect(main.get_by_role("link", name=expected, exact=True)).to_be_visible()
    people = page.get_by_role("region", name=re.compile("People and institutions"))
    expect(people.get_by_role("link", name="Frant Gwo")).to_have_attribute(
        "href", "/people/frant-gwo/"
    )
    screenshot(f"search-corrected-{viewport}")

    page.goto(f"{site.url}/search/?q=space+elevator")
    film = main.get_by_role("listitem").filter(
        has=page.get_by_role("link", name="The Wandering Earth II", exact=True)
    )
    expect(film.locator(".search-result__snippet")).to_contain_text("space elevators")
    snippet = film.locator(".search-result__snippet").inner_text()
    assert not re.search(r"[a-z]\.[A-Z]", snippet), snippet
    screenshot(f"search-facts-{viewport}")


def test_reader_on_a_phone_sees_results_within_the_first_screen(site, page, screenshot):
    """At 390 x 844 the first result starts on the first screen, below one
    search box; the facets follow the results, a link away."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{site.url}/search/?q=wandering+earth")
    expect(page.get_by_role("searchbox")).to_have_count(1)
    first = page.locator(".search-result").first
    box = first.bounding_box()
    assert box is not None and box["y"] + 60 < 844, box
    facets = page.get_by_role("complementary", name="Narrow the results")
    assert facets.bounding_box()["y"] > box["y"]
    screenshot("search-phone")
    page.get_by_role("link", name="Narrow the results by type or tag").click()
    expect(page).to_have_url(re.compile("#facets$"))
    expect(facets.get_by_role("link", name=re.compile(r"^Films"))).to_be_in_viewport()
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0


def test_reader_sorts_by_date_and_the_filters_keep_it(site, page, screenshot):
    """Sorting by date orders the results newest first; a facet chosen after
    keeps the order, and relevance brings the first order back."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{site.url}/search/?q=wandering+earth")
    page.get_by_role("link", name="date, newest first").click()
    expect(page).to_have_url(re.compile(r"sort=date"))
    dates = page.locator(".search-result time").evaluate_all(
        "nodes => nodes.map(n => n.getAttribute('datetime'))"
    )
    assert dates and dates == sorted(dates, reverse=True), dates
    facets = page.get_by_role("complementary", name="Narrow the results")
    facets.get_by_role("link", name=re.compile(r"^Essays")).click()
    expect(page).to_have_url(re.compile(r"sort=date.*type=essay|type=essay.*sort=date"))
    expect(page.locator(".search__sort [aria-current]")).to_have_text(
        "date, newest first"
    )
    screenshot("search-by-date")
    page.get_by_role("link", name="relevance").click()
    expect(page).not_to_have_url(re.compile("sort="))
    expect(page).to_have_url(re.compile("type=essay"))


def test_search_pages_pass_the_accessibility_audit(site, page, axe_violations):
    """axe-core finds no serious or critical violation on corrected, people,
    dated and noted search pages, on a desktop and on a phone."""
    found = {}
    for viewport, (width, height) in VIEWPORTS.items():
        page.set_viewport_size({"width": width, "height": height})
        for path in AUDITED:
            page.goto(site.url + path)
            violations = axe_violations()
            if violations:
                found[f"{viewport} {path}"] = violations
    assert found == {}
