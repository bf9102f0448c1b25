"""Bounds on the text fields, which the admin's forms and load_archive enforce.

A max_length on a TextField, a RichTextField or a StreamField's blocks changes
no column, so the database is left alone: on SQLite, Django would otherwise
rebuild every table to change nothing.
"""

import wagtail.fields
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('wanderingsite', '0006_editors_change_own_uploads_only'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='archivetag',
                    name='description',
                    field=models.TextField(blank=True, help_text='What the tag gathers, shown at the top of its tag page.', max_length=1000, verbose_name='description'),
                ),
                migrations.AlterField(
                    model_name='homepage',
                    name='intro',
                    field=wagtail.fields.RichTextField(blank=True, help_text='What the archive is, in a short paragraph.', max_length=5000, verbose_name='introduction'),
                ),
                migrations.AlterField(
                    model_name='homepage',
                    name='summary',
                    field=models.TextField(blank=True, help_text="One or two plain sentences: shown in listings, search results and as the page's description for search engines.", max_length=1000, verbose_name='summary'),
                ),
                migrations.AlterField(
                    model_name='person',
                    name='aliases',
                    field=models.TextField(blank=True, help_text='Other spellings the sources use, one per line.', max_length=1000, verbose_name='aliases'),
                ),
                migrations.AlterField(
                    model_name='person',
                    name='description',
                    field=models.TextField(blank=True, help_text='One or two sentences on who this is, from the sources.', max_length=1000, verbose_name='description'),
                ),
            ],
        ),
    ]
