"""The open data: every public film, essay, event, person, tag and citation as
one JSON document (``/data/archive.json``), the JSON Schema that describes it
(``/data/archive.schema.json``), and the page that documents both and the API
(``/data/``).

The export is built from what each archive type declares for the API
(``api_fields``, read through the registry), so a field or a type added there
appears here and in the schema too. Pages are listed by type and refer to one
another by id, to people and tags by slug; citations stand on their own, each
naming the page it supports and the essay it quotes. Only what the public may
see is in it: live pages outside private sections, the relations and
citations among them, and the people and tags they name.

The texts of essays, which were first published elsewhere, are not in it: the
archive records where each appeared but no terms under which it may pass the
text on. Their metadata, summaries and the passages its facts quote are.

The export costs a fixed number of queries whatever the size of the archive:
one per type, one per relation each type shows, one for people, one for tags
and one for the site (21 today). It is served, cached and purged like any
page.
"""

from __future__ import annotations

import datetime
import re
import typing
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlsplit

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe
from wagtail.fields import StreamField

from . import serializers
from .api import EscapingJSONRenderer, api_index
from .models import ArchiveTag, Person
from .page_types import ArchiveType, archive_types
from .quotes import block_text, html_to_text
from .sites import site_root_url
from .visibility import visible_q

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
TEXT_FIELDS = ("body",)
"""What a type published elsewhere leaves out of the export: its text."""
TEXTS_NOTE = (
    "The essays' texts are not included: the archive records where each first "
    "appeared, but no terms under which it may pass the text on. Each essay's "
    "record gives its publication, date and original address where recorded, "
    "its summary, and the passages the archive's facts quote (citations)."
)
RELATED_KINDS = ("people", "pages", "tags", "citations", "rows")
_PARAGRAPH_END = re.compile(r"</p>\s*")


@dataclass(frozen=True)
class ExportField:
    """One of a type's API fields, as the export writes it."""

    name: str
    source: str
    kind: str
    """"value", "rich_text", "stream", or a relation: "people", "pages",
    "tags", "citations", or "rows" for any other (as the API gives them)."""
    serializer: object = None


def _kind(model: type[Model], serializer, source: str) -> str:
    if isinstance(serializer, serializers.PeopleField):
        return "people"
    if isinstance(serializer, serializers.CitationsField):
        return "citations"
    if isinstance(serializer, serializers.PagesField):
        return "pages"
    if isinstance(serializer, serializers.TagsField):
        return "tags"
    if isinstance(serializer, serializers.RelatedRowsField):
        return "rows"  # another relation: its rows as the API shapes them
    if isinstance(serializer, serializers.RichTextField):
        return "rich_text"
    if isinstance(_model_field(model, source), StreamField):
        return "stream"
    return "value"


def export_fields(archive_type: ArchiveType) -> list[ExportField]:
    """The type's API fields the export writes: not the API's aliases of
    another field, nor the text of a type published elsewhere."""
    declared = getattr(archive_type.model, "api_fields", ())
    names = {field.name for field in declared}
    fields = []
    for field in declared:
        serializer = getattr(field, "serializer", None)
        source = getattr(serializer, "source", None)
        source = field.name if source in (None, "*") else source
        if source != field.name and source in names:
            continue
        if archive_type.published_elsewhere and field.name in TEXT_FIELDS:
            continue
        if isinstance(serializer, serializers.RelatedPagesField):
            continue  # what other pages state of this one: among their citations
        kind = _kind(archive_type.model, serializer, source)
        fields.append(ExportField(field.name, source, kind, serializer))
    return fields


def _model_field(model: type[Model], name: str):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _plain(value):
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _value(page, source: str):
    value = getattr(page, source, None)
    return _plain(value() if callable(value) else value)


def _rows(page, field: ExportField) -> list:
    return getattr(page, serializers.RelatedRowsField._cache(field.name))


def _extra(row, field: ExportField) -> dict:
    return {name: _plain(getattr(row, name)) for name in field.serializer.extra}


