"""Search on PostgreSQL: the indexes of migrations 0004 and 0008 and the plans
they give."""

import json
import random

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from wagtail.models import Page

from essays.models import EssayPage
from wanderingsite.models import SearchTerm
from wanderingsite.search import lexicon
from wanderingsite.search.engine import search_archive
from wanderingsite.search.lexicon import NEAREST

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="PostgreSQL full text, pg_trgm and EXPLAIN plans; "
        "run with DATABASE_URL=postgres://...",
    ),
]

COMBINED_INDEX = "wagtailsearch_indexentry_title_body_gin"
DOCUMENTS = 2000


def _index_definitions() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes")
        return dict(cursor.fetchall())


def _grow_index(parent: Page, documents: int) -> None:
    """``documents`` live essay pages with index entries, written in bulk.

    Only the two tables the full-text query reads are filled: page rows and
    their search index entries, with prose-like word frequencies (a Zipf draw
    over a fixed vocabulary) so that words match a realistic share of them.
    """
    rng = random.Random(2019)
    syllables = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
    vocabulary = sorted(
        {"".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(8000)}
    )
    rng.shuffle(vocabulary)
    # Each word of the query is in about one document in five: neither rare
    # nor everywhere.
    vocabulary[80:80] = ["earth"]
    vocabulary[120:120] = ["wandering"]
    weights = [1 / rank**1.1 for rank in range(1, len(vocabulary) + 1)]
    content_type = ContentType.objects.get_for_model(EssayPage)
    pages = Page.objects.bulk_create(
        Page(
            title=" ".join(rng.choices(vocabulary, weights, k=5)),
            slug=f"grown-{n}",
            path=f"{parent.path}{n + 100:04d}",
            depth=parent.depth + 1,
            content_type=content_type,
            locale_id=parent.locale_id,
            live=True,
            url_path=f"{parent.url_path}grown-{n}/",
        )
        for n in range(documents)
    )
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO wagtailsearch_indexentry (content_type_id, object_id, "
            "title_norm, title, body, autocomplete, title_text, body_text) "
            "VALUES (%s, %s, 1.0, to_tsvector(%s), to_tsvector(%s), "
            "to_tsvector('simple', %s), %s, %s)",
            [
                (
                    content_type.pk,
                    str(page.pk),
                    page.title,
                    body,
                    page.title,
                    page.title,
                    body,
                )
                for page in pages
                for body in [" ".join(rng.choices(vocabulary, weights, k=300))]
            ],
        )
        # What autovacuum would do by now: move the GIN index's pending
        # entries (where bulk inserts land) into the index proper; the planner
        # prices a long pending list as a reason to scan the table instead.
        for index in (COMBINED_INDEX, "wagtailcore_page_title_trgm"):
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
        cursor.execute("ANALYZE wagtailsearch_indexentry")
        cursor.execute("ANALYZE wagtailcore_page")


