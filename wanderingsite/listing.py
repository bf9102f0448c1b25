"""Filtered, paginated listings read from the query string.

A value not among a listing's choices is ignored, never an error: ``?page=abc``,
``?year=x`` and ``?tag=<script>`` all give a page. A filter ignored so is said
on the page (``Listing.ignored``: "No tag “nope”: showing all films"), its value
cut short and stripped of control characters, and escaped like all text.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, QuerySet

from .page_types import archive_types

LISTING_CHOICES = 40
"""How many values a listing's filter offers (tags, authors): the most used,
and the one asked for."""
IGNORED_VALUE_LENGTH = 40
"""How much of an ignored filter's value the page repeats."""


class CountedPaginator(Paginator):
    """A paginator told its count, so that it asks the database only for a page."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @property
    def count(self) -> int:
        return self._known_count


@dataclass(frozen=True)
class Choice:
    """One value a listing can be filtered by, with how many pages it holds."""

    value: str
    label: str
    count: int = 0


def tag_choices(
    *pages: QuerySet, limit: int | None = None, keep: str | None = None
) -> list[Choice]:
    """The tags on ``pages`` (a queryset of one archive type each), by name, with
    how many of those pages carry each, in one grouped query. With ``limit``,
    only the ``limit`` most used, and the tag whose slug is ``keep`` (the one
    asked for) if it is among them at all."""
    grouped = []
    for queryset in pages:
        through = archive_types.for_model(queryset.model).tag_through
        grouped.append(
            through.objects.filter(content_object_id__in=queryset.values("pk"))
            .order_by()
            .values("tag_id", "tag__slug", "tag__name")
            .annotate(n=Count("pk"))
            .values_list("tag_id", "tag__slug", "tag__name", "n")
        )
    counts: Counter[int] = Counter()
    names: dict[int, tuple[str, str]] = {}
    for tag_id, slug, name, n in grouped[0].union(*grouped[1:], all=True):
        counts[tag_id] += n
        names[tag_id] = (slug, name)
    kept = set(counts)
    if limit is not None and len(counts) > limit:
        kept = {pk for pk, _n in counts.most_common(limit)}
        wanted = (keep or "").strip().lower()
        kept |= {pk for pk, (slug, _name) in names.items() if slug == wanted}
    ordered = sorted(kept, key=lambda pk: names[pk][1].lower())
    return [Choice(names[pk][0], names[pk][1], counts[pk]) for pk in ordered]


def with_tags(pages: QuerySet) -> QuerySet:
    """``pages`` with their tag rows and tags (``tagged_items``), by name."""
    through = archive_types.for_model(pages.model).tag_through
    rows = through.objects.select_related("tag").order_by("tag__name")
    return pages.prefetch_related(Prefetch("tagged_items", queryset=rows))


def pick(raw: str | None, choices: Sequence[Choice]) -> Choice | None:
    """The choice ``raw`` names (case-insensitively), if any."""
    if not raw:
        return None
    wanted = raw.strip().lower()
    return next((c for c in choices if c.value.lower() == wanted), None)


@dataclass(frozen=True)
class IgnoredFilter:
    """A filter the query string asked for with a value that names nothing."""

    name: str
    """The parameter, which is also the word for it: "tag", "year", "type"."""
    value: str
    """What was asked for, as the page may repeat it (``shown_value``)."""


def shown_value(raw: str) -> str:
    """``raw`` as a page repeats it: without control characters, its spaces
    collapsed, at most ``IGNORED_VALUE_LENGTH`` characters."""
    printable = "".join(
        " " if unicodedata.category(c).startswith(("C", "Z")) else c for c in raw
    )
    words = " ".join(printable.split())
    if len(words) > IGNORED_VALUE_LENGTH:
        return words[: IGNORED_VALUE_LENGTH - 1] + "…"
    return words


def ignored_filters(
    params: Mapping[str, str], names, active: Mapping[str, object]
) -> list[IgnoredFilter]:
    """The filters among ``names`` that ``params`` gives a value (not blank)
    that is not ``active``: those the listing ignored."""
    ignored = []
    for name in names:
        raw = params.get(name) or ""
        if name not in active and shown_value(raw):
            ignored.append(IgnoredFilter(name, shown_value(raw)))
    return ignored


def pick_filters(
    params: Mapping[str, str], choices: dict[str, list[Choice]]
) -> dict[str, Choice]:
    """The filters in ``params`` that name one of their choices."""
    active = {}
    for name, options in choices.items():
        chosen = pick(params.get(name), options)
        if chosen is not None:
            active[name] = chosen
    return active


@dataclass
class Listing:
    """One page of a listing, the filters it was asked for and those it offers."""

    page: Page
    choices: dict[str, list[Choice]]
    active: dict[str, Choice] = field(default_factory=dict)
    # True when the query string asked for any filter, valid or not: such
    # pages are kept out of search engines.
    filter_requested: bool = False
    ignored: list[IgnoredFilter] = field(default_factory=list)
    """The filters asked for with values that name none of their choices."""

    @property
    def is_filtered(self) -> bool:
        return bool(self.active)

    @property
    def narrowed(self) -> bool:
        """True when something the query asked for narrows what is shown."""
        return self.is_filtered

    def _query(self, **extra) -> str:
        params = {name: choice.value for name, choice in self.active.items()}
        params.update({k: v for k, v in extra.items() if v is not None})
        return f"?{urlencode(params)}" if params else ""

    @property
    def previous_query(self) -> str | None:
        if not self.page.has_previous():
            return None
        number = self.page.previous_page_number()
        return self._query(page=number if number > 1 else None) or "?"

    @property
    def next_query(self) -> str | None:
        if not self.page.has_next():
            return None
        return self._query(page=self.page.next_page_number())

    @property
    def canonical_query(self) -> str:
        """The query a canonical link keeps: the page number, never filters."""
        number = self.page.number
        return f"?page={number}" if number > 1 and not self.filter_requested else ""


def build_listing(
    params: Mapping[str, str],
    *,
    choices: dict[str, list[Choice]],
    select: Callable[..., QuerySet],
    per_page: int,
) -> Listing:
    """Read the filters ``choices`` offers from ``params``; paginate what
    ``select`` returns for the active ones (passed as keyword arguments)."""
    active = pick_filters(params, choices)
    items = select(**{name: choice.value for name, choice in active.items()})
    return Listing(
        page=Paginator(items, per_page).get_page(params.get("page")),
        choices=choices,
        active=active,
        filter_requested=any(params.get(name) for name in choices),
        ignored=ignored_filters(params, choices, active),
    )
