"""Search as the archive grows: counts, pages and spelling corrections that
read a bounded part of it, in a fixed number of queries, on either database.

The sample archive is grown once for the module by ``GROWN`` pages that the
searches below find (essays and events about orbits, tagged), and rolled back
after it.
"""

import datetime
from collections import Counter

import pytest
from django.db import connection

from films.models import FilmCredit
from tests import factories as f
from tests.module_scope import rolled_back
from wanderingsite.models import SearchTerm
from wanderingsite.search import lexicon
from wanderingsite.search.engine import MAX_TAG_FACETS, PER_PAGE, search_archive
from wanderingsite.search.lexicon import (
    FALLBACK_CANDIDATES,
    NEAREST,
    corrected_terms,
    rebuild_lexicon,
    slips,
)

GROWN = 36
BUDGET = 10


@pytest.fixture(scope="module")
def grown(sample_archive_once, django_db_blocker):
    """``GROWN`` more pages about orbits, every third an event, each tagged
    with two of six tags; a film credited to a person; a lexicon rebuilt."""
    with django_db_blocker.unblock(), rolled_back(django_db_blocker):
        archive = sample_archive_once
        tags = [f.make_tag(f"Orbit topic {n}") for n in range(6)]
        for n in range(GROWN):
            chosen = [tags[n % 6], tags[(n * 5 + 1) % 6]]
            if n % 3 == 0:
                f.make_event(
                    archive.timeline,
                    title=f"Orbital decree {n}",
                    summary="A decree on orbits and launches.",
                    date=datetime.date(2000 + n % 20, 1, 1),
                    tags=chosen,
                )
            else:
                f.make_essay(
                    archive.essays,
                    title=f"Essay on orbits {n}",
                    paragraphs=[f"Orbits near Jupiter, essay {n}."],
                    tags=chosen,
                )
        warrior = f.make_film(archive.films, title="Wolf Warrior 2")
        FilmCredit.objects.create(
            page=warrior, person=f.make_person("Wu Jing"), role="cast"
        )
        rebuild_lexicon()
        yield archive


def _titles(search):
    return [hit.page.title for hit in search.results.object_list]


def test_search_archive_counts_facets_as_the_pages_are(grown, db):
    """Type and tag facets count exactly the matching pages, per type and per
    tag, on the grown archive; the total is their sum."""
    search = search_archive(query="orbits")
    pages = [
        hit.page
        for number in range(1, search.results.paginator.num_pages + 1)
        for hit in search_archive(query="orbits", page=number).results.object_list
    ]
    assert len(pages) == len({p.pk for p in pages}) == search.total == GROWN
    by_type = Counter(
        "event" if p.title.startswith("Orbital") else "essay" for p in pages
    )
    assert {fc.value: fc.count for fc in search.type_facets} == {
        "film": 0,
        "essay": by_type["essay"],
        "event": by_type["event"],
        "person": 0,
    }
    by_tag = Counter(tag.slug for p in pages for tag in p.tags.all())
    assert {fc.value: fc.count for fc in search.tag_facets} == dict(
        by_tag.most_common(MAX_TAG_FACETS)
    )


def test_search_archive_filters_facets_by_the_other_filter(grown, db):
    """With a tag chosen, types count the pages with that tag; with a type
    chosen, tags count the pages of that type."""
    tag = "orbit-topic-1"
    search = search_archive(query="orbits", tag=tag)
    tagged = search_archive(query="orbits", tag=tag, page=1)
    assert search.total == sum(fc.count for fc in search.type_facets)
    assert {fc.value for fc in tagged.tag_facets if fc.selected} == {tag}
    events = search_archive(query="orbits", type="event")
    assert events.total == GROWN // 3
    assert all(hit.type.key == "event" for hit in events.results.object_list)
    assert max(fc.count for fc in events.tag_facets) <= events.total
    assert events.unfiltered_total == GROWN


