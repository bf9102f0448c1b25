"""A visitor meets the people of the archive in Chromium: from a film's
credits to a person's page and back, the index, on a desktop and a phone."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
PEOPLE_PAGES = [
    "/people/",
    "/people/frant-gwo/",
    "/people/jing-wu/",
    "/people/chinese-government/",
    "/people/zhou-enlai/",
]


def test_people_from_a_film_credit_to_the_person_and_back(site, page, screenshot):
    """A credit on the film links to the person; their page lists the film
    with the role and the essays that name them, each linking to its passage."""
    page.goto(site.url + "/films/the-wandering-earth/")
    page.get_by_role("link", name="Frant Gwo", exact=True).first.click()
    expect(page).to_have_url(re.compile(r"/people/frant-gwo/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Frant Gwo")
    expect(page.locator('[lang="zh"]', has_text="郭帆").first).to_be_visible()
    films = page.get_by_role("region", name=re.compile(r"^Films"))
    expect(films).to_contain_text("Director")
    mentions = page.get_by_role("region", name=re.compile(r"^Pages that name"))
    expect(mentions.get_by_role("blockquote").first).to_contain_text("Frant Gwo")
    screenshot("person-desktop")

    passage = mentions.get_by_role("link", name="Planet in peril")
    anchor = passage.get_attribute("href").split("#", 1)[1]
    passage.click()
    expect(page.locator(":target")).to_have_id(anchor)
    expect(page.locator(":target")).to_contain_text("Frant Gwo")
    page.go_back()
    films.get_by_role("link", name="The Wandering Earth", exact=True).click()
    expect(page).to_have_url(re.compile(r"/films/the-wandering-earth/$"))


def test_people_index_groups_people_and_institutions(site, page, screenshot):
    """The header's People link leads to everyone, people then institutions,
    each name a link to their page."""
    page.goto(site.url + "/")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="People"
    ).click()
    expect(page).to_have_url(re.compile(r"/people/$"))
    people = page.get_by_role("region", name="People")
    institutions = page.get_by_role("region", name="Institutions")
    expect(people.get_by_role("link")).to_have_count(12)
    expect(institutions.get_by_role("link", name="Netflix")).to_be_visible()
    screenshot("people-desktop")
    institutions.get_by_role("link", name="Chinese government").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chinese government")
    expect(page.get_by_text("Institution", exact=True)).to_be_visible()


def test_people_pages_fit_a_phone(site, page, screenshot):
    """At phone width the people pages do not overflow sideways."""
    page.set_viewport_size(PHONE)
    for path, name in (
        ("/people/", "people-phone"),
        ("/people/frant-gwo/", "person-phone"),
    ):
        page.goto(site.url + path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth"
            " - document.documentElement.clientWidth"
        )
        assert overflow <= 0, path
        screenshot(name)


def test_people_pages_pass_the_accessibility_audit(site, page, axe_violations):
    """axe-core finds no serious or critical violation on the people pages,
    on a desktop and on a phone."""
    found = {}
    for viewport in (None, PHONE):
        if viewport:
            page.set_viewport_size(viewport)
        for path in PEOPLE_PAGES:
            page.goto(site.url + path)
            violations = axe_violations()
            if violations:
                found[(path, str(viewport))] = violations
    assert found == {}
