"""An index for "newest first" over every page type (the latest feed): Wagtail
indexes ``first_published_at`` alone, and pages published in the same instant
(a bulk load) then make the feed sort every page to break the tie by id."""

from django.db import migrations

INDEX = "wanderingsite_page_first_published_id"


class Migration(migrations.Migration):
    dependencies = [
        ("wanderingsite", "0008_search_terms"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {INDEX} "
            "ON wagtailcore_page (first_published_at, id)",
            f"DROP INDEX IF EXISTS {INDEX}",
        )
    ]
