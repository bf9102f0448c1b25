"""Where film and event pages and their indexes may stand, and that each
renders and previews."""

from essays.models import EssayIndexPage
from films.models import FilmIndexPage, FilmPage, PolicyEventPage, TimelinePage
from tests.page_tree import ODD_QUERY, PageTreeTestCase


class FilmPageTreeTests(PageTreeTestCase):
    def test_film_index_and_timeline_hold_only_their_own_type(self):
        """Films go under the film index and events under the timeline, only there."""
        self.assert_index_holds_only(FilmIndexPage, FilmPage)
        self.assert_index_holds_only(TimelinePage, PolicyEventPage)

    def test_film_and_event_pages_cannot_stand_elsewhere(self):
        """No film under the essays, no event under the films."""
        self.assertCanNotCreateAt(EssayIndexPage, FilmPage)
        self.assertCanNotCreateAt(FilmIndexPage, PolicyEventPage)

    def test_film_page_types_render(self):
        """The film index, a film, the timeline and an event are served without
        an error."""
        self.assert_render(self.films, self.timeline, self.film, self.event)

    def test_film_listings_render_with_odd_query_strings(self):
        """The film index and the timeline answer odd query strings without an error."""
        self.assert_render(self.films, self.timeline, query_data=ODD_QUERY)

    def test_film_page_types_preview(self):
        """Editors can preview the film index, a film, the timeline and an event."""
        self.assert_preview(self.films, self.timeline, self.film, self.event)
