from django.db import migrations


class Migration(migrations.Migration):
    """Placeholder: the Editors and Moderators groups and the review workflow."""

    dependencies = [("wanderingsite", "0002_create_homepage")]

    operations = []
