"""The lexicon of search terms, with a trigram GiST index on PostgreSQL so
that a spelling correction reads only the few terms nearest each query word
(``ORDER BY term <-> word LIMIT n`` walks the index, nearest first; a GIN
index answers ``%`` but cannot order by distance)."""

from django.db import migrations, models


class PostgresOnlyRunSQL(migrations.RunSQL):
    """RunSQL that does nothing on databases other than PostgreSQL."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [
        ("wanderingsite", "0007_text_field_bounds"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchTerm",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("term", models.CharField(max_length=100, unique=True)),
                ("spelling", models.CharField(max_length=100)),
                ("words", models.PositiveSmallIntegerField(default=1)),
                (
                    "named",
                    models.BooleanField(
                        default=False,
                        help_text=(
                            "From a title, tag or name rather than only a page's text."
                        ),
                    ),
                ),
            ],
            options={"verbose_name": "search term"},
        ),
        # 0004 created the pg_trgm extension.
        PostgresOnlyRunSQL(
            sql=(
                "CREATE INDEX wanderingsite_searchterm_term_trgm "
                "ON wanderingsite_searchterm USING GIST (term gist_trgm_ops)"
            ),
            reverse_sql="DROP INDEX IF EXISTS wanderingsite_searchterm_term_trgm",
        ),
    ]
