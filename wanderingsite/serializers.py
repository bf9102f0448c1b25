"""How the API shows what the page models declare in ``api_fields``.

Generic over films, essays and events (this module imports neither app).
Related pages and cited essays are shown only while the public may see them.
A listing of one page type prefetches the relations it shows (see
``RelatedRowsField.prefetch``), so its query count does not grow with its length.
"""

from django.db.models import Prefetch, Q
from rest_framework import serializers
from wagtail.api import APIField
from wagtail.rich_text import expand_db_html

from .models import public_people_q
from .visibility import visible_q

CharField = serializers.CharField
DateField = serializers.DateField


class RichTextField(serializers.Field):
    """Rich text with internal links expanded to real URLs."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return expand_db_html(value or "")


class RelatedRowsField(serializers.Field):
    """The rows of one relation of the page, shaped by ``row``.

    ``refine`` narrows and joins the relation's queryset; the same refinement
    serves one page (a query of its own) and a listing (``prefetch``).
    """

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        kwargs["source"] = "*"
        super().__init__(**kwargs)

    def refine(self, queryset):
        return queryset

    def row(self, obj) -> dict:
        raise NotImplementedError

    @staticmethod
    def _cache(name: str) -> str:
        return f"_api_{name}"

    def prefetch(self, name: str, model) -> Prefetch:
        related = model._meta.get_field(name).related_model
        return Prefetch(
            name,
            queryset=self.refine(related._default_manager.all()),
            to_attr=self._cache(name),
        )

    def to_representation(self, page):
        rows = getattr(page, self._cache(self.field_name), None)
        if rows is None:
            rows = self.refine(getattr(page, self.field_name).all())
        return [self.row(obj) for obj in rows]

    @property
    def request(self):
        return self.context.get("request")


class TagsField(RelatedRowsField):
    """``[{"name", "slug"}]``, by name."""

    def refine(self, queryset):
        return queryset.order_by("name")

    def prefetch(self, name: str, model) -> Prefetch:
        # taggit refuses custom querysets: prefetch the through rows instead.
        through = model._meta.get_field(name).through
        accessor = through._meta.get_field("content_object").remote_field.related_name
        return Prefetch(
            accessor,
            queryset=through.objects.select_related("tag").order_by("tag__name"),
            to_attr=self._cache(name),
        )

    def row(self, obj) -> dict:
        tag = getattr(obj, "tag", obj)
        return {"name": tag.name, "slug": tag.slug}


class PagesField(RelatedRowsField):
    """Related pages the public may see: ``[{"id", "title", "url"}]``."""

    def refine(self, queryset):
        return queryset.filter(visible_q()).order_by("title")

    def row(self, page) -> dict:
        return {
            "id": page.pk,
            "title": page.title,
            "url": page.get_full_url(self.request),
        }


class PeopleField(RelatedRowsField):
    """A child relation to people (credits, authors, actors): the person, and
    the row's ``extra`` fields such as the role."""

    def __init__(self, extra=(), **kwargs):
        self.extra = tuple(extra)
        super().__init__(**kwargs)

    def refine(self, queryset):
        return queryset.filter(public_people_q("person__")).select_related("person")

    def row(self, obj) -> dict:
        person = obj.person
        return {
            "person": {
                "name": person.name,
                "original_name": person.original_name,
                "slug": person.slug,
                "kind": person.kind,
            },
            **{name: getattr(obj, name) for name in self.extra},
        }


class CitationsField(RelatedRowsField):
    """Claims with their quotes, the essay and its paragraph URL.

    A claim whose essay the public cannot see is left out, as on the page:
    its quote is that essay's own words.
    """

    def __init__(self, extra=(), related: str | None = None, **kwargs):
        """``related`` names a link from the claim to another page: a claim
        linked to a page the public cannot see is left out too."""
        self.extra = tuple(extra)
        self.related = related
        super().__init__(**kwargs)

    def refine(self, queryset):
        queryset = queryset.select_related("essay").filter(visible_q("essay__"))
        if self.related:
            queryset = queryset.select_related(self.related).filter(
                Q(**{f"{self.related}__isnull": True}) | visible_q(f"{self.related}__")
            )
        return queryset

    def row(self, citation) -> dict:
        extra = {name: getattr(citation, name) for name in self.extra}
        if "amount" in extra:
            extra["amount"] = str(extra["amount"])
        if self.related:
            extra[self.related] = self.page_row(getattr(citation, self.related))
        essay = citation.essay
        essay_url = essay.get_full_url(self.request)
        anchor = f"#{citation.anchor}" if citation.anchor else ""
        return {
            **extra,
            "claim": citation.claim,
            "topic": citation.topic,
            "quote": citation.quote,
            "essay": {"id": essay.pk, "title": essay.title, "url": essay_url},
            "url": f"{essay_url}{anchor}",
        }

    def page_row(self, page) -> dict | None:
        if page is None:
            return None
        return {
            "id": page.pk,
            "title": page.title,
            "url": page.get_full_url(self.request),
        }


class RelatedPagesField(CitationsField):
    """Typed relations to other pages, each a claim with its quote: the rows of
    ``relation`` that give a ``relation`` kind, the page at their ``other`` end
    and the kind's label (from ``labels``). Only rows whose other page and
    essay the public may see."""

    def __init__(self, *, relation: str, other: str, labels, **kwargs):
        self.relation, self.other, self.labels = relation, other, dict(labels)
        super().__init__(**kwargs)

    def refine(self, queryset):
        return (
            super()
            .refine(queryset)
            .exclude(relation="")
            .filter(visible_q(f"{self.other}__"))
            .select_related(self.other)
            .order_by("sort_order", "pk")
        )

    def prefetch(self, name: str, model) -> Prefetch:
        related = model._meta.get_field(self.relation).related_model
        return Prefetch(
            self.relation,
            queryset=self.refine(related._default_manager.all()),
            to_attr=self._cache(name),
        )

    def to_representation(self, page):
        rows = getattr(page, self._cache(self.field_name), None)
        if rows is None:
            rows = self.refine(getattr(page, self.relation).all())
        return [self.row(obj) for obj in rows]

    def row(self, citation) -> dict:
        return {
            "relation": citation.relation,
            "label": str(self.labels.get(citation.relation, citation.relation)),
            "page": self.page_row(getattr(citation, self.other)),
            **super().row(citation),
        }


# The date of a film or event, as precise as its source.
DATE_FIELDS = [
    APIField("date"),
    APIField("date_precision"),
    APIField("date_display"),
    APIField("date_iso"),
    APIField("date_note"),
]
