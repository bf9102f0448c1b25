"""Bounds on the text fields, which the admin's forms and load_archive enforce.

A max_length on a TextField, a RichTextField or a StreamField's blocks changes
no column, so the database is left alone: on SQLite, Django would otherwise
rebuild every table to change nothing.
"""

import django.core.validators
import wagtail.fields
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('films', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='filmindexpage',
                    name='intro',
                    field=wagtail.fields.RichTextField(blank=True, max_length=5000, verbose_name='introduction'),
                ),
                migrations.AlterField(
                    model_name='filmindexpage',
                    name='summary',
                    field=models.TextField(blank=True, help_text="One or two plain sentences: shown in listings, search results and as the page's description for search engines.", max_length=1000, verbose_name='summary'),
                ),
                migrations.AlterField(
                    model_name='filmpage',
                    name='other_titles',
                    field=models.TextField(blank=True, help_text='Other titles the sources or readers use, one per line; search finds the film by each.', max_length=1000, verbose_name='other titles'),
                ),
                migrations.AlterField(
                    model_name='filmpage',
                    name='summary',
                    field=models.TextField(blank=True, help_text="One or two plain sentences: shown in listings, search results and as the page's description for search engines.", max_length=1000, verbose_name='summary'),
                ),
                migrations.AlterField(
                    model_name='filmpage',
                    name='synopsis',
                    field=wagtail.fields.RichTextField(blank=True, help_text='The story, as the essays tell it.', max_length=10000, verbose_name='synopsis'),
                ),
                migrations.AlterField(
                    model_name='policyeventpage',
                    name='body',
                    field=wagtail.fields.StreamField([('paragraph', 2), ('heading', 5), ('quote', 8), ('image', 13)], blank=True, block_lookup={0: ('wagtail.blocks.RichTextBlock', (), {'features': ['bold', 'italic', 'link'], 'label': 'Text', 'max_length': 10000}), 1: ('wagtail.blocks.CharBlock', (), {'help_text': 'Stable name for links to this paragraph (#anchor). Leave blank and one is made for you; never change one that citations use.', 'label': 'Anchor', 'max_length': 60, 'required': False, 'validators': [django.core.validators.RegexValidator('^[a-z][a-z0-9-]*$', 'Use lower-case letters, digits and hyphens, starting with a letter.')]}), 2: ('wagtail.blocks.StructBlock', [[('text', 0), ('anchor', 1)]], {}), 3: ('wagtail.blocks.CharBlock', (), {'label': 'Heading', 'max_length': 200}), 4: ('wagtail.blocks.CharBlock', (), {'help_text': 'Stable name for links to this section. Optional.', 'label': 'Anchor', 'max_length': 60, 'required': False, 'validators': [django.core.validators.RegexValidator('^[a-z][a-z0-9-]*$', 'Use lower-case letters, digits and hyphens, starting with a letter.')]}), 5: ('wagtail.blocks.StructBlock', [[('text', 3), ('anchor', 4)]], {}), 6: ('wagtail.blocks.TextBlock', (), {'label': 'Quotation'}), 7: ('wagtail.blocks.CharBlock', (), {'label': 'Said or written by', 'max_length': 200, 'required': False}), 8: ('wagtail.blocks.StructBlock', [[('text', 6), ('attribution', 7)]], {}), 9: ('wagtail.images.blocks.ImageChooserBlock', (), {'label': 'Image'}), 10: ('wagtail.blocks.CharBlock', (), {'help_text': 'What the image shows, for people who cannot see it.', 'label': 'Alternative text', 'max_length': 250}), 11: ('wagtail.blocks.CharBlock', (), {'label': 'Caption', 'max_length': 250, 'required': False}), 12: ('wagtail.blocks.CharBlock', (), {'help_text': 'Who made the image and under what licence.', 'label': 'Credit', 'max_length': 250, 'required': False}), 13: ('wagtail.blocks.StructBlock', [[('image', 9), ('alt_text', 10), ('caption', 11), ('credit', 12)]], {})}, help_text='What happened and why it matters; paragraphs can be cited.', verbose_name='body'),
                ),
                migrations.AlterField(
                    model_name='policyeventpage',
                    name='summary',
                    field=models.TextField(blank=True, help_text="One or two plain sentences: shown in listings, search results and as the page's description for search engines.", max_length=1000, verbose_name='summary'),
                ),
                migrations.AlterField(
                    model_name='timelinepage',
                    name='intro',
                    field=wagtail.fields.RichTextField(blank=True, max_length=5000, verbose_name='introduction'),
                ),
                migrations.AlterField(
                    model_name='timelinepage',
                    name='summary',
                    field=models.TextField(blank=True, help_text="One or two plain sentences: shown in listings, search results and as the page's description for search engines.", max_length=1000, verbose_name='summary'),
                ),
            ],
        ),
    ]