class _Collector:
    """What the page records name: people, tags and citations."""

    def __init__(self, request: HttpRequest):
        self.request = request
        self.people: set[str] = set()
        self.tags: set[str] = set()
        self.citations: list[dict] = []

    def field_value(self, archive_type: ArchiveType, page, field: ExportField):
        if field.kind == "value":
            return _value(page, field.source)
        if field.kind == "rich_text":
            paragraphs = _PARAGRAPH_END.sub(
                "</p>\n\n", getattr(page, field.source) or ""
            )
            return html_to_text(paragraphs).strip()
        if field.kind == "stream":
            return [
                {"type": block.block_type, "text": block_text(block)}
                for block in getattr(page, field.source)
            ]
        rows = _rows(page, field)
        if field.kind == "rows":
            return [field.serializer.row(row) for row in rows]
        if field.kind == "pages":
            return [related.pk for related in rows]
        if field.kind == "tags":
            slugs = [getattr(row, "tag", row).slug for row in rows]
            self.tags.update(slugs)
            return slugs
        if field.kind == "people":
            self.people.update(row.person.slug for row in rows)
            return [{"person": row.person.slug, **_extra(row, field)} for row in rows]
        for citation in rows:
            self.citations.append(self.citation(archive_type, page, field, citation))
        return None

    def citation(self, archive_type, page, field: ExportField, citation) -> dict:
        essay_url = citation.essay.get_full_url(self.request) or ""
        anchor = f"#{citation.anchor}" if citation.anchor else ""
        return {
            "subject": {"type": archive_type.key, "id": page.pk},
            "field": field.name,
            "claim": citation.claim,
            "topic": citation.topic,
            "quote": citation.quote,
            "essay": citation.essay_id,
            "url": f"{essay_url}{anchor}",
            **_extra(citation, field),
        }


def _page_record(archive_type, page, fields, collector: _Collector) -> dict:
    record = {
        "id": page.pk,
        "type": archive_type.key,
        "title": page.title,
        "slug": page.slug,
        "url": page.get_full_url(collector.request) or "",
        "first_published_at": _plain(page.first_published_at),
        "last_published_at": _plain(page.last_published_at),
    }
    for field in fields:
        value = collector.field_value(archive_type, page, field)
        if field.kind != "citations":
            record[field.name] = value
    return record


def _public_pages(archive_type: ArchiveType, fields: list[ExportField]):
    prefetches = [
        field.serializer.prefetch(field.name, archive_type.model)
        for field in fields
        if field.kind in RELATED_KINDS
    ]
    return (
        archive_type.model.objects.filter(visible_q())
        .select_related("locale")
        .prefetch_related(*prefetches)
        .order_by("pk")
    )


def build_export(*, request: HttpRequest) -> dict:
    """The whole public archive as one JSON-ready document."""
    collector = _Collector(request)
    root = site_root_url(request)
    document = {
        "$schema": f"{root}{reverse('open_data_schema')}",
        "name": "The Wandering Earth Archive",
        "url": f"{root}/",
        "generated_at": timezone.now().isoformat(),
        "texts_included": False,
        "texts_note": TEXTS_NOTE,
        "types": {
            t.plural_key: {"label": str(t.label), "api_type": t.label_name}
            for t in archive_types
        },
    }
    for t in archive_types:
        fields = export_fields(t)
        document[t.plural_key] = [
            _page_record(t, page, fields, collector)
            for page in _public_pages(t, fields)
        ]
    people = Person.objects.filter(slug__in=collector.people).order_by("name", "pk")
    document["people"] = [_person_record(person, root) for person in people]
    tags = ArchiveTag.objects.filter(slug__in=collector.tags).order_by("name")
    document["tags"] = [
        {
            "slug": tag.slug,
            "name": tag.name,
            "description": tag.description,
            "url": f"{root}{tag.get_absolute_url()}",
        }
        for tag in tags
    ]
    document["citations"] = collector.citations
    return document


def _person_record(person: Person, root: str) -> dict:
    return {
        "slug": person.slug,
        "name": person.name,
        "kind": person.kind,
        "original_name": person.original_name,
        "aliases": person.alias_list,
        "description": person.description,
        "url": f"{root}{person.get_absolute_url()}",
    }


# The schema


_STRING = {"type": "string"}
_DATE_TIME = {"type": "string", "format": "date-time"}


def _nullable(schema: dict) -> dict:
    return {**schema, "type": [schema["type"], "null"]}


