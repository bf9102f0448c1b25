"""Search on PostgreSQL: the indexes of migration 0004 and the plans they give."""

import json
import random

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from wagtail.models import Page

from essays.models import EssayPage
from wanderingsite.search.engine import search_archive

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
        cursor.execute("ANALYZE wagtailsearch_indexentry")
        cursor.execute("ANALYZE wagtailcore_page")


def _full_text_plan(query: str) -> dict:
    """EXPLAIN ANALYZE (as JSON) of the full-text query ``search_archive`` runs."""
    captured = []

    def capture(execute, sql, params, many, context):
        if "@@" in sql:
            captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        search_archive(query=query)
    sql, params = captured[0]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    return (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]


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


def test_multi_word_search_plan_has_no_nested_loop_over_pages(sample_archive):
    """At 2,000 documents the planner estimates a two-word match from the
    index's statistics, near the truth, and joins pages without a nested loop.

    Without the combined index it guesses one row for any match, which is what
    leads it to loop over wagtailcore_page as the archive grows.
    """
    _grow_index(sample_archive.essays, DOCUMENTS)
    plan = _full_text_plan("wandering earth")
    nodes = list(_nodes(plan))
    loops = [n for n in nodes if n["Node Type"] == "Nested Loop"]
    assert not [
        loop
        for loop in loops
        if any(n.get("Relation Name") == "wagtailcore_page" for n in _nodes(loop))
    ]
    (scan,) = [
        n
        for n in nodes
        if n.get("Relation Name") == "wagtailsearch_indexentry"
        and "@@" in n.get("Filter", "") + n.get("Recheck Cond", "")
    ]
    assert scan["Actual Rows"] > 50
    assert scan["Plan Rows"] >= scan["Actual Rows"] / 5


def test_search_archive_finds_chinese_titles_on_postgresql(sample_archive):
    """PostgreSQL does not split 流浪地球 into words; the substring match does."""
    titles = [
        hit.page.title for hit in search_archive(query="流浪").results.object_list
    ]
    assert titles == ["The Wandering Earth", "The Wandering Earth II"]
