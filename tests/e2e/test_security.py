"""What the content policy allows is all the pages need: nothing is blocked."""

import re

import pytest
from playwright.sync_api import expect

from films.models import FilmPage
from tests.wanderingsite.editorial_helpers import make_user

pytestmark = pytest.mark.e2e

PUBLIC_PAGES = [
    "/",
    "/films/the-wandering-earth/",
    "/essays/planet-in-peril/",
    "/timeline/",
    "/tags/",
    "/search/?q=%E6%B5%81%E6%B5%AA%E5%9C%B0%E7%90%83",
    "/no-such-page/",
]


def test_public_pages_break_no_rule_of_their_policy(site, page, policy_violations):
    """Public pages load under their strict policy with nothing blocked."""
    for path in PUBLIC_PAGES:
        page.goto(site.url + path)
        expect(page.locator("main")).to_be_visible()
    assert policy_violations == []


def test_editor_works_and_previews_under_the_admin_policy(
    site, page, login, screenshot, policy_violations
):
    """The admin's screens and the preview in its side panel load with nothing
    blocked, and the preview shows the page."""
    login(make_user("editor"))
    film = FilmPage.objects.get(slug="the-wandering-earth")
    for path in ("/admin/", "/admin/pages/", f"/admin/pages/{film.pk}/edit/"):
        page.goto(site.url + path)
        page.wait_for_load_state("networkidle")

    page.get_by_role("button", name=re.compile("Toggle preview", re.I)).click()
    preview = page.frame_locator("#w-preview-iframe")
    expect(preview.get_by_role("heading", level=1)).to_contain_text(film.title)
    screenshot("admin-preview-under-policy")
    assert policy_violations == []
