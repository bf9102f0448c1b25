"""A person's rename goes through review: the public sees it once approved."""

import re

import pytest
from playwright.sync_api import expect

from essays.models import EssayPage
from tests.wanderingsite.editorial_helpers import make_user
from wanderingsite.models import Person

pytestmark = pytest.mark.e2e

NEW_NAME = "Aynne Quillfeather Kokas"
ESSAY = "china-science-fiction-beijing-vision"


def _more_actions(page, action):
    page.get_by_role("button", name=re.compile("More actions", re.I)).click()
    page.get_by_role("button", name=re.compile(action, re.I)).click()


def _byline(page):
    return page.locator(".byline")


def test_person_review_rename_public_only_after_approval(
    site, page, browser, login, screenshot, axe_violations
):
    """An editor renames an essay's author and submits it; the public essay page
    still shows the old name; a moderator approves it and the new name shows."""
    person = Person.objects.get(slug="aynne-kokas")
    essay_url = f"{site.url}{EssayPage.objects.get(slug=ESSAY).url}"
    edit_url = f"{site.url}/admin/snippets/wanderingsite/person/edit/{person.pk}/"
    visitor = browser.new_page()

    login(make_user("editor"))
    page.goto(edit_url)
    page.get_by_role("textbox", name=re.compile("^Name")).fill(NEW_NAME)
    _more_actions(page, "Submit to Editorial review")
    expect(page.get_by_text(re.compile("submitted for moderation"))).to_be_visible()
    screenshot("person-review-submitted")

    visitor.goto(essay_url)
    expect(_byline(visitor)).to_contain_text("By Aynne Kokas")
    expect(_byline(visitor)).not_to_contain_text(NEW_NAME)
    page.goto(essay_url)
    expect(_byline(page)).to_contain_text("By Aynne Kokas")
    screenshot("person-review-public-before")

    login(make_user("moderator"))
    page.goto(f"{site.url}/admin/")
    expect(page.get_by_text("Awaiting your review")).to_be_visible()
    expect(page.get_by_role("link", name=NEW_NAME).first).to_be_visible()
    screenshot("person-review-moderator-dashboard")
    page.goto(edit_url)
    _more_actions(page, "^Approve and publish$")
    expect(
        page.get_by_text(re.compile(f"'{NEW_NAME}' has been approved and published"))
    ).to_be_visible()
    screenshot("person-review-approved")

    visitor.reload()
    expect(_byline(visitor)).to_contain_text(f"By {NEW_NAME}")
    page.goto(essay_url)
    expect(_byline(page)).to_contain_text(f"By {NEW_NAME}")
    screenshot("person-review-public-after")
    assert axe_violations() == []
    visitor.close()
