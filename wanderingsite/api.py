"""The read-only API at ``/api/v2/``: pages, images, documents, tags and people.

Wagtail's API v2 with four changes: pages are those anyone may see (live,
outside every private section, whoever asks); a bad parameter is a 400 with a
message, never a 500; responses are JSON whose bytes never hold ``<``, ``>``
or ``&``, so input echoed in a message cannot become markup; and ``/api/v2/``
itself answers with the endpoints the router has (``api_index``), each with
its address and what it serves, and where the documentation is.
"""

import operator
from functools import reduce

from django.core.exceptions import FieldError, ObjectDoesNotExist, ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpResponse
from django.urls import path, reverse
from django.views.decorators.http import require_safe
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from taggit.managers import TaggableManager
from wagtail.api import APIField
from wagtail.api.v2.filters import FieldsFilter, OrderingFilter, SearchFilter
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError, parse_fields_parameter
from wagtail.api.v2.views import BaseAPIViewSet, PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.search.backends import get_search_backend
from wagtail.search.backends.base import FilterFieldError, OrderByFieldError

from .models import (
    MENTION_KEY,
    ArchiveTag,
    Person,
    person_counts,
    public_use_counts,
    with_use_counts,
)
from .page_types import archive_types
from .search import clean_query, query_terms
from .selectors import person_ties
from .serializers import RelatedRowsField
from .visibility import visible_q

MAX_OFFSET = 2**31 - 1
MAX_TAGS = 10


class EscapingJSONRenderer(JSONRenderer):
    """JSON with ``<``, ``>`` and ``&`` written as ``\\u003c`` etc.

    Outside strings JSON never uses these characters, so replacing the bytes
    keeps the document valid and its decoded values unchanged.
    """

    def render(self, data, accepted_media_type=None, renderer_context=None):
        body = super().render(data, accepted_media_type, renderer_context)
        return (
            body.replace(b"<", b"\\u003c")
            .replace(b">", b"\\u003e")
            .replace(b"&", b"\\u0026")
        )


class CleanSearchFilter(SearchFilter):
    """``?search=`` with the words only, as the site's search reads them."""

    def filter_queryset(self, request, queryset, view):
        if "search" not in request.GET:
            return queryset
        if getattr(queryset, "_filtered_by_tag", False):
            raise BadRequestError(
                "filtering by tag with a search query is not supported"
            )
        operator = request.GET.get("search_operator") or None
        if operator not in (None, "and", "or"):
            raise BadRequestError("search_operator must be 'and' or 'or'")
        terms = query_terms(clean_query(request.GET["search"]))
        if not terms:
            return queryset.none()
        try:
            return get_search_backend().search(
                " ".join(terms),
                queryset,
                operator=operator,
                order_by_relevance="order" not in request.GET,
            )
        except FilterFieldError as e:
            raise BadRequestError(
                f"cannot filter by '{e.field_name}' while searching"
            ) from e
        except OrderByFieldError as e:
            raise BadRequestError(
                f"cannot order by '{e.field_name}' while searching"
            ) from e


class HardenedAPIMixin:
    """Odd parameters are answered with a 400 and a message, never a 500."""

    renderer_classes = [EscapingJSONRenderer]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        for key, values in request.GET.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                raise BadRequestError(
                    "query parameters may not contain null characters"
                )
        # Wagtail checks only that the offset is a number; one past what the
        # database's integers hold fails in the query itself.
        try:
            offset = int(request.GET.get("offset", 0))
        except ValueError:
            offset = 0  # Wagtail's pagination answers this one
        if offset > MAX_OFFSET:
            raise BadRequestError(f"offset cannot be higher than {MAX_OFFSET}")

    def filter_queryset(self, queryset):
        # Field filters hand values straight to the ORM (?date=x, ?essays=x).
        try:
            return super().filter_queryset(queryset)
        except ValidationError as e:
            raise BadRequestError(f"invalid value: {' '.join(e.messages)}") from e
        except (ValueError, TypeError, FieldError) as e:
            raise BadRequestError("invalid value in the query parameters") from e

    def find_object(self, queryset, request):
        try:
            return super().find_object(queryset, request)
        except (ValueError, ValidationError) as e:
            raise BadRequestError("id must be a number") from e

    def handle_exception(self, exc):
        if isinstance(exc, ObjectDoesNotExist):
            exc = Http404("not found")  # e.g. ?site= naming no site
        return super().handle_exception(exc)