def test_search_archive_pages_past_the_end_show_the_last_page(grown, db):
    """A page number past the end shows the last page, with what is left."""
    last = -(-GROWN // PER_PAGE)
    search = search_archive(query="orbits", page=999)
    assert search.results.number == last
    assert len(search.results.object_list) == GROWN - PER_PAGE * (last - 1)
    first = {hit.page.pk for hit in search_archive(query="orbits").results}
    assert not first & {hit.page.pk for hit in search.results.object_list}


def test_search_archive_reads_the_best_first_across_pages(grown, db):
    """Each page continues the one before: scores never rise."""
    scores = [
        hit.score
        for number in (1, 2, 3, 4)
        for hit in search_archive(query="orbits", page=number).results.object_list
    ]
    assert len(scores) == GROWN
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize(
    "params",
    [
        {"q": "orbits"},
        {"q": "orbits essay"},
        {"q": "qzxvjwk"},
        {"q": "Orbitts"},
        {"q": "流浪地球"},
        {"q": "orbits", "page": "3"},
        {"q": "orbits", "type": "event"},
        {"q": "orbits", "tag": "orbit-topic-2"},
        {"q": "orbits", "type": "essay", "tag": "orbit-topic-2", "page": "2"},
        {"q": "orbits", "sort": "date", "page": "2"},
        {"q": "Orbitts", "sort": "date"},
        {"q": "Wu Jing", "type": "person"},
        {"q": "Wu Jng"},
    ],
)
def test_search_view_stays_within_the_query_budget(
    params, grown, db, client, django_assert_max_num_queries
):
    """A results page, a miss, a correction, a Chinese query, filtered pages,
    pages by date and the people alone each need at most ten queries on the
    grown archive."""
    client.get("/search/", params)
    with django_assert_max_num_queries(BUDGET):
        response = client.get("/search/", params)
    assert response.status_code == 200


def test_corrected_terms_reads_the_lexicon_twice_at_most_and_a_bounded_part(
    grown, db, monkeypatch, django_assert_max_num_queries
):
    """A correction of several words is two reads of the lexicon however large
    it is (words, then titles and names), each of at most NEAREST terms a word
    and the terms one slip away (PostgreSQL), or FALLBACK_CANDIDATES."""
    SearchTerm.objects.bulk_create(
        SearchTerm(term=f"orb{n:05d}x", spelling=f"orb{n:05d}x") for n in range(3000)
    )
    read = []
    nearest = lexicon._nearest

    def counting(keys, **kwargs):
        rows = nearest(keys, **kwargs)
        read.append(len(rows))
        return rows

    monkeypatch.setattr(lexicon, "_nearest", counting)
    with django_assert_max_num_queries(2):
        corrected = corrected_terms(["Orbitts", "Jupitar"])
    assert [word.casefold() for word in corrected] == ["orbits", "jupiter"]
    assert len(read) == 2
    if connection.vendor == "postgresql":
        assert read[1] <= NEAREST
    else:
        assert read[1] <= FALLBACK_CANDIDATES
    # Besides the nearest: the terms one slip away, each found by its spelling.
    slipped = SearchTerm.objects.filter(
        term__in=slips("orbitts") | slips("jupitar")
    ).count()
    if connection.vendor == "postgresql":
        bound = NEAREST * 2 + slipped
    else:
        bound = FALLBACK_CANDIDATES
    assert read and read[0] <= bound


def test_search_archive_corrects_words_titles_and_names(grown, db):
    """Misspelt words of titles and texts, and a misspelt name, are read as the
    archive's own, and find their pages."""
    for query, corrected, title in [
        ("Wandring earth", "Wandering earth", "The Wandering Earth"),
        ("Wolf Warior", "Wolf Warrior", "Wolf Warrior 2"),
        ("Jupitar", "Jupiter", None),
        ("Frant Guo", "Frant Gwo", "The Wandering Earth"),
    ]:
        search = search_archive(query=query)
        assert search.corrected_query == corrected, query
        assert search.total, query
        if title:
            assert title in _titles(search), query


def test_rebuild_lexicon_keeps_no_word_of_a_hidden_page(grown, db):
    """Words only drafts, withdrawn and private pages hold are not in the
    lexicon, and nothing misspelt is corrected to them."""
    rebuild_lexicon()
    assert not SearchTerm.objects.filter(term__icontains="hiddenword").exists()
    assert search_archive(query="Hiddenwrd").corrected_query == ""


def test_search_archive_never_corrects_to_a_word_left_by_a_withdrawn_page(grown, db):
    """A page published, then withdrawn, leaves its words in the lexicon until
    the next rebuild; they are never offered."""
    page = f.make_essay(grown.essays, title="Zanzibarian chronicles")
    assert SearchTerm.objects.filter(term="zanzibarian").exists()
    page.unpublish()
    search = search_archive(query="Zanzibarien")
    assert (search.total, search.corrected_query) == (0, "")
