"""Pictures drawn from the data, in Chromium: the charts on the timeline, a
film and a tag page, their tables, the film's contents list, the share
images and the icons; on a desktop and a phone, in both colour schemes."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
CHART_PAGES = {
    "timeline": "/timeline/",
    "film": "/films/the-wandering-earth/",
    "tag": "/tags/soft-power/",
}
FILM_HEIGHT = {"desktop": 8000, "phone": 13500}
"""At these sizes the film page was 5,936 and 10,662 px tall before the contents
and the chart, and 5,924 and 10,536 with them; the infobox and the related
films then made it 7,949 and 13,460. The bounds leave room for small changes
of text, not for a taller page."""
CONTENTS_HEIGHT = {"desktop": 0, "phone": 140}
"""What the contents list may add: nothing beside the page, four short lines
on a phone (the box-office chart takes less room than the table it replaced)."""


def _overflow(page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


@pytest.mark.parametrize(
    ("screen", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)]
)
def test_pictures_charts_read_and_pass_the_audit(
    site, page, screenshot, axe_violations, screen, viewport
):
    """Each chart is an image named by its title, with a table of the same
    figures one click away; nothing overflows sideways and axe finds nothing
    serious, in the light and the dark scheme."""
    page.set_viewport_size(viewport)
    for name, path in CHART_PAGES.items():
        page.goto(site.url + path)
        chart = page.locator("svg.chart")
        expect(chart).to_have_count(1)
        expect(chart).to_have_attribute("role", "img")
        expect(page.get_by_role("img", name=re.compile(r"\w"))).not_to_have_count(0)
        assert chart.bounding_box()["height"] > 40
        table = page.locator("details.chart-table")
        expect(table.get_by_role("table")).to_be_hidden()
        table.locator("summary").click()
        expect(table.get_by_role("table")).to_be_visible()
        assert _overflow(page) <= 0, path
        assert axe_violations() == [], path
        screenshot(f"pictures-{name}-{screen}")
        page.emulate_media(color_scheme="dark")
        assert axe_violations() == [], f"{path} (dark)"
        page.emulate_media(color_scheme="light")


def test_pictures_film_chart_shows_both_domestic_figures_with_their_sources(site, page):
    """The box-office chart names both sources of the domestic gross, and its
    table links each figure to the passage that states it."""
    page.goto(site.url + "/films/the-wandering-earth/")
    chart = page.locator("svg.chart--box-office")
    expect(chart).to_contain_text("over US$600 million")
    expect(chart).to_contain_text("US$693 million")
    expect(chart).to_contain_text("sources disagree")
    page.get_by_text("The figures as a table").click()
    table = page.locator("details.chart-table").get_by_role("table")
    expect(table).to_contain_text("Planet in peril")
    link = table.get_by_role("link").first
    assert re.match(
        r"^/essays/[\w-]+/(\?from=[\w-]+)?#[\w-]+$", link.get_attribute("href")
    )


@pytest.mark.parametrize(
    ("screen", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)]
)
def test_pictures_film_contents_list_reaches_each_section(
    site, page, screenshot, screen, viewport
):
    """The contents list links every section shown; following one brings its
    heading into view. The page is no taller than before the list and the
    chart were added."""
    page.set_viewport_size(viewport)
    page.goto(site.url + "/films/the-wandering-earth/")
    contents = page.get_by_role("navigation", name="On this page")
    expect(contents).to_be_visible()
    screenshot(f"pictures-film-contents-{screen}")
    links = contents.get_by_role("link")
    assert links.count() >= 4
    contents.get_by_role("link", name="Box office").click()
    expect(page).to_have_url(re.compile(r"#box-office$"))
    expect(page.get_by_role("heading", name="Box office", level=2)).to_be_in_viewport()
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= FILM_HEIGHT[screen]
    page.evaluate("document.querySelector('nav.contents').remove()")
    without = page.evaluate("document.documentElement.scrollHeight")
    assert height - without <= CONTENTS_HEIGHT[screen]


def test_pictures_share_image_and_icons_answer_in_the_browser(site, page, screenshot):
    """The page's og:image is a 1200x630 PNG the browser can show; the favicon
    and the SVG icon load."""
    page.goto(site.url + "/films/the-wandering-earth/")
    image = page.locator('meta[property="og:image"]').get_attribute("content")
    assert re.search(r"/og/\d+\.png$", image)
    local = site.url + image[image.index("/og/") :]
    response = page.request.get(local)
    assert response.status == 200
    assert response.headers["content-type"] == "image/png"
    page.goto(local)
    size = page.evaluate(
        "() => { const i = document.images[0];"
        " return [i.naturalWidth, i.naturalHeight]; }"
    )
    assert size == [1200, 630]
    screenshot("pictures-share-image")
    for path in ("/favicon.ico", "/apple-touch-icon.png", "/static/icons/icon.svg"):
        assert page.request.get(site.url + path).status == 200, path
