"""Where the home page stands and what it holds, and that it renders and previews."""

from wagtail.models import Page

from essays.models import EssayIndexPage
from films.models import FilmIndexPage, TimelinePage
from tests.page_tree import PageTreeTestCase
from wanderingsite.models import HomePage


class HomePageTreeTests(PageTreeTestCase):
    def test_home_page_sits_at_the_root_and_holds_the_three_indexes(self):
        """Home goes under the root; the indexes and the timeline go under home."""
        self.assertCanCreateAt(Page, HomePage)
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedSubpageTypes(
            HomePage, {FilmIndexPage, EssayIndexPage, TimelinePage}
        )

    def test_home_page_cannot_stand_under_itself(self):
        """No home page under the home page."""
        self.assertCanNotCreateAt(HomePage, HomePage)

    def test_home_page_renders(self):
        """The home page, featuring a film, is served without an error."""
        self.assert_render(self.home)

    def test_home_page_previews(self):
        """Editors can preview the home page from its edit form."""
        self.assert_preview(self.home)
