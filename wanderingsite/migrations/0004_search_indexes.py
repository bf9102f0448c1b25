from django.db import migrations


class Migration(migrations.Migration):
    """Placeholder: indexes on Wagtail's search table for multi-word queries."""

    dependencies = [("wanderingsite", "0003_editorial_groups")]

    operations = []
