"""The registry of archive types: each page type the public browses across
(films, essays, policy events), declared once.

Search and its facets, tag pages and counts, feeds, the API, the home page,
the loader and the admin read this registry instead of keeping maps of their
own. An app registers its types at the end of its ``models.py``, as Wagtail's
``register_snippet`` is used, so the shared ground never imports the apps::

    archive_types.register(
        ArchiveType("film", FilmPage, FilmPageTag, _("Films"), _("Film"), position=10)
    )
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model
from wagtail.models import Page


@dataclass(frozen=True)
class ArchiveType:
    key: str
    """Names the type in URLs (``?type=film``) and counts (``film_count``)."""
    model: type[Page]
    tag_through: type[Model]
    """The through model that tags pages of the type with ``ArchiveTag``."""
    label: str
    """The plural heading: "Films"."""
    singular: str
    """One of them: "Film"."""
    position: int = 100
    """Where the type comes in listings of types: facets, counts, tag pages."""
    people: tuple[str, ...] = ()
    """``Person``'s reverse accessors to the rows linking people to the type."""
    counted: tuple[str, str] = ("", "")
    """The type in a count, one and many: ("event", "events") for "1 event"."""
    ordering: tuple = ()
    """How a list of the type is ordered where types stand side by side (tag pages)."""
    date_field: str = "date"
    """The page's own date as its source gives it (a release, an event, an
    essay's publication), with its precision in ``<date_field>_precision``."""
    date_label: str = ""
    """What that date is, before it in feeds: "Released: 5 February 2019"."""
    published_elsewhere: bool = False
    """True where the page holds a text first published elsewhere (an essay):
    its date is the entry's publication date in feeds (Atom ``published``),
    and the open-data export gives its metadata but not its text."""
    facts: tuple[str, ...] = ()
    """The page's relations to its cited facts: rows with a ``claim`` and the
    ``quote`` of an ``essay`` that backs it, searched with the page."""

    @property
    def plural_key(self) -> str:
        """ "films": the type in the admin and the loader's summaries."""
        return f"{self.key}s"

    @property
    def tag_uses(self) -> str:
        """``ArchiveTag``'s reverse accessor to the type's tag rows: "film_items"."""
        return self.tag_through._meta.get_field("tag").remote_field.related_name

    @property
    def label_name(self) -> str:
        """``app_label.ModelName``: the type in the API's ``?type=``."""
        return self.model._meta.label

    @property
    def count_name(self) -> str:
        """The annotation that counts a tag's pages of the type: "film_count"."""
        return f"{self.key}_count"

    @property
    def verbose_name_plural(self) -> str:
        """The model's own plural name: "policy events"."""
        return self.model._meta.verbose_name_plural

    @property
    def card_template(self) -> str:
        """The card that shows one page of the type in a list, given as ``page``."""
        return f"includes/{self.key}_card.html"

    def own_date(self, page) -> tuple:
        """``page``'s own date and its precision: (None, ...) when not recorded."""
        return (
            getattr(page, self.date_field, None),
            getattr(page, f"{self.date_field}_precision", "day"),
        )

    def count_text(self, count: int) -> str:
        one, many = self.counted
        return f"{count} {one if count == 1 else many}"


class ArchiveTypes:
    """The registered types, in ``position`` order."""

    def __init__(self) -> None:
        self._types: dict[str, ArchiveType] = {}

    def register(self, archive_type: ArchiveType) -> ArchiveType:
        if archive_type.key in self._types:
            raise ImproperlyConfigured(
                f"The archive type {archive_type.key!r} is registered twice."
            )
        self._types[archive_type.key] = archive_type
        return archive_type

    def __iter__(self) -> Iterator[ArchiveType]:
        return iter(sorted(self._types.values(), key=lambda t: t.position))

    def __len__(self) -> int:
        return len(self._types)

    def get(self, key: str | None) -> ArchiveType | None:
        return self._types.get(key) if key else None

    def for_model(self, model: type[Model]) -> ArchiveType | None:
        """The type of ``model`` (a page class or a specific page's class)."""
        return next((t for t in self if issubclass(model, t.model)), None)

    @property
    def models(self) -> tuple[type[Page], ...]:
        return tuple(t.model for t in self)


archive_types = ArchiveTypes()
