"""One-word against two-word search at ~2,000 documents, with and without the
``(title || body)`` GIN index that migration 0004 adds to Wagtail's search table.

PostgreSQL only. The database named by DATABASE_URL is migrated, given the
archive (``load_archive``) and grown with made-up essays (``Corpus``: prose
word frequencies, a fixed seed) until it holds ``--documents`` indexed pages;
a second run reuses them. Use a database of its own::

    createdb -h 127.0.0.1 -U postgres wa_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wa_bench \\
        .venv/bin/python benchmarks/search_index.py --documents 2000

Each query runs ``--repeat`` times after one warm-up; the median and the best
time are printed in milliseconds, first for the full-text query alone (the SQL
the index serves), then for the whole ``search_archive`` (full text, substring
match, facets, one page of results). "without index" drops the index inside a
transaction, re-analyses the table and rolls back, so the database keeps it.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wanderingsite.settings.dev")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from wagtail.models import Page  # noqa: E402
from wagtail.search.models import IndexEntry  # noqa: E402

from essays.models import EssayIndexPage, EssayPage  # noqa: E402
from wanderingsite.page_types import archive_types  # noqa: E402
from wanderingsite.search import search_archive  # noqa: E402

INDEX = "wagtailsearch_indexentry_title_body_gin"
ONE_WORD = ["earth", "hollywood", "china", "moon", "nationalism"]
TWO_WORDS = ["wandering earth", "soft power", "box office", "film market", "china film"]
SLUG_PREFIX = "bench-"


class Corpus:
    """Essay text with the word frequencies of real prose.

    Words are drawn from a Zipf distribution over the three documents'
    vocabulary mixed with 20,000 made-up words, so a query word matches a
    share of the documents that depends on how common it is; one essay in ten
    also quotes a real paragraph, so the archive's phrases occur as phrases.
    """

    def __init__(self, rng: random.Random):
        self.rng = rng
        texts = [
            path.read_text(encoding="utf-8")
            for path in sorted((ROOT / "fixtures" / "documents").glob("*.txt"))
        ]
        self.paragraphs = [
            " ".join(block.split())
            for text in texts
            for block in text.split("\n\n")
            if len(block.split()) > 12
        ]
        real = sorted(
            {w.strip(".,;:!?()“”\"'’‘*[]").lower() for t in texts for w in t.split()}
        )
        syllables = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
        made_up = {
            "".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(20_000)
        }
        vocabulary = [w for w in real if w.isalpha()] + sorted(made_up)
        rng.shuffle(vocabulary)
        self.vocabulary = vocabulary
        self.weights = [1 / (rank**1.1) for rank in range(1, len(vocabulary) + 1)]

    def words(self, k: int) -> str:
        return " ".join(self.rng.choices(self.vocabulary, self.weights, k=k))

    def essay(self) -> tuple[str, list[str]]:
        paragraphs = [self.words(self.rng.randint(40, 90)) + "." for _ in range(4)]
        if self.rng.random() < 0.1:
            paragraphs.insert(1, self.rng.choice(self.paragraphs))
        return self.words(self.rng.randint(3, 7)).capitalize(), paragraphs


def grow(documents: int) -> None:
    """Add essays until the search index holds ``documents`` entries."""
    call_command("migrate", verbosity=0)
    if not EssayPage.objects.exists():
        call_command("load_archive", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    missing = documents - IndexEntry.objects.count()
    if missing <= 0:
        return
    corpus = Corpus(random.Random(2019))  # noqa: S311 - sample text, not secrets
    index = EssayIndexPage.objects.get()
    start = Page.objects.filter(slug__startswith=SLUG_PREFIX).count()
    print(f"growing the archive by {missing} essays ...", flush=True)
    for n in range(start, start + missing):
        title, paragraphs = corpus.essay()
        essay = EssayPage(
            title=title[:200],
            slug=f"{SLUG_PREFIX}{n}",
            publication="Benchmark Review",
            summary=paragraphs[0][:300],
            body=[
                ("paragraph", {"text": f"<p>{text}</p>", "anchor": f"p{i}"})
                for i, text in enumerate(paragraphs, start=1)
            ],
        )
        index.add_child(instance=essay)
        index.refresh_from_db()


def full_text(query: str) -> list:
    pages = (
        Page.objects.live()
        .public()
        .type(*archive_types.models)
        .only("id", "content_type_id", "title")
    )
    return list(pages.search(query, operator="and").annotate_score("_score"))


def timed(fn, query: str, repeat: int) -> tuple[float, float, int]:
    found = len(fn(query)) if fn is full_text else fn(query).total
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn(query)
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), min(samples), found


def archive_search(query: str):
    return search_archive(query=query)


def explain(query: str) -> str:
    pages = Page.objects.live().public().type(*archive_types.models)
    sql_holder = {}

    def capture(execute, sql, params, many, context):
        if "@@" in sql:
            sql_holder["sql"], sql_holder["params"] = sql, params
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        list(pages.search(query, operator="and").annotate_score("_score"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"EXPLAIN (ANALYZE, TIMING OFF) {sql_holder['sql']}",
            sql_holder["params"],
        )
        return "\n".join(row[0] for row in cursor.fetchall())


def measure(label: str, repeat: int, show_plan: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE wagtailsearch_indexentry")
        cursor.execute("ANALYZE wagtailcore_page")
    print(f"\n== {label} ==")
    print(f"EXPLAIN ANALYZE of the full-text query for {show_plan!r}:")
    print(explain(show_plan))
    print(f"\n{'query':<18}{'results':>8}{'full text ms':>22}{'search_archive ms':>24}")
    print(f"{'':<18}{'':>8}{'median / best':>22}{'median / best':>24}")
    for group, queries in (("one word", ONE_WORD), ("two words", TWO_WORDS)):
        fts_medians, all_medians = [], []
        for query in queries:
            fts_median, fts_best, found = timed(full_text, query, repeat)
            all_median, all_best, _ = timed(archive_search, query, repeat)
            fts_medians.append(fts_median)
            all_medians.append(all_median)
            print(
                f"{query:<18}{found:>8}{fts_median:>13.1f} / {fts_best:<6.1f}"
                f"{all_median:>15.1f} / {all_best:<6.1f}"
            )
        print(
            f"{'  mean, ' + group:<26}{statistics.mean(fts_medians):>13.1f}"
            f"{'':>9}{statistics.mean(all_medians):>6.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--plan-query", default="wandering earth")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL.")
    grow(args.documents)
    print(
        f"{IndexEntry.objects.count()} documents in the search index; "
        f"PostgreSQL {connection.pg_version}"
    )
    measure("with the (title || body) index", args.repeat, args.plan_query)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX {INDEX}")
        measure("without it", args.repeat, args.plan_query)
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
