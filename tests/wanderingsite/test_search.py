import re

from tests import factories as f
from tests.factories import HIDDEN
from wanderingsite.page_types import archive_types
from wanderingsite.search.engine import PER_PAGE, search_archive
from wanderingsite.search.query import MAX_QUERY_LENGTH, clean_query, query_terms
from wanderingsite.search.snippets import highlight


def _titles(search):
    return [hit.page.title for hit in search.results.object_list]


def _counts(facets):
    return {facet.value: facet.count for facet in facets}


def test_search_archive_ranks_every_type_in_one_list(sample_archive):
    """Films, essays and events come back in one list, ordered by score."""
    hits = search_archive(query="soft power").results.object_list
    # The two backends score full-text matches differently: only the order
    # by score is common to both.
    assert {(hit.page.pk, hit.type.key) for hit in hits} == {
        (sample_archive.film.pk, "film"),
        (sample_archive.kokas_essay.pk, "essay"),
        (sample_archive.plan.pk, "event"),
    }
    assert [hit.score for hit in hits] == sorted(
        (hit.score for hit in hits), reverse=True
    )


def test_search_archive_ranks_titles_above_passages(sample_archive):
    """Both films, titled The Wandering Earth, come before the essays that
    only mention it."""
    search = search_archive(query="wandering earth")
    assert [hit.type.key for hit in search.results.object_list] == [
        "film",
        "film",
        "essay",
        "essay",
    ]
    assert search.results.object_list[0].page.pk == sample_archive.film.pk


def test_search_archive_finds_a_film_by_its_chinese_title(sample_archive):
    """流浪地球 finds The Wandering Earth first, and its sequel too."""
    search = search_archive(query="流浪地球")
    assert _titles(search)[:2] == ["The Wandering Earth", "The Wandering Earth II"]
    assert "<mark>流浪地球</mark>" in search.results.object_list[0].original_title


def test_search_archive_finds_part_of_a_chinese_title(sample_archive):
    """Two characters of a Chinese title are enough: 地球 finds both films."""
    assert set(_titles(search_archive(query="地球"))) == {
        "The Wandering Earth",
        "The Wandering Earth II",
    }


def test_search_archive_finds_pages_by_a_persons_original_name(sample_archive):
    """吴京 finds the film he is credited in; 王晓晖 the event he acted in."""
    assert _titles(search_archive(query="吴京")) == ["The Wandering Earth"]
    assert _titles(search_archive(query="王晓晖")) == ["A strong film power plan"]


def test_search_archive_finds_a_film_by_another_title(sample_archive):
    """A title from the film's other titles finds it."""
    assert _titles(search_archive(query="Liulang Diqiu")) == ["The Wandering Earth"]


def test_search_archive_counts_types_and_tags(sample_archive):
    """Facets count the matching pages per type and per tag."""
    search = search_archive(query="wandering")
    assert _counts(search.type_facets) == {
        "film": 2,
        "essay": 2,
        "event": 0,
        "person": 0,
    }
    tags = _counts(search.tag_facets)
    assert tags["science-fiction"] == 4
    assert tags["soft-power"] == 2
    assert tags["box-office"] == 2


def test_search_archive_filters_by_type(sample_archive):
    """?type=essay keeps essays only; the type facet still counts every type."""
    search = search_archive(query="wandering", type="essay")
    assert {hit.type.key for hit in search.results.object_list} == {"essay"}
    assert search.total == 2
    assert _counts(search.type_facets)["film"] == 2


def test_search_archive_filters_by_tag(sample_archive):
    """?tag= keeps the pages with that tag; type counts follow the tag."""
    search = search_archive(query="wandering", tag="box-office")
    assert _titles(search) == ["The Wandering Earth", "Planet in peril"]
    assert _counts(search.type_facets) == {
        "film": 1,
        "essay": 1,
        "event": 0,
        "person": 0,
    }
    assert search.tag == sample_archive.tags.money


def test_search_archive_ignores_unknown_filters(sample_archive):
    """An unknown type or tag is ignored rather than emptying the results."""
    search = search_archive(query="wandering", type="nope", tag="../..")
    assert search.type is None and search.tag is None
    assert search.total == 4


def test_search_archive_never_shows_hidden_pages(sample_archive):
    """Drafts, withdrawn, private pages and unpublished edits are not found."""
    hidden = {page.pk for page in sample_archive.hidden}
    for query in [
        HIDDEN,
        "流浪秘密",
        "Draft",
        "Withdrawn",
        "Private",
        "Unpublished",
    ]:
        search = search_archive(query=query)
        shown = {hit.page.pk for hit in search.results.object_list}
        assert not shown & hidden, query
        assert search.unfiltered_total == 0, query


def test_search_archive_counts_no_hidden_pages_in_facets(sample_archive):
    """Facet counts leave out drafts, withdrawn and private pages."""
    search = search_archive(query="soft power")
    tags = _counts(search.tag_facets)
    assert sample_archive.tags.hidden.slug not in tags
    assert tags["soft-power"] == search.total


def test_search_archive_takes_a_tag_only_hidden_pages_carry_as_unknown(
    sample_archive,
):
    """?tag= naming a tag that only hidden pages carry selects nothing and is
    named by no facet, as with a tag that does not exist."""
    hidden = search_archive(query="wandering", tag=sample_archive.tags.hidden.slug)
    unknown = search_archive(query="wandering", tag="no-such-tag")
    assert hidden.tag is None
    assert hidden.tag_facets == unknown.tag_facets
    assert sample_archive.tags.hidden.slug not in _counts(hidden.tag_facets)
    assert hidden.total == unknown.total > 0


