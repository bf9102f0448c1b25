"""A reader follows a citation in Chromium: it lands on the quoted words,
highlighted; a banner names the essay and leads back to the fact; the page
says how to cite it. Desktop and phone, with screenshots and the axe audit."""

import json
import re

import pytest
from playwright.sync_api import expect

from wanderingsite.quotes import normalise

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
FILM = "/films/the-wandering-earth/"


def _highlight(page) -> str:
    """The highlight colour as the browser computes it: ``rgb(r, g, b)``."""
    return page.evaluate(
        """() => {
          const probe = document.createElement("span");
          probe.style.backgroundColor = "var(--highlight)";
          document.body.append(probe);
          const colour = getComputedStyle(probe).backgroundColor;
          probe.remove();
          return colour;
        }"""
    )


def _follow_first_citation(page, site) -> dict:
    """On the film page, the first fact's claim, quote and id; then its link
    followed."""
    page.goto(site.url + FILM)
    reads = page.get_by_role("link", name=re.compile("Read the passage"))
    facts = page.get_by_role("region", name="Facts and their sources")
    fact = facts.get_by_role("listitem").filter(has=reads).first
    passage = fact.get_by_role("link", name=re.compile("Read the passage"))
    seen = {
        "id": fact.get_attribute("id"),
        "claim": fact.locator(".fact__claim").inner_text(),
        "quote": fact.get_by_role("blockquote").inner_text(),
    }
    passage.click()
    return seen


def _lands_on_the_words(page, fact: dict) -> None:
    target = page.locator(":target")
    expect(target).to_have_count(1)
    expect(target).to_have_class(re.compile(r"\bcited\b"))
    assert normalise(target.inner_text()) == normalise(fact["quote"])
    expect(target).to_be_in_viewport()
    highlight = _highlight(page)
    expect(target).to_have_css("background-color", highlight)
    paragraph = page.locator(".paragraph").filter(has=target)
    expect(paragraph).not_to_have_css("background-color", highlight)
    assert paragraph.inner_text() != target.inner_text()


def _banner_leads_back(page, fact: dict) -> None:
    title = page.get_by_role("heading", level=1).inner_text()
    banner = page.get_by_role("complementary", name="Cited passage")
    expect(banner).to_be_visible()
    expect(banner).to_be_in_viewport()
    expect(banner).to_contain_text(title)
    expect(banner).to_contain_text(fact["claim"])
    banner.get_by_role("link", name="Back to the fact").click()
    expect(page).to_have_url(re.compile(rf"{FILM}#{fact['id']}$"))
    expect(page.locator(":target")).to_have_id(fact["id"])


def test_citation_lands_on_the_highlighted_words_and_leads_back(
    site, page, screenshot, axe_violations
):
    """Desktop: a fact's citation lands on its words, highlighted, under a
    banner naming the essay; "Back to the fact" returns to the fact."""
    fact = _follow_first_citation(page, site)
    _lands_on_the_words(page, fact)
    screenshot("citation-landing-desktop")
    assert axe_violations() == []
    _banner_leads_back(page, fact)
    screenshot("citation-back-to-fact-desktop")


def test_citation_on_a_phone_lands_on_the_words_with_paragraph_links_in_view(
    site, page, screenshot, axe_violations
):
    """Phone: the same landing and way back; paragraph links show without hover."""
    page.set_viewport_size(PHONE)
    fact = _follow_first_citation(page, site)
    _lands_on_the_words(page, fact)
    cited = page.locator(".paragraph").filter(has=page.locator(":target"))
    expect(cited.locator(".paragraph__link")).to_be_visible()
    expect(cited.locator(".paragraph__facts")).to_be_visible()
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    screenshot("citation-landing-phone")
    assert axe_violations() == []
    _banner_leads_back(page, fact)
    screenshot("citation-back-to-fact-phone")


def test_essay_links_films_it_names_and_lists_the_facts_citing_it(
    site, page, screenshot, axe_violations
):
    """An essay's film names lead to their pages; its facts are listed by
    paragraph, each leading to its words."""
    page.goto(site.url + "/essays/china-science-fiction-beijing-vision/")
    body = page.locator(".essay-body")
    body.get_by_role("link", name="Wolf Warrior 2").first.click()
    expect(page).to_have_url(re.compile(r"/films/wolf-warrior-2/$"))
    page.go_back()
    citing = page.get_by_role("heading", name="Facts citing this essay")
    expect(citing).to_be_visible()
    words = page.locator(".citing__words").first
    target = words.get_attribute("href").lstrip("#")
    words.click()
    expect(page.locator(":target")).to_have_id(target)
    expect(page.locator(":target")).to_be_in_viewport()
    screenshot("essay-facts-citing")
    assert axe_violations() == []


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_cite_this_page_gives_the_formats_and_a_permalink(
    site, page, screenshot, axe_violations, viewport
):
    """ "Cite this page" opens to BibTeX, RIS and CSL-JSON; the permalink leads
    back to the page; the CSL-JSON download is valid."""
    if viewport:
        page.set_viewport_size(viewport)
    page.goto(site.url + "/essays/planet-in-peril/")
    section = page.get_by_role("region", name="Cite this page")
    expect(section).to_contain_text("“Planet in peril.” WORLD magazine, May 2019.")
    section.get_by_text("BibTeX, RIS and CSL-JSON").click()
    expect(section.get_by_role("heading", name="RIS")).to_be_visible()
    csl = section.locator(".cite-page__code").nth(2).inner_text()
    assert json.loads(csl)[0]["container-title"] == "WORLD magazine"
    section.scroll_into_view_if_needed()
    screenshot(f"cite-this-page-{'phone' if viewport else 'desktop'}")
    assert axe_violations() == []
    with page.expect_download() as download:
        section.get_by_role("link", name=re.compile("^CSL-JSON")).click()
    saved = download.value.path().read_text()
    assert json.loads(saved) == json.loads(csl)
    permalink = section.locator(".cite-page__permalink a")
    expect(permalink).to_have_text(re.compile(r"^http.*/p/[0-9]+/$"))
    permalink.click()
    expect(page).to_have_url(re.compile(r"/essays/planet-in-peril/$"))


def test_print_keeps_quotes_with_their_sources_and_shows_link_targets(
    site, page, screenshot
):
    """Printed, a film's facts keep each quote with its source, links show
    where they lead, and the screen-only parts are gone."""
    page.goto(site.url + FILM)
    page.emulate_media(media="print")
    fact = page.locator(".fact").first
    expect(fact).to_have_css("break-inside", "avoid")
    source = fact.locator(".fact__source a")
    after = page.evaluate(
        "el => getComputedStyle(el, '::after').content", source.element_handle()
    )
    # Chromium gives the declared value; either way it is the link's address.
    assert "attr(href)" in after or "/essays/" in after
    expect(page.locator(".site-header")).to_be_hidden()
    screenshot("film-print")
