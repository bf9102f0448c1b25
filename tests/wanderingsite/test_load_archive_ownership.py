"""The loader on a database it has never loaded: what it must leave alone."""

from films.models import FilmPage
from tests import factories
from tests.archive_fixtures import load_archive
from wanderingsite.models import ArchiveTag, LoadedRecord


def test_load_archive_keeps_a_page_it_did_not_create(home_page):
    """A page already at a target slug, made by someone else, is left alone."""
    indexes = factories.archive_indexes(home_page)
    factories.make_film(indexes["films"], title="Armageddon", summary="Editors' own.")

    output = load_archive()

    film = FilmPage.objects.get(slug="armageddon")
    assert film.summary == "Editors' own."
    assert not LoadedRecord.objects.filter(key="film:armageddon").exists()
    assert (
        'Kept film "armageddon" (/films/armageddon/): a page already exists' in output
    )
    assert 'Kept index "films" (/films/)' in output
    assert FilmPage.objects.child_of(indexes["films"]).count() == 9


def test_load_archive_takes_the_home_page_only_without_revisions(home_page):
    """A home page someone has already revised keeps its content."""
    home_page.summary = "The editors' summary."
    home_page.save_revision().publish()

    output = load_archive()

    home_page.refresh_from_db()
    assert home_page.summary == "The editors' summary."
    assert home_page.featured_film is None
    assert "Kept home page: it has revisions not made by the loader" in output


def test_load_archive_uses_an_existing_tag_without_changing_it(db):
    """A tag a moderator made first is applied to pages, its description kept."""
    tag = factories.make_tag("Box office", description="Our own words.")

    output = load_archive()

    tag.refresh_from_db()
    assert tag.description == "Our own words."
    assert ArchiveTag.objects.filter(name__iexact="box office").count() == 1
    assert tag.film_items.count() >= 5
    assert 'Kept tag "box-office": it already existed' in output
