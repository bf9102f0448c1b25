"""Where each page type may stand in the tree, and that each renders and previews."""

import datetime

from django.urls import reverse
from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import (
    nested_form_data,
    querydict_from_html,
    rich_text,
    streamfield,
)

from essays.models import EssayIndexPage, EssayPage, FilmCitation
from films.models import FilmIndexPage, FilmPage, PolicyEventPage, TimelinePage
from tests import factories as f
from wanderingsite.models import HomePage


class PageTreeTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = Site.objects.get(is_default_site=True).root_page.specific
        idx = f.archive_indexes(cls.home)
        cls.films, cls.essays, cls.timeline = (
            idx["films"],
            idx["essays"],
            idx["timeline"],
        )
        tag = f.make_tag("Science fiction")
        cls.film = f.make_film(
            cls.films,
            title="The Wandering Earth",
            original_title="流浪地球",
            tags=[tag],
        )
        cls.event = f.make_event(
            cls.timeline,
            title="A plan",
            date=datetime.date(2019, 3, 1),
            date_precision="month",
            films=[cls.film],
            tags=[tag],
        )
        cls.essay = f.make_essay(
            cls.essays,
            title="An essay",
            films=[cls.film],
            events=[cls.event],
            tags=[tag],
        )
        FilmCitation.objects.create(
            page=cls.film, claim="A fact", essay=cls.essay, quote="A paragraph"
        )
        cls.home.featured_film = cls.film
        cls.home.save_revision().publish()
        cls.pages = [
            cls.home,
            cls.films,
            cls.essays,
            cls.timeline,
            cls.film,
            cls.event,
            cls.essay,
        ]

    def test_home_page_sits_at_the_root_and_holds_the_three_indexes(self):
        """Home goes under the root; the indexes and the timeline go under home."""
        self.assertCanCreateAt(Page, HomePage)
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedSubpageTypes(
            HomePage, {FilmIndexPage, EssayIndexPage, TimelinePage}
        )

    def test_indexes_hold_only_their_own_type(self):
        """Films, essays and events each go under their own index, and only there."""
        for index, child in (
            (FilmIndexPage, FilmPage),
            (EssayIndexPage, EssayPage),
            (TimelinePage, PolicyEventPage),
        ):
            self.assertAllowedParentPageTypes(index, {HomePage})
            self.assertAllowedSubpageTypes(index, {child})
            self.assertCanCreateAt(index, child)
            self.assertAllowedParentPageTypes(child, {index})
            self.assertAllowedSubpageTypes(child, set())

    def test_content_pages_cannot_stand_elsewhere(self):
        """No film under the essays, no essay under home, no event under the films."""
        self.assertCanNotCreateAt(EssayIndexPage, FilmPage)
        self.assertCanNotCreateAt(HomePage, EssayPage)
        self.assertCanNotCreateAt(FilmIndexPage, PolicyEventPage)
        self.assertCanNotCreateAt(HomePage, HomePage)

    def test_every_page_type_renders(self):
        """Each page type is served to the public without an error."""
        for page in self.pages:
            with self.subTest(page=type(page).__name__):
                self.assertPageIsRenderable(page)

    def test_every_page_type_renders_with_odd_query_strings(self):
        """The listings answer odd query strings without an error."""
        for page in (self.films, self.essays, self.timeline):
            with self.subTest(page=type(page).__name__):
                self.assertPageIsRenderable(
                    page, query_data={"page": "-1", "tag": "<x>", "year": "y"}
                )

    def _preview_data(self, page):
        """The edit form as the browser would post it, StreamField body included.

        The body's editor is drawn by JavaScript, so the scraped form lacks it.
        """
        html = self.client.get(
            reverse("wagtailadmin_pages:edit", args=[page.pk])
        ).content.decode()
        data = querydict_from_html(html, form_id="page-edit-form").copy()
        if hasattr(page, "body"):
            body = [
                ("paragraph", {"text": rich_text("A paragraph."), "anchor": "p1"}),
                ("heading", {"text": "A heading", "anchor": "h1"}),
            ]
            for key, value in nested_form_data({"body": streamfield(body)}).items():
                data[key] = value
        return data

    def test_every_page_type_previews(self):
        """Editors can preview each page type from its edit form."""
        editor = self.create_superuser("previewer")
        for page in self.pages:
            with self.subTest(page=type(page).__name__):
                # The assertion logs out when done; log in again for each page.
                self.client.force_login(editor)
                data = self._preview_data(page)
                self.assertPageIsPreviewable(page, post_data=data, user=editor)
