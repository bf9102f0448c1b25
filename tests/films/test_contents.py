"""The film page's contents list: a link to each section the page shows, and
to no section it does not."""

import re

import pytest

from films.models import FilmPage

SECTIONS = {
    "infobox": "At a glance",
    "story": "Synopsis",
    "related-films": "Related films",
    "box-office": "Box office",
    "facts": "Facts and their sources",
    "essays": "Discussed in",
    "events": "Related events",
    "tags": "Tags",
}


def _contents(html: str) -> list[tuple[str, str]]:
    nav = re.search(r'<nav class="contents".*?</nav>', html, re.S)
    assert nav, "no contents list"
    return re.findall(r'<a href="#([\w-]+)">([^<]+)</a>', nav.group(0))


@pytest.mark.django_db
def test_film_contents_lists_exactly_the_sections_shown(loaded_archive, client):
    """On every film page, each link of the contents reaches an element of the
    page, in the page's order, and every section it knows of that the page
    shows is listed."""
    films = list(FilmPage.objects.live())
    assert len(films) >= 2
    for film in films:
        html = client.get(film.url).content.decode()
        listed = _contents(html)
        ids = re.findall(r'\sid="([\w-]+)"', html)
        for target, _label in listed:
            assert target in ids, (film.title, target)
        positions = [ids.index(target) for target, _label in listed]
        assert positions == sorted(positions), film.title
        shown = [(s, label) for s, label in SECTIONS.items() if s in ids]
        assert listed == shown, film.title


@pytest.mark.django_db
def test_film_contents_leaves_out_a_section_the_page_does_not_show(
    loaded_archive, client
):
    """A film without box-office figures has no box-office link."""
    film = next(f for f in FilmPage.objects.live() if not f.box_office_figures.exists())
    listed = dict(_contents(client.get(film.url).content.decode()))
    assert "box-office" not in listed
    assert "facts" in listed or not film.citations.exists()
