"""Indexes that keep archive search fast on PostgreSQL; nothing on other databases.

1. ``wagtailsearch_indexentry_title_body_gin``: the database search backend
   matches ``(title || body) @@ to_tsquery(...)``
   (``PostgresSearchQueryCompiler.get_index_vectors`` in modelsearch). Wagtail
   ships GIN indexes on ``title`` and on ``body`` but none on the concatenation,
   so the planner cannot use an index for that expression and misjudges how
   many rows match a query of several words. The expression below is the
   backend's, term for term.
2. ``pg_trgm`` and trigram GIN indexes over the titles and names that the
   substring match reads: PostgreSQL's text-search parser does not split
   Chinese, so 流浪地球 is found by substring, not by lexeme. Django writes
   ``icontains`` as ``UPPER(col::text) LIKE UPPER('%...%')``, so the indexes
   are on that expression.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class PostgresOnlyRunSQL(migrations.RunSQL):
    """RunSQL that does nothing on databases other than PostgreSQL."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


TRIGRAM_INDEXES = [
    ("wagtailcore_page_title_trgm", "wagtailcore_page", "title"),
    ("films_filmpage_original_title_trgm", "films_filmpage", "original_title"),
    ("films_filmpage_other_titles_trgm", "films_filmpage", "other_titles"),
    ("wanderingsite_person_name_trgm", "wanderingsite_person", "name"),
    (
        "wanderingsite_person_original_name_trgm",
        "wanderingsite_person",
        "original_name",
    ),
]


class Migration(migrations.Migration):
    dependencies = [
        ("wanderingsite", "0003_editorial_groups"),
        ("wagtailsearch", "0010_add_text_fields"),
        ("wagtailcore", "0001_initial"),
        ("films", "0001_initial"),
    ]

    operations = [
        PostgresOnlyRunSQL(
            sql=(
                "CREATE INDEX wagtailsearch_indexentry_title_body_gin "
                "ON wagtailsearch_indexentry USING GIN ((title || body))"
            ),
            reverse_sql="DROP INDEX IF EXISTS wagtailsearch_indexentry_title_body_gin",
        ),
        TrigramExtension(),
        *(
            PostgresOnlyRunSQL(
                sql=(
                    f"CREATE INDEX {name} ON {table} "
                    f"USING GIN ((UPPER({column}::text)) gin_trgm_ops)"
                ),
                reverse_sql=f"DROP INDEX IF EXISTS {name}",
            )
            for name, table, column in TRIGRAM_INDEXES
        ),
    ]