class TagFieldsFilter(FieldsFilter):
    """Wagtail's field filters, with ``?tags=`` naming up to ``MAX_TAGS`` tags
    (comma-separated), each by its slug or by its name in any case, as the tags
    endpoint lists them; Wagtail's own takes the exact name only, and joins the
    tag tables once more for every tag."""

    def filter_queryset(self, request, queryset, view):
        available = set(view.get_available_fields(queryset.model, db_fields_only=True))
        tag_fields = [
            name
            for name in request.GET
            if name in available
            and isinstance(_field(queryset.model, name), TaggableManager)
        ]
        for name in tag_fields:
            value = request.GET[name]
            if "\x00" in value:
                raise BadRequestError(f"null characters are not allowed in {name}")
            tags = [t for t in (t.strip() for t in value.split(",")) if t]
            if len(tags) > MAX_TAGS:
                raise BadRequestError(f"{name} takes at most {MAX_TAGS} tags")
            if tags:
                queryset = queryset.filter(
                    pk__in=_tagged_with_all(queryset.model, name, tags)
                )
        others = _QueryWithout(request, tag_fields)
        queryset = super().filter_queryset(others, queryset, view)
        if tag_fields:
            # Read by the search filter, which cannot search a tag filter.
            queryset._filtered_by_tag = True
        return queryset


def _tagged_with_all(model, name: str, tags: list[str]) -> QuerySet:
    """The pks of ``model``'s rows tagged with every one of ``tags``.

    One grouped subquery whatever the number of tags: the rows' tags are
    joined once, and each tag asked for must be counted on a row.
    """
    # "Box office" and "box office" are one tag; both would pass alike.
    unique = list({tag.lower(): tag for tag in reversed(tags)}.values())
    matches = [
        Q(**{f"{name}__slug": tag.lower()}) | Q(**{f"{name}__name__iexact": tag})
        for tag in unique
    ]
    counts = {f"_tag_{n}": Count(name, filter=q) for n, q in enumerate(matches)}
    return (
        model._default_manager.filter(reduce(operator.or_, matches))
        .order_by()
        .values("pk")
        .annotate(**counts)
        .filter(**{f"{alias}__gt": 0 for alias in counts})
        .values("pk")
    )


class _QueryWithout:
    """A request's query string without some parameters: all FieldsFilter reads."""

    def __init__(self, request, names):
        self.GET = request.GET.copy()
        for name in names:
            self.GET.pop(name)


def _field(model, name):
    try:
        return model._meta.get_field(name)
    except LookupError:
        return None


def _swap_search(filter_backends):
    swaps = {SearchFilter: CleanSearchFilter, FieldsFilter: TagFieldsFilter}
    return [swaps.get(f, f) for f in filter_backends]