def test_search_archive_finds_the_live_title_not_the_draft(sample_archive):
    """A live page is found by its published words, not its newer draft's."""
    assert _titles(search_archive(query="cabinet control")) == [
        "Regulation under cabinet control"
    ]
    assert search_archive(query=HIDDEN).total == 0


def test_search_archive_marks_terms_in_escaped_snippets(sample_archive):
    """Snippets escape the text first; the terms are wrapped in <mark>."""
    search = search_archive(query="director hope")
    snippet = str(search.results.object_list[0].snippet)
    assert "<mark>director</mark>" in snippet
    assert "&lt;b&gt;<mark>hope</mark>&lt;/b&gt;" in snippet
    assert "<b>" not in snippet


def test_every_archive_type_offers_passages_to_quote():
    """A type registered without search_passages() would break the results."""
    for archive_type in archive_types:
        assert callable(getattr(archive_type.model, "search_passages", None)), (
            archive_type.key
        )


def test_highlight_never_marks_inside_an_entity():
    """A term such as 'amp' marks the word, never the &amp; an escape makes."""
    pattern = re.compile("amp", re.IGNORECASE)
    assert str(highlight("Tom & amp <i>", pattern)) == (
        "Tom &amp; <mark>amp</mark> &lt;i&gt;"
    )


def test_clean_query_drops_control_characters_and_cuts_long_queries():
    """NUL and other control characters go; a query stops at the limit."""
    assert clean_query("a\x00b\x1fc") == "a b c"
    assert len(clean_query("x" * 5000)) == MAX_QUERY_LENGTH


def test_query_terms_keep_words_of_any_script():
    """Operators and punctuation are dropped; Chinese and digits stay."""
    assert query_terms('"流浪地球 2" & (wandering) -earth*') == [
        "流浪地球",
        "2",
        "wandering",
        "earth",
    ]


def test_search_archive_paginates_and_tolerates_odd_pages(sample_archive):
    """Results come PER_PAGE at a time; bad page numbers give a real page."""
    for n in range(PER_PAGE + 2):
        f.make_essay(sample_archive.essays, title=f"Essay on orbits {n}")
    assert len(search_archive(query="orbits").results.object_list) == PER_PAGE
    assert search_archive(query="orbits", page=2).results.number == 2
    for odd in ("-1", "abc", "999999", "", None, "1e3"):
        assert search_archive(query="orbits", page=odd).results.object_list


def test_search_view_is_noindex(client, sample_archive):
    """The search page asks search engines not to index it."""
    response = client.get("/search/", {"q": "wandering"})
    assert response.status_code == 200
    assert b'<meta name="robots" content="noindex">' in response.content


def test_search_view_links_results_and_facets(client, sample_archive):
    """Each result links to its page; facet links keep the query."""
    html = client.get("/search/", {"q": "wandering"}).content.decode()
    assert 'href="/films/the-wandering-earth/"' in html
    assert 'href="?q=wandering&amp;type=essay"' in html
    assert 'href="?q=wandering&amp;tag=soft-power"' in html
    assert '<span class="search-result__original" lang="zh">' in html


def test_search_view_helps_when_nothing_matches(client, sample_archive):
    """No match: say so, suggest tags whose names share a word, link to browse."""
    html = client.get("/search/", {"q": "science nebula"}).content.decode()
    assert "Nothing in the archive matches" in html
    assert 'href="/tags/science-fiction/"' in html
    assert 'href="/films/"' in html and 'href="/tags/"' in html


def test_search_view_offers_to_drop_filters_that_empty_the_results(
    client, sample_archive
):
    """Filters that leave nothing offer the unfiltered search."""
    html = client.get("/search/", {"q": "regulators", "type": "film"}).content.decode()
    assert "Search every type and tag" in html


HOSTILE = [
    {"q": "<script>alert(1)</script>"},
    {"q": '"><img src=x onerror=alert(1)>'},
    {"q": "x" * 10000},
    {"q": "!!! ??? ... ---"},
    {"q": "\x00"},
    {"q": "wandering\x00earth"},
    {"q": "' OR 1=1 --"},
    {"q": 'NEAR("a" "b") AND * ^'},
    {"q": "流浪地球 🌍 Ünïcödé"},
    {"q": "wandering", "page": "-1"},
    {"q": "wandering", "page": "abc"},
    {"q": "wandering", "page": "999999"},
    {"q": "wandering", "page": "99999999999999999999999"},
    {"q": "wandering", "type": "<script>"},
    {"q": "wandering", "tag": "../.."},
    {"q": "wandering", "tag": "<b>x</b>"},
    {"q": "wandering", "tag": "\x00"},
    {"q": ["a", "b"], "type": ["film", "essay"]},
]


def test_search_view_answers_hostile_input_without_error_or_markup(
    client, sample_archive
):
    """Odd input gives a page, and input markup never comes back unescaped."""
    for params in HOSTILE:
        response = client.get("/search/", params)
        assert response.status_code == 200, params
        html = response.content.decode()
        for markup in ("<script>alert", "<img src=x", "<b>x</b>"):
            assert markup not in html, params


# Elsewhere: how many queries a results page costs as the archive grows
# (test_query_counts.py), and search over the real, loaded archive
# (test_load_archive.py, whose module loads it once).
