"""English stemming for search on SQLite, as PostgreSQL's ``english``
configuration does it: the FTS5 table behind Wagtail's SQLite backend is made
again with FTS5's own Porter stemmer over the default tokenizer, and filled
from the index entries. FTS5 stems the words of a query with the table's
tokenizer, so "thrusters" and "thruster" meet as "thruster" on both databases.

Nothing changes on PostgreSQL, or where SQLite has no FTS5 table.
"""

from django.db import migrations

TABLE = "wagtailsearch_indexentry"
FTS = f"{TABLE}_fts"
STEMMED = "porter unicode61"
PLAIN = "unicode61"


def _remake(schema_editor, tokenizer: str) -> None:
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [FTS]
        )
        if cursor.fetchone() is None:
            return
        # The insert, update and delete triggers on the entries name the table,
        # not its definition: they write to the new one once it exists.
        cursor.execute(f"DROP TABLE {FTS}")
        cursor.execute(
            f"CREATE VIRTUAL TABLE {FTS} USING fts5(autocomplete, body, title, "
            f"tokenize = '{tokenizer}')"
        )
        cursor.execute(
            f"INSERT INTO {FTS} (rowid, title, body, autocomplete) "  # noqa: S608 - constants
            f"SELECT id, title, body, autocomplete FROM {TABLE}"
        )


def stem(apps, schema_editor):
    _remake(schema_editor, STEMMED)


def unstem(apps, schema_editor):
    _remake(schema_editor, PLAIN)


class Migration(migrations.Migration):
    dependencies = [
        ("wanderingsite", "0012_person_review"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(stem, unstem, elidable=False)]