class ArchivePagesAPIViewSet(HardenedAPIMixin, PagesAPIViewSet):
    api_description = (
        "Films, essays and policy events the public may see, with their tags, "
        "dates, people, relations and citations; ?type=, ?tags=, ?search=, "
        "?fields=, ?order=, ?limit= and ?offset= narrow and shape the list."
    )
    filter_backends = _swap_search(PagesAPIViewSet.filter_backends)
    # Relations other pages state to a page: a query of their own, so in the
    # page's own record only, never multiplied across a listing.
    detail_only_fields = [*PagesAPIViewSet.detail_only_fields, "related_by"]

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "listing_view":
            queryset = queryset.select_related("locale").prefetch_related(
                *self._prefetches(queryset.model)
            )
        return queryset

    def _prefetches(self, model) -> list:
        """Prefetches for the relation fields ``?fields=`` asks a listing for."""
        try:
            config = parse_fields_parameter(self.request.GET.get("fields", ""))
        except ValueError:
            return []  # the serializer reports the error
        wanted = {name for name, negated, _ in config if not negated}
        dropped = {name for name, negated, _ in config if negated}
        return [
            field.serializer.prefetch(field.name, model)
            for field in getattr(model, "api_fields", ())
            if isinstance(getattr(field, "serializer", None), RelatedRowsField)
            and ("*" in wanted or field.name in wanted)
            and field.name not in dropped
            and field.name not in self.detail_only_fields
        ]

    def get_base_queryset(self):
        # Private means private to everyone here, signed in or not, as on the
        # site's listings, search and feeds. The search backend behind ?search=
        # accepts only indexed filters, so there public(), which reads the view
        # restrictions in a query of its own; elsewhere visible_q(), a subquery.
        # Built once per request.
        if not hasattr(self, "_base_queryset"):
            try:
                pages = super().get_base_queryset()
                self._base_queryset = (
                    pages.public()
                    if "search" in self.request.GET
                    else pages.filter(visible_q())
                )
            except (ValueError, ValidationError) as e:
                # ?site=host:port with a port that is not a number
                raise BadRequestError("site must be a host name or host:port") from e
        return self._base_queryset


class ArchiveImagesAPIViewSet(HardenedAPIMixin, ImagesAPIViewSet):
    api_description = "Images in the archive's library, with their titles and sizes."
    filter_backends = _swap_search(ImagesAPIViewSet.filter_backends)


class ArchiveDocumentsAPIViewSet(HardenedAPIMixin, DocumentsAPIViewSet):
    api_description = (
        "Documents in the archive's library, with their titles and download addresses."
    )
    filter_backends = _swap_search(DocumentsAPIViewSet.filter_backends)


