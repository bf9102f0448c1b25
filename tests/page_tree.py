"""What the page-tree tests of every app stand on: a small archive whose pages
each render and preview, and the checks Wagtail's ``WagtailPageTestCase`` gives."""

from django.urls import reverse
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import (
    nested_form_data,
    querydict_from_html,
    rich_text,
    streamfield,
)

from essays.models import FilmCitation
from tests import factories as f
from tests.module_scope import default_home
from wanderingsite.models import HomePage

# Filters no listing knows how to read.
ODD_QUERY = {"page": "-1", "tag": "<x>", "year": "y"}


class PageTreeTestCase(WagtailPageTestCase):
    """A tagged film, event and essay under their indexes, the essay backing a
    fact on the film, and the home page featuring the film."""

    @classmethod
    def setUpTestData(cls):
        cls.home = default_home()
        archive = f.small_archive(cls.home, tags=[f.make_tag("Science fiction")])
        indexes = archive["indexes"]
        cls.films, cls.essays = indexes["films"], indexes["essays"]
        cls.timeline = indexes["timeline"]
        cls.film, cls.event = archive["film"], archive["event"]
        cls.essay = archive["essay"]
        FilmCitation.objects.create(
            page=cls.film,
            claim="A fact",
            essay=cls.essay,
            quote="Some 7,000 people worked on the film",
            anchor="p1",
        )
        cls.home.featured_film = cls.film
        cls.home.save_revision().publish()

    def assert_index_holds_only(self, index, child) -> None:
        """``index`` stands under home and holds ``child`` pages, and only those;
        ``child`` pages stand only there and hold nothing."""
        self.assertAllowedParentPageTypes(index, {HomePage})
        self.assertAllowedSubpageTypes(index, {child})
        self.assertCanCreateAt(index, child)
        self.assertAllowedParentPageTypes(child, {index})
        self.assertAllowedSubpageTypes(child, set())

    def assert_render(self, *pages, query_data=None) -> None:
        for page in pages:
            with self.subTest(page=type(page).__name__):
                self.assertPageIsRenderable(page, query_data=query_data)

    def assert_preview(self, *pages) -> None:
        editor = self.create_superuser("previewer")
        for page in pages:
            with self.subTest(page=type(page).__name__):
                # The assertion logs out when done; log in again for each page.
                self.client.force_login(editor)
                data = self._preview_data(page)
                self.assertPageIsPreviewable(page, post_data=data, user=editor)

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
