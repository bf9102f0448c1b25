"""Where essay pages and their index may stand, and that each renders and previews."""

from essays.models import EssayIndexPage, EssayPage
from tests.page_tree import ODD_QUERY, PageTreeTestCase
from wanderingsite.models import HomePage


class EssayPageTreeTests(PageTreeTestCase):
    def test_essay_index_holds_only_essays(self):
        """Essays go under the essay index, and only there."""
        self.assert_index_holds_only(EssayIndexPage, EssayPage)

    def test_essay_page_cannot_stand_under_home(self):
        """No essay straight under the home page."""
        self.assertCanNotCreateAt(HomePage, EssayPage)

    def test_essay_page_types_render(self):
        """The essay index and an essay are served without an error."""
        self.assert_render(self.essays, self.essay)

    def test_essay_index_renders_with_odd_query_strings(self):
        """The essay index answers odd query strings without an error."""
        self.assert_render(self.essays, query_data=ODD_QUERY)

    def test_essay_page_types_preview(self):
        """Editors can preview the essay index and an essay."""
        self.assert_preview(self.essays, self.essay)