def _field_schema(field) -> dict:
    """The JSON Schema of a model field's values in the export."""
    internal = field.get_internal_type()
    if internal == "DateField":
        schema = {"type": "string", "format": "date"}
    elif internal == "DateTimeField":
        schema = dict(_DATE_TIME)
    elif internal == "BooleanField":
        schema = {"type": "boolean"}
    elif internal.endswith("IntegerField") or internal.endswith("AutoField"):
        schema = {"type": "integer"}
    else:
        schema = dict(_STRING)  # text, and decimals written exactly
    if field.choices and internal not in ("DateField", "DateTimeField"):
        schema["enum"] = [value for value, _label in field.flatchoices]
        if field.blank and "" not in schema["enum"] and schema["type"] == "string":
            schema["enum"].append("")  # a choice left empty
    if field.null:
        schema = _nullable(schema)
        if "enum" in schema:
            schema["enum"] = [*schema["enum"], None]
    return schema


def _annotation_schema(model: type[Model], source: str) -> dict:
    """The JSON Schema of a property's or method's values, from its type hints."""
    if source.startswith("get_") and source.endswith("_display"):
        return dict(_STRING)  # Django's label of a choice
    attribute = getattr(model, source, None)
    function = getattr(attribute, "fget", attribute)
    try:
        returns = typing.get_type_hints(function).get("return")
    except (TypeError, NameError):
        return {}
    if returns is str:
        return dict(_STRING)
    if typing.get_origin(returns) is list and typing.get_args(returns) == (str,):
        return {"type": "array", "items": dict(_STRING)}
    return {}


def _row_schema(model: type[Model], field: ExportField, first: dict) -> dict:
    related = model._meta.get_field(field.name).related_model
    extra = {
        name: _field_schema(related._meta.get_field(name))
        for name in field.serializer.extra
    }
    return {
        "type": "object",
        "required": [*first, *extra],
        "properties": {**first, **extra},
        "additionalProperties": False,
    }


def _export_field_schema(archive_type: ArchiveType, field: ExportField) -> dict:
    model = archive_type.model
    if field.kind == "value":
        model_field = _model_field(model, field.source)
        if model_field is not None:
            return _field_schema(model_field)
        return _annotation_schema(model, field.source)
    if field.kind == "rich_text":
        return dict(_STRING)
    if field.kind == "stream":
        return {"type": "array", "items": {"$ref": "#/$defs/text_block"}}
    if field.kind == "pages":
        return {"type": "array", "items": {"type": "integer"}}
    if field.kind == "tags":
        return {"type": "array", "items": {"$ref": "#/$defs/slug"}}
    if field.kind == "rows":
        return {"type": "array", "items": {"type": "object"}}
    person = {"person": {"$ref": "#/$defs/slug"}}
    return {"type": "array", "items": _row_schema(model, field, person)}


def _page_schema(archive_type: ArchiveType) -> dict:
    fields = [f for f in export_fields(archive_type) if f.kind != "citations"]
    properties = {
        "id": {"type": "integer"},
        "type": {"const": archive_type.key},
        "title": dict(_STRING),
        "slug": dict(_STRING),
        "url": {"type": "string", "format": "uri"},
        "first_published_at": _nullable(_DATE_TIME),
        "last_published_at": _nullable(_DATE_TIME),
        **{f.name: _export_field_schema(archive_type, f) for f in fields},
    }
    return {
        "title": str(archive_type.singular),
        "description": f"A public {archive_type.model._meta.verbose_name} page.",
        "type": "object",
        "required": list(properties),
        "properties": properties,
        "additionalProperties": False,
    }


def _citation_schema() -> dict:
    """A citation: the common fields, and the extra ones some relations have
    (a box-office figure's region, amount, currency and qualifier)."""
    extras = {}
    for t in archive_types:
        for field in export_fields(t):
            if field.kind == "citations":
                related = t.model._meta.get_field(field.name).related_model
                for name in field.serializer.extra:
                    extras[name] = _field_schema(related._meta.get_field(name))
    common = {
        "subject": {
            "type": "object",
            "required": ["type", "id"],
            "properties": {
                "type": {"enum": [t.key for t in archive_types]},
                "id": {"type": "integer"},
            },
            "additionalProperties": False,
        },
        "field": {**_STRING, "description": "The subject's field that lists it."},
        "claim": dict(_STRING),
        "topic": dict(_STRING),
        "quote": dict(_STRING),
        "essay": {"type": "integer", "description": "The id of the quoted essay."},
        "url": {"type": "string", "format": "uri"},
    }
    return {
        "type": "object",
        "required": list(common),
        "properties": {**common, **extras},
        "additionalProperties": False,
    }


