"""An editor writes in the admin, a moderator approves, the public sees it."""

import re

import pytest
from playwright.sync_api import expect

from essays.models import EssayIndexPage, EssayPage
from films.models import FilmPage
from tests.wanderingsite.editorial_helpers import make_user
from wanderingsite.quotes import block_text

pytestmark = pytest.mark.e2e

TITLE = "Notes on a moving planet"
SLUG = "notes-on-a-moving-planet"
PARAGRAPH = "The planet moves, and its audience follows it home."


def _a_real_quote() -> str:
    """Eight words from the first paragraph of 'Planet in peril'."""
    essay = EssayPage.objects.get(slug="planet-in-peril")
    first = next(block for block in essay.body if block.block_type == "paragraph")
    return " ".join(block_text(first).split()[:8])


def _more_actions(page, action):
    page.get_by_role("button", name=re.compile("More actions", re.I)).click()
    page.get_by_role("button", name=re.compile(action, re.I)).click()


def _write_essay(page, site):
    index = EssayIndexPage.objects.get()
    page.goto(f"{site.url}/admin/pages/add/essays/essaypage/{index.pk}/")
    page.get_by_role("textbox", name=re.compile("^Title")).fill(TITLE)
    # The slug follows the title only once the title field has been left, which
    # can lag behind a fast test on a busy machine: set it as an editor would.
    page.get_by_role("tab", name=re.compile("^Promote")).click()
    page.get_by_role("textbox", name=re.compile("^Slug")).fill(SLUG)
    page.get_by_role("tab", name=re.compile("^Content")).click()
    page.get_by_role("textbox", name=re.compile("^Publication")).first.fill(
        "Archive Notes"
    )
    page.get_by_role("button", name=re.compile("Insert a block")).first.click()
    page.get_by_role("option", name=re.compile("Paragraph")).click()
    page.locator("[data-contentpath='body'] [contenteditable='true']").first.click()
    page.keyboard.type(PARAGRAPH)
    # The tag field offers the archive's own tags as the editor types.
    page.locator("ul.tagit input").first.click()
    page.keyboard.type("Soft po")
    page.get_by_text("Soft power", exact=True).last.click()
    expect(page.locator("#id_tags")).to_have_value(re.compile("Soft power"))


def test_editorial_editor_writes_cites_and_moderator_approves(
    site, page, login, screenshot
):
    """An editor writes a tagged essay and submits it; a citation with words the
    essay lacks is refused on its quote field; the moderator approves the essay
    and it is public."""
    login(make_user("editor"))

    _write_essay(page, site)
    screenshot("editorial-essay-form")
    _more_actions(page, "Submit to")
    expect(page.get_by_text(re.compile("submitted for moderation"))).to_be_visible()
    essay = EssayPage.objects.get(title=TITLE)
    assert not essay.live
    assert [t.name for t in essay.get_latest_revision_as_object().tags.all()] == [
        "Soft power"
    ]
    assert page.request.get(f"{site.url}/essays/{essay.slug}/").status == 404

    film = FilmPage.objects.get(slug="the-wandering-earth")
    page.goto(f"{site.url}/admin/pages/{film.pk}/edit/")
    citations = page.locator("[id='id_citations-FORMS']")
    before = citations.locator("[data-inline-panel-child]").count()
    page.get_by_role("button", name=re.compile("Add cited fact", re.I)).click()
    new_fact = citations.locator("[data-inline-panel-child]").nth(before)
    prefix = f"citations-{before}"
    new_fact.get_by_role("textbox", name=re.compile("^Claim")).fill(
        "The essay says it plainly."
    )
    new_fact.get_by_role("button", name="Choose a page (Essay)").click()
    modal = page.get_by_role("dialog")
    modal.get_by_role("textbox", name=re.compile("Search")).fill("Planet in peril")
    modal.get_by_role("link", name=re.compile("Planet in peril")).first.click()
    quote = page.locator(f"#id_{prefix}-quote")
    quote.fill("Words that no essay in the archive contains.")
    page.get_by_role("button", name=re.compile("^Save draft")).click()

    error = page.locator(f"[data-field-wrapper]:has(#id_{prefix}-quote) .error-message")
    expect(error).to_contain_text(
        "This quote does not occur in 'Planet in peril'. "
        "Copy the words exactly as the essay has them."
    )
    error.scroll_into_view_if_needed()
    screenshot("editorial-citation-refused")
    page.locator(f"#id_{prefix}-quote").fill(_a_real_quote())
    page.get_by_role("button", name=re.compile("^Save draft")).click()
    expect(page.get_by_text(re.compile("has been updated"))).to_be_visible()
    draft = FilmPage.objects.get(pk=film.pk).get_latest_revision_as_object()
    assert any(
        c.anchor for c in draft.citations.all() if c.essay.slug == "planet-in-peril"
    )

    login(make_user("moderator"))
    page.goto(f"{site.url}/admin/")
    expect(page.get_by_text("Awaiting your review")).to_be_visible()
    expect(page.get_by_role("link", name=TITLE).first).to_be_visible()
    screenshot("editorial-moderator-dashboard")
    page.goto(f"{site.url}/admin/pages/{essay.pk}/edit/")
    _more_actions(page, "^Approve and publish$")
    expect(page).to_have_url(re.compile(rf"/admin/pages/{essay.get_parent().pk}/$"))
    essay.refresh_from_db()
    assert essay.live

    page.goto(f"{site.url}/essays/{essay.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text(PARAGRAPH)).to_be_visible()
    screenshot("editorial-essay-public")