def _plans(query: str, **params) -> dict[str, dict]:
    """EXPLAIN ANALYZE (as JSON) of the queries ``search_archive`` runs that
    find the matches: ``search`` (the counts, facets and the page of results,
    in one) and ``nearest`` (the spelling correction), those it runs."""
    captured = {}

    def capture(execute, sql, params, many, context):
        for name, start in [
            ("search", "WITH m AS MATERIALIZED"),
            ("nearest", "(SELECT %s, spelling"),
        ]:
            if sql.startswith(start):
                captured.setdefault(name, (sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        search_archive(query=query, **params)
    plans = {}
    with connection.cursor() as cursor:
        for name, (sql, params) in captured.items():
            cursor.execute(f"EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
            plans[name] = (json.loads(plan) if isinstance(plan, str) else plan)[0][
                "Plan"
            ]
    return plans


def _nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def test_migration_indexes_title_and_body_as_the_backend_matches_them(db):
    """The combined GIN index is on (title || body), the backend's expression."""
    definition = _index_definitions()[COMBINED_INDEX]
    assert definition.endswith("USING gin (((title || body)))")


def test_migration_adds_trigram_indexes_for_the_substring_match(db):
    """Titles and names carry trigram indexes on the UPPER() icontains uses."""
    definitions = _index_definitions()
    for name, expression in [
        ("wagtailcore_page_title_trgm", "upper((title)::text) gin_trgm_ops"),
        ("films_filmpage_original_title_trgm", "upper((original_title)::text)"),
        ("films_filmpage_other_titles_trgm", "upper(other_titles) gin_trgm_ops"),
        ("wanderingsite_person_original_name_trgm", "upper((original_name)::text)"),
    ]:
        assert expression in definitions[name]


def _page_scans_in_loops(plan: dict) -> list[dict]:
    """Nodes that read wagtailcore_page over and over other than by primary
    key: a nested loop over the pages."""
    return [
        n
        for n in _nodes(plan)
        if n.get("Relation Name") == "wagtailcore_page"
        and n.get("Actual Loops", 1) > 1
        and n.get("Index Name") != "wagtailcore_page_pkey"
    ]


@pytest.mark.parametrize("params", [{}, {"type": "essay"}, {"page": 3}])
def test_search_plans_reach_matches_through_the_indexes(sample_archive, params):
    """At 2,000 documents, the search (facets and the page of results) finds full-text
    matches through the combined GIN index, never a scan of the search table;
    pages are reached by primary key or in one pass, never in a loop; the
    planner's estimate of a two-word match is near the truth."""
    _grow_index(sample_archive.essays, DOCUMENTS)
    plans = _plans("wandering earth", **params)
    assert set(plans) == {"search"}
    for name, plan in plans.items():
        nodes = list(_nodes(plan))
        assert not [
            n
            for n in nodes
            if n["Node Type"] == "Seq Scan"
            and n.get("Relation Name") == "wagtailsearch_indexentry"
        ], name
        assert not _page_scans_in_loops(plan), name
        index_names = {n.get("Index Name") for n in nodes}
        assert COMBINED_INDEX in index_names, name
        scans = [
            n
            for n in nodes
            if n.get("Relation Name") == "wagtailsearch_indexentry"
            and "@@" in n.get("Recheck Cond", "")
        ]
        assert scans, name
        for scan in scans:
            assert scan["Actual Rows"] > 50
            assert scan["Plan Rows"] >= scan["Actual Rows"] / 5


def test_spelling_correction_plan_reads_the_nearest_terms_by_index(sample_archive):
    """With 8,000 terms in the lexicon, a correction walks the trigram index
    nearest first and reads a few terms a word, and looks the word's slips up
    by the unique index on the term, never reading the whole table."""
    rng = random.Random(2019)
    syllables = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
    words = {"".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(8000)}
    # One slip from "bakudo", so that the slips' lookup finds something.
    words |= {"bakuda", "bakdo"}
    SearchTerm.objects.bulk_create(
        SearchTerm(term=w, spelling=w) for w in words if len(w) < 100
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE wanderingsite_searchterm")
    plan = _plans("qzxvjwk bakudo")["nearest"]
    nodes = list(_nodes(plan))
    scans = [n for n in nodes if n.get("Relation Name") == "wanderingsite_searchterm"]
    nearest = [n for n in scans if "<->" in n.get("Order By", "")]
    slipped = [n for n in scans if "slip" in n.get("Index Cond", "")]
    assert len(nearest) == len(slipped) == 2
    assert len(scans) == 4
    for scan in nearest:
        assert scan["Node Type"] == "Index Scan"
        assert scan["Index Name"] == "wanderingsite_searchterm_term_trgm"
        assert scan["Actual Rows"] <= NEAREST
        assert scan.get("Rows Removed by Filter", 0) < 100
    # One probe of the unique index per slip, each finding one term at most.
    for scan in slipped:
        assert scan["Node Type"] == "Index Scan"
        assert scan["Index Name"] == "wanderingsite_searchterm_term_key"
        assert scan["Actual Loops"] > 100
        assert scan["Actual Rows"] <= 1
        assert scan.get("Rows Removed by Filter", 0) == 0
    found = {spelling for _, spelling, _ in lexicon._nearest(["bakudo"], phrases=False)}
    assert found >= {"bakuda", "bakdo"}


def test_search_archive_finds_chinese_titles_on_postgresql(sample_archive):
    """PostgreSQL does not split 流浪地球 into words; the substring match does."""
    titles = [
        hit.page.title for hit in search_archive(query="流浪").results.object_list
    ]
    assert titles == ["The Wandering Earth", "The Wandering Earth II"]
