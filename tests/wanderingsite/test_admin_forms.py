"""The edit forms editors use: help on every field, tags from the shared vocabulary."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from tests.wanderingsite.editorial_helpers import client_for

AUTOCOMPLETE = reverse(
    "wagtailadmin_tag_model_autocomplete", args=["wanderingsite", "archivetag"]
)


def _edit_form(client, page):
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    return BeautifulSoup(response.content, "html.parser").find(
        "form", id="page-edit-form"
    )


@pytest.mark.parametrize("kind", ["film", "essay", "event"])
def test_admin_form_every_field_has_help_text(client, editorial_archive, kind):
    """Each field of the form, inline rows included, explains itself."""
    form = _edit_form(client_for(client, "editor"), editorial_archive[kind])

    wrappers = form.select("[data-field-wrapper]")
    silent = [
        (w.find(["input", "select", "textarea"]) or w).get("name", w.get("id"))
        for w in wrappers
        if not w.select(".w-field__help .help")
    ]

    assert len(wrappers) > 5
    assert silent == []


@pytest.mark.parametrize("kind", ["film", "essay", "event"])
def test_admin_form_tags_autocomplete_from_archive_vocabulary(
    client, editorial_archive, kind
):
    """The tag field completes from the archive's own tag model."""
    form = _edit_form(client_for(client, "editor"), editorial_archive[kind])

    field = form.find("input", attrs={"name": "tags"})

    assert AUTOCOMPLETE in field.get("data-w-tag-url-value", "")
    assert "Soft power" in field.get("value", "")


def test_admin_tag_autocomplete_finds_shared_tags(client, editorial_archive):
    """Typing the start of a tag's name offers it, whatever the case."""
    response = client_for(client, "editor").get(AUTOCOMPLETE, {"term": "soft"})

    assert response.json() == ["Soft power"]
