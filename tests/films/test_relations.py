from tests.factories import archive_indexes, make_essay, make_event, make_film, make_tag


def test_relations_are_two_way(home_page):
    """A film knows the essays that discuss it and the events related to it."""
    indexes = archive_indexes(home_page)
    tag = make_tag("Soft power")
    film = make_film(indexes["films"], tags=[tag])
    event = make_event(indexes["timeline"], tags=[tag], films=[film])
    essay = make_essay(indexes["essays"], tags=[tag], films=[film], events=[event])

    assert list(film.essays.all()) == [essay]
    assert list(film.events.all()) == [event]
    assert list(event.essays.all()) == [essay]
    assert [t.name for t in essay.tags.all()] == ["Soft power"]


def test_relations_draft_pages_are_not_live(home_page):
    """A page made with live=False stays a draft."""
    indexes = archive_indexes(home_page)
    draft = make_film(indexes["films"], live=False)
    draft.refresh_from_db()
    assert not draft.live
    assert draft.has_unpublished_changes
