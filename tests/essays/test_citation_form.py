"""A citation's quote must be the essay's own words; its link finds the paragraph."""

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.urls import reverse

from essays.models import EventCitation, FilmCitation
from films.models import FilmPage
from tests.wanderingsite.editorial_helpers import client_for, form_data

REFUSAL = (
    "This quote does not occur in 'Planet in peril'. "
    "Copy the words exactly as the essay has them."
)


def _with_citation(data, essay, quote, prefix="citations"):
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": ["1"],
            f"{prefix}-0-id": [""],
            f"{prefix}-0-ORDER": ["1"],
            f"{prefix}-0-DELETE": [""],
            f"{prefix}-0-claim": ["Some 7,000 people worked on it."],
            f"{prefix}-0-topic": ["production"],
            f"{prefix}-0-essay": [str(essay.pk)],
            f"{prefix}-0-quote": [quote],
        }
    )
    return data


def _post_with_citation(client, page, essay, quote, **extra):
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    data = _with_citation(form_data(client.get(url).content.decode()), essay, quote)
    data.update({name: [value] for name, value in extra.items()})
    return client.post(url, data)


def _moderator_publishes_film_citation(client, archive, quote):
    """A moderator adds a citation of the essay to the film and presses publish."""
    return _post_with_citation(
        client_for(client, "moderator"),
        archive["film"],
        archive["essay"],
        quote,
        **{"action-publish": "1"},
    )


def _quote_field_errors(html, prefix="citations"):
    """The error text shown in the quote field's own wrapper."""
    soup = BeautifulSoup(html, "html.parser")
    field = soup.find("textarea", attrs={"name": f"{prefix}-0-quote"})
    wrapper = field.find_parent(class_="w-field")
    return wrapper.find(class_="w-field__errors").decode_contents()


def test_citation_form_refuses_quote_not_in_essay(client, editorial_archive):
    """A quote the essay lacks is refused on the quote field, naming the essay."""
    response = _moderator_publishes_film_citation(
        client, editorial_archive, "Some 8,000 people worked on the film."
    )

    assert response.status_code == 200
    assert REFUSAL in _quote_field_errors(response.content.decode())
    assert not FilmCitation.objects.exists()


def test_citation_form_accepts_quote_and_sets_anchor(client, editorial_archive):
    """An exact quote is saved with the anchor of the paragraph that holds it."""
    response = _moderator_publishes_film_citation(
        client, editorial_archive, "It took over $600 million at home."
    )

    assert response.status_code == 302
    citation = FilmCitation.objects.get()
    assert citation.anchor == "p2"
    assert citation.get_paragraph_url() == f"{editorial_archive['essay'].url}#p2"
    assert citation.get_url().endswith(f"#{citation.quote_id}")


def test_citation_form_editor_draft_keeps_anchor_in_revision(client, editorial_archive):
    """An editor's draft saves the anchor in the revision, ready for approval."""
    client = client_for(client, "editor")

    response = _post_with_citation(
        client,
        editorial_archive["film"],
        editorial_archive["essay"],
        "Some 7,000 people worked",
    )

    assert response.status_code == 302, response.content.decode()[-3000:]

    film = FilmPage.objects.get(pk=editorial_archive["film"].pk)
    draft = film.get_latest_revision_as_object()
    assert [c.anchor for c in draft.citations.all()] == ["p1"]


def test_citation_form_on_event_page_shows_the_error(client, editorial_archive):
    """Policy events' citations are checked the same way."""
    response = _post_with_citation(
        client_for(client, "moderator"),
        editorial_archive["event"],
        editorial_archive["essay"],
        "A quote from nowhere.",
        **{"body-count": "0"},
    )

    assert response.status_code == 200
    assert REFUSAL in _quote_field_errors(response.content.decode())
    assert not EventCitation.objects.exists()


def test_citation_clean_matches_typographic_quotes_and_spacing(editorial_archive):
    """Curly quotes, dashes and extra spaces in the quote still match."""
    essay = editorial_archive["essay"]
    essay.body = [
        (
            "paragraph",
            {
                "text": '<p>He said "we are <b>not</b> alone" - twice.</p>',
                "anchor": "q1",
            },
        )
    ]
    essay.save_revision().publish()
    citation = FilmCitation(
        page=editorial_archive["film"],
        claim="He said it twice.",
        essay=essay,
        quote="He said \u201cwe are  not alone\u201d \u2013 twice.",
    )

    citation.full_clean()

    assert citation.anchor == "q1"


def test_citation_clean_error_is_on_the_quote_field(editorial_archive):
    """The model's refusal is attached to the quote field, naming the essay."""
    citation = FilmCitation(
        page=editorial_archive["film"],
        claim="Made up.",
        essay=editorial_archive["essay"],
        quote="Nothing like this is in the essay.",
    )

    with pytest.raises(ValidationError) as error:
        citation.full_clean()

    assert list(error.value.message_dict) == ["quote"]
    assert "'Planet in peril'" in error.value.message_dict["quote"][0]