def build_schema(*, request: HttpRequest) -> dict:
    """The JSON Schema (2020-12) of ``build_export``'s document."""
    pages = {t.key: _page_schema(t) for t in archive_types}
    properties = {
        "$schema": {"type": "string", "format": "uri"},
        "name": dict(_STRING),
        "url": {"type": "string", "format": "uri"},
        "generated_at": dict(_DATE_TIME),
        "texts_included": {"const": False},
        "texts_note": dict(_STRING),
        "types": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "required": ["label", "api_type"],
                "properties": {"label": dict(_STRING), "api_type": dict(_STRING)},
            },
        },
        **{
            t.plural_key: {"type": "array", "items": {"$ref": f"#/$defs/{t.key}"}}
            for t in archive_types
        },
        "people": {"type": "array", "items": {"$ref": "#/$defs/person"}},
        "tags": {"type": "array", "items": {"$ref": "#/$defs/tag"}},
        "citations": {"type": "array", "items": {"$ref": "#/$defs/citation"}},
    }
    person_fields = {
        name: _field_schema(Person._meta.get_field(name))
        for name in ("slug", "name", "kind", "original_name", "description")
    }
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": f"{site_root_url(request)}{reverse('open_data_schema')}",
        "title": "The Wandering Earth Archive: open data",
        "description": (
            "Every public film, essay, policy event, person, tag and citation of "
            "the archive. " + TEXTS_NOTE
        ),
        "type": "object",
        "required": list(properties),
        "properties": properties,
        "additionalProperties": False,
        "$defs": {
            **pages,
            "person": {
                "type": "object",
                "required": [*person_fields, "aliases", "url"],
                "properties": {
                    **person_fields,
                    "aliases": {"type": "array", "items": dict(_STRING)},
                    "url": {"type": "string", "format": "uri"},
                },
                "additionalProperties": False,
            },
            "tag": {
                "type": "object",
                "required": ["slug", "name", "description", "url"],
                "properties": {
                    "slug": {"$ref": "#/$defs/slug"},
                    "name": dict(_STRING),
                    "description": dict(_STRING),
                    "url": {"type": "string", "format": "uri"},
                },
                "additionalProperties": False,
            },
            "citation": _citation_schema(),
            "text_block": {
                "type": "object",
                "required": ["type", "text"],
                "properties": {"type": dict(_STRING), "text": dict(_STRING)},
                "additionalProperties": False,
            },
            "slug": {"type": "string", "minLength": 1},
        },
    }


# The views


def _json(data: dict, content_type: str) -> HttpResponse:
    return HttpResponse(EscapingJSONRenderer().render(data), content_type=content_type)


@require_safe
def archive_json(request):
    return _json(build_export(request=request), "application/json")


@require_safe
def archive_schema(request):
    return _json(build_schema(request=request), "application/schema+json")


@require_safe
def data_page(request):
    """/data/: what the API and the export offer, and how to use them."""
    root = site_root_url(request)
    canonical = f"{root}{reverse('open_data')}"
    export_url = f"{root}{reverse('open_data_export')}"
    schema_url = f"{root}{reverse('open_data_schema')}"
    api = api_index(request)
    endpoints = [
        {**endpoint, "path": urlsplit(endpoint["url"]).path}
        for endpoint in api["endpoints"]
    ]
    context = {
        "api": api,
        "endpoints": endpoints,
        "types": list(archive_types),
        "export_url": export_url,
        "schema_url": schema_url,
        "texts_note": TEXTS_NOTE,
        "seo_title": "Data and API",
        "meta_description": (
            "The archive's open data (every public film, essay, event, person, "
            "tag and citation as JSON, with its JSON Schema), its read-only API "
            "and its feeds."
        ),
        "canonical_url": canonical,
        "breadcrumbs": [{"title": "Home", "url": "/"}],
        "json_ld": {
            "@context": "https://schema.org",
            "@type": "Dataset",
            "name": "The Wandering Earth Archive: open data",
            "description": (
                "Every public film, essay, policy event, person, tag and citation "
                "of the archive, with the passages its facts quote."
            ),
            "url": canonical,
            "isAccessibleForFree": True,
            "distribution": [
                {
                    "@type": "DataDownload",
                    "encodingFormat": "application/json",
                    "contentUrl": export_url,
                },
            ],
        },
    }
    return render(request, "wanderingsite/data_page.html", context)