class TagCountsField(serializers.Field):
    """Visible pages carrying the tag, per type: ``{"film": 2, ...}``."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        kwargs["source"] = "*"
        super().__init__(**kwargs)

    def to_representation(self, tag):
        counts = {t.key: getattr(tag, t.count_name) for t in archive_types}
        return {**counts, "total": sum(counts.values())}


class TagHtmlUrlField(serializers.Field):
    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        kwargs["source"] = "*"
        super().__init__(**kwargs)

    def to_representation(self, tag):
        request = self.context.get("request")
        url = tag.get_absolute_url()
        return request.build_absolute_uri(url) if request else url


class TagsAPIViewSet(HardenedAPIMixin, BaseAPIViewSet):
    """The shared tag vocabulary: tags on at least one visible page."""

    api_description = (
        "The shared tag vocabulary: every tag on a public page, with how many "
        "films, essays and events carry it."
    )
    model = ArchiveTag
    name = "tags"
    filter_backends = [FieldsFilter, OrderingFilter]
    body_fields = ["id", "name", "slug", "description", "counts"]
    meta_fields = ["type", "detail_url", "html_url"]
    listing_default_fields = [
        "id",
        "type",
        "detail_url",
        "html_url",
        "name",
        "slug",
        "description",
        "counts",
    ]
    nested_default_fields = ["id", "type", "detail_url", "name", "slug"]

    @classmethod
    def get_body_fields(cls, model):
        return [
            APIField("id"),
            APIField("name"),
            APIField("slug"),
            APIField("description"),
            APIField("counts", serializer=TagCountsField()),
        ]

    @classmethod
    def get_meta_fields(cls, model):
        return [
            *cls._convert_api_fields(["type", "detail_url"]),
            APIField("html_url", serializer=TagHtmlUrlField()),
        ]

    def get_queryset(self):
        # The counts of every visible tag in one grouped query; the listing's
        # page of tags (or the one asked for) then carries them.
        self._use_counts = public_use_counts()
        return ArchiveTag.objects.filter(pk__in=list(self._use_counts)).order_by("name")

    def paginate_queryset(self, queryset):
        return with_use_counts(
            list(super().paginate_queryset(queryset)), self._use_counts
        )

    def get_object(self):
        tag = super().get_object()
        return with_use_counts([tag], self._use_counts)[0]


class _WholeObjectField(serializers.Field):
    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        kwargs["source"] = "*"
        super().__init__(**kwargs)

    def page_url(self, page, anchor: str = "") -> str:
        url = page.get_full_url(self.context.get("request")) or ""
        return f"{url}#{anchor}" if anchor else url


class PersonCountsField(_WholeObjectField):
    """Visible pages of each type that tie the person to them, and how many
    name them: ``{"film": 1, "essay": 0, "event": 0, "mention": 2}``."""

    def to_representation(self, person):
        counts = person.public_counts
        return {
            **{t.key: counts.get(t.key, 0) for t in archive_types},
            MENTION_KEY: counts.get(MENTION_KEY, 0),
        }


class PersonCreditsField(_WholeObjectField):
    """Per archive type, the visible pages the person is tied to (the first
    ``selectors.PERSON_SECTION_LENGTH``) and their roles on each."""

    def to_representation(self, person):
        return [
            {
                "type": section.type.key,
                "count": section.count,
                "pages": [
                    {
                        "id": tie.page.pk,
                        "title": tie.page.title,
                        "url": self.page_url(tie.page),
                        "roles": [vars(role) for role in tie.roles],
                    }
                    for tie in section.ties
                ],
            }
            for section in person.public_detail.sections
        ]


class PersonMentionsField(_WholeObjectField):
    """The visible pages that name the person, with the words that do and a
    link to their paragraph."""

    def to_representation(self, person):
        return [
            {
                "page": {
                    "id": mention.page.pk,
                    "title": mention.page.title,
                    "type": mention.type.key if mention.type else None,
                },
                "passage": mention.passage,
                "url": self.page_url(mention.page, mention.anchor),
            }
            for mention in person.public_detail.mentions
        ]


class AliasesField(_WholeObjectField):
    def to_representation(self, person):
        return person.alias_list


class PeopleSearchFilter:
    """``?search=``: people with every word in their name, original name or
    aliases (the site's /search/ ranks them among pages)."""

    def filter_queryset(self, request, queryset, view):
        if "search" not in request.GET:
            return queryset
        terms = query_terms(clean_query(request.GET["search"]))
        if not terms:
            return queryset.none()
        for term in terms:
            queryset = queryset.filter(
                Q(name__icontains=term)
                | Q(original_name__icontains=term)
                | Q(aliases__icontains=term)
            )
        return queryset


class PeopleAPIViewSet(HardenedAPIMixin, BaseAPIViewSet):
    """The people and institutions the public may meet (``Person.objects.public()``),
    with their counts; one person also with their credits and mentions."""

    model = Person
    name = "people"
    api_description = (
        "The people and institutions the public pages credit, were written by, "
        "or name, with their credits and mentions."
    )
    filter_backends = [FieldsFilter, OrderingFilter, PeopleSearchFilter]
    body_fields = [
        "id",
        "name",
        "slug",
        "kind",
        "original_name",
        "aliases",
        "description",
        "counts",
        "credits",
        "mentions",
    ]
    meta_fields = ["type", "detail_url", "html_url"]
    listing_default_fields = [
        "id",
        "type",
        "detail_url",
        "html_url",
        "name",
        "slug",
        "kind",
        "original_name",
        "counts",
    ]
    nested_default_fields = ["id", "type", "detail_url", "name", "slug"]
    detail_only_fields = ["credits", "mentions"]

    @classmethod
    def get_body_fields(cls, model):
        return [
            *cls._convert_api_fields(
                ["id", "name", "slug", "kind", "original_name", "description"]
            ),
            APIField("aliases", serializer=AliasesField()),
            APIField("counts", serializer=PersonCountsField()),
            APIField("credits", serializer=PersonCreditsField()),
            APIField("mentions", serializer=PersonMentionsField()),
        ]

    @classmethod
    def get_meta_fields(cls, model):
        return [
            *cls._convert_api_fields(["type", "detail_url"]),
            APIField("html_url", serializer=TagHtmlUrlField()),
        ]

    def get_queryset(self):
        return Person.objects.public().order_by("name", "pk")

    def paginate_queryset(self, queryset):
        people = list(super().paginate_queryset(queryset))
        counts = person_counts([p.pk for p in people]) if people else {}
        for person in people:
            person.public_counts = counts.get(person.pk, {})
        return people

    def get_object(self):
        person = super().get_object()
        if not hasattr(person, "public_detail"):
            person.public_detail = person_ties(person=person)
            person.public_counts = person.public_detail.counts
        return person


class ArchiveAPIRouter(WagtailAPIRouter):
    """Wagtail's router, which also answers at its root with ``api_index``."""

    @property
    def endpoints(self) -> dict[str, type]:
        """The registered endpoints by name, in the order they were registered."""
        return dict(self._endpoints)

    def get_urlpatterns(self):
        return [path("", api_root, name="root"), *super().get_urlpatterns()]


def _description(name: str, viewset: type) -> str:
    """What an endpoint serves: its ``api_description``, else the first line
    of its own docstring. (Not ``description``, which DRF's ``as_view`` sets
    to None on the class.)"""
    described = getattr(viewset, "api_description", None)
    if described:
        return str(described)
    own = (viewset.__dict__.get("__doc__") or "").strip()
    return own.splitlines()[0] if own else f"The {name} endpoint."


def api_index(request) -> dict:
    """What the API offers: every endpoint the router has, with its listing's
    address, a detail address and what it serves; the documentation; the
    open-data export and the feeds."""

    def absolute(url: str) -> str:
        return request.build_absolute_uri(url)

    endpoints = []
    for name, viewset in api_router.endpoints.items():
        listing = absolute(reverse(f"{api_router.url_namespace}:{name}:listing"))
        endpoints.append(
            {
                "name": name,
                "url": listing,
                "detail_url": f"{listing}{{id}}/",
                "description": _description(name, viewset),
            }
        )
    return {
        "name": "The Wandering Earth Archive API",
        "version": "v2",
        "url": absolute(reverse(f"{api_router.url_namespace}:root")),
        "description": (
            "Read-only JSON about the archive's public films, essays, policy "
            "events, people and tags. Pages that are drafts or private are "
            "never in it."
        ),
        "documentation": absolute(reverse("open_data")),
        "endpoints": endpoints,
        "open_data": {
            "export": absolute(reverse("open_data_export")),
            "schema": absolute(reverse("open_data_schema")),
        },
        "feeds": {
            "atom": absolute(reverse("latest_feed")),
            "rss": absolute(reverse("latest_rss_feed")),
        },
    }


@require_safe
def api_root(request):
    """/api/v2/: ``api_index`` as JSON."""
    body = EscapingJSONRenderer().render(api_index(request))
    return HttpResponse(body, content_type="application/json")


api_router = ArchiveAPIRouter("wagtailapi")
api_router.register_endpoint("pages", ArchivePagesAPIViewSet)
api_router.register_endpoint("images", ArchiveImagesAPIViewSet)
api_router.register_endpoint("documents", ArchiveDocumentsAPIViewSet)
api_router.register_endpoint("tags", TagsAPIViewSet)
api_router.register_endpoint("people", PeopleAPIViewSet)
