"""A fan reads film pages in Chromium: the infobox answers or says "not
recorded", related films link both ways, on a desktop and on a phone."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

FILMS = {
    "the-wandering-earth": "The Wandering Earth",
    "the-wandering-earth-ii": "The Wandering Earth II",
    "interstellar": "Interstellar",
}
VIEWPORTS = {
    "desktop": {"width": 1280, "height": 900},
    "phone": {"width": 390, "height": 844},
}


def _field(page, label: str):
    """The answer of the infobox field ``label``."""
    infobox = page.get_by_role("region", name="At a glance")
    return infobox.locator("dt", has_text=re.compile(f"^{label}$")).locator(
        "xpath=following-sibling::dd"
    )


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_film_page_infobox_answers_on_every_screen(
    site, page, screenshot, axe_violations, viewport
):
    """Each film's infobox is at the top, names what the sources say and marks
    the rest as not recorded; nothing overflows sideways; axe finds nothing."""
    page.set_viewport_size(VIEWPORTS[viewport])
    found = {}
    for slug, title in FILMS.items():
        page.goto(f"{site.url}/films/{slug}/")
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
        infobox = page.get_by_role("region", name="At a glance")
        expect(infobox).to_be_visible()
        expect(infobox.locator("dt")).to_have_count(10)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth"
            " - document.documentElement.clientWidth"
        )
        assert overflow <= 0, slug
        screenshot(f"film-{slug}-{viewport}")
        violations = axe_violations()
        if violations:
            found[slug] = violations
    assert found == {}


def test_film_page_infobox_gives_the_answers_and_their_sources(site, page):
    """The Wandering Earth: its director links to the passage naming him; the
    prequel says what its sources leave out; Interstellar's release explains
    itself."""
    page.goto(site.url + "/films/the-wandering-earth/")
    director = _field(page, "Directed by")
    expect(director).to_contain_text("Frant Gwo")
    source = director.get_by_role("link", name=re.compile("The Washington Post"))
    expect(source).to_have_attribute(
        "href",
        re.compile(r"^/essays/china-science-fiction-beijing-vision/\?from=[\w-]+#p1-q"),
    )
    expect(_field(page, "Box office")).to_contain_text("Sources disagree")

    page.goto(site.url + "/films/the-wandering-earth-ii/")
    for label in ("Directed by", "Cast", "Box office"):
        expect(_field(page, label)).to_have_text(
            "Not recorded in the archive's sources"
        )

    page.goto(site.url + "/films/interstellar/")
    released = _field(page, "Released")
    released.get_by_role("link", name="Not recorded in the archive's sources").click()
    expect(page).to_have_url(re.compile(r"#not-recorded$"))
    note = page.locator(":target")
    expect(note).to_have_id("not-recorded")
    expect(note).to_contain_text("none of the essays the archive is built from")


def test_film_page_leads_to_the_prequel_and_back(site, page, screenshot):
    """From The Wandering Earth to its prequel through Related films, and from
    the prequel back to the film it is a prequel to."""
    page.goto(site.url + "/films/the-wandering-earth/")
    related = page.get_by_role("region", name="Related films")
    entry = related.get_by_role("listitem").filter(has_text="Has a prequel").first
    expect(entry).to_contain_text("is a prequel to The Wandering Earth (2019)")
    entry.get_by_role("link", name="The Wandering Earth II").click()

    expect(page).to_have_url(re.compile(r"/films/the-wandering-earth-ii/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("The Wandering Earth II")
    related = page.get_by_role("region", name="Related films")
    entry = related.get_by_role("listitem").filter(has_text="Prequel to").first
    screenshot("film-prequel-related")
    entry.get_by_role("link", name="The Wandering Earth", exact=True).click()

    expect(page).to_have_url(re.compile(r"/films/the-wandering-earth/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("The Wandering Earth")


def test_film_page_reads_without_javascript(site, browser):
    """The infobox and the related films are in the page itself."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site.url + "/films/the-wandering-earth-ii/")
    expect(page.get_by_role("region", name="At a glance")).to_contain_text(
        "Prequel to The Wandering Earth"
    )
    expect(page.get_by_role("region", name="Related films")).to_be_visible()
    context.close()
