"""A trigram index on people's aliases, as 0004 gave their names: search
finds people by any of the three, and with this the planner reads each
through its index (a bitmap OR of three) instead of every person."""

from django.db import migrations

INDEX = "wanderingsite_person_aliases_trgm"


class PostgresOnlyRunSQL(migrations.RunSQL):
    """RunSQL that does nothing on databases other than PostgreSQL."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("wanderingsite", "0013_search_stemming_sqlite")]

    operations = [
        # 0004 created the pg_trgm extension; UPPER() is what icontains compares.
        PostgresOnlyRunSQL(
            sql=(
                f"CREATE INDEX IF NOT EXISTS {INDEX} ON wanderingsite_person "
                "USING GIN ((UPPER(aliases)) gin_trgm_ops)"
            ),
            reverse_sql=f"DROP INDEX IF EXISTS {INDEX}",
        )
    ]
