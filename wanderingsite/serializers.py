"""How the API shows what the page models declare in ``api_fields``.

Generic over films, essays and events (this module imports neither app).
Related pages and cited essays are shown only while the public may see them.
"""

from django.db.models import BooleanField, ExpressionWrapper
from rest_framework import serializers
from wagtail.api import APIField
from wagtail.rich_text import expand_db_html

from .visibility import visible_q


def _request(field):
    return field.context.get("request")


class RichTextField(serializers.Field):
    """Rich text with internal links expanded to real URLs."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return expand_db_html(value or "")


class TagsField(serializers.Field):
    """``[{"name", "slug"}]``, by name."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, manager):
        return [
            {"name": tag.name, "slug": tag.slug}
            for tag in manager.all().order_by("name")
        ]


class PagesField(serializers.Field):
    """Related pages the public may see: ``[{"id", "title", "url"}]``."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, manager):
        request = _request(self)
        pages = manager.all().filter(visible_q()).order_by("title")
        return [
            {"id": page.pk, "title": page.title, "url": page.get_full_url(request)}
            for page in pages
        ]


def _person(person) -> dict:
    return {
        "name": person.name,
        "original_name": person.original_name,
        "slug": person.slug,
        "kind": person.kind,
    }


class PeopleField(serializers.Field):
    """A child relation to people, e.g. credits: the person and ``extra`` fields."""

    def __init__(self, extra=(), **kwargs):
        kwargs["read_only"] = True
        self.extra = tuple(extra)
        super().__init__(**kwargs)

    def to_representation(self, manager):
        rows = manager.all().select_related("person")
        return [
            {"person": _person(row.person), **{f: getattr(row, f) for f in self.extra}}
            for row in rows
        ]


class CitationsField(serializers.Field):
    """Claims with their quotes; the essay and its paragraph URL when visible."""

    def __init__(self, extra=(), **kwargs):
        kwargs["read_only"] = True
        self.extra = tuple(extra)
        super().__init__(**kwargs)

    def _extra(self, row) -> dict:
        values = {f: getattr(row, f) for f in self.extra}
        if "amount" in values:
            values["amount"] = str(values["amount"])
        return values

    def to_representation(self, manager):
        request = _request(self)
        rows = (
            manager.all()
            .select_related("essay")
            .annotate(
                essay_visible=ExpressionWrapper(
                    visible_q("essay__"), output_field=BooleanField()
                )
            )
        )
        data = []
        for row in rows:
            essay = row.essay if row.essay_visible else None
            essay_url = essay.get_full_url(request) if essay else None
            data.append(
                {
                    **self._extra(row),
                    "claim": row.claim,
                    "topic": row.topic,
                    "quote": row.quote,
                    "essay": (
                        {
                            "id": essay.pk,
                            "title": essay.title,
                            "url": essay_url,
                        }
                        if essay
                        else None
                    ),
                    "url": (
                        f"{essay_url}#{row.anchor}"
                        if essay and row.anchor
                        else essay_url
                    ),
                }
            )
        return data


# The date of a film or event, as precise as its source.
DATE_FIELDS = [
    APIField("date"),
    APIField("date_precision"),
    APIField("date_display"),
    APIField("date_iso"),
    APIField("date_note"),
]

CharField = serializers.CharField
DateField = serializers.DateField
