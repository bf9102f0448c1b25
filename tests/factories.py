"""Small, idempotent builders for archive pages in tests.

Each ``make_*`` publishes through a revision, as editors and the loader do.
Pass ``live=False`` for a draft that was never published.
"""

import datetime
import itertools

from django.utils.text import slugify

from essays.models import EssayIndexPage, EssayPage
from films.models import FilmIndexPage, FilmPage, PolicyEventPage, TimelinePage
from wanderingsite.models import ArchiveTag, HomePage, Person

_counter = itertools.count(1)


def _unique(prefix: str) -> str:
    return f"{prefix} {next(_counter)}"


def _add(parent, page, live: bool):
    parent.add_child(instance=page)
    revision = page.save_revision()
    if live:
        revision.publish()
    else:
        page.live = False
        page.save(update_fields=["live"])
    page.refresh_from_db()
    return page


def _child(parent, model, **fields):
    existing = model.objects.child_of(parent).first()
    if existing:
        return existing
    return _add(parent, model(**fields), live=True)


def archive_indexes(home: HomePage) -> dict:
    """The film index, essay index and timeline under ``home``."""
    return {
        "films": _child(home, FilmIndexPage, title="Films", slug="films"),
        "essays": _child(home, EssayIndexPage, title="Essays", slug="essays"),
        "timeline": _child(home, TimelinePage, title="Timeline", slug="timeline"),
    }


def make_tag(name: str | None = None, **fields) -> ArchiveTag:
    name = name or _unique("Tag")
    tag, _ = ArchiveTag.objects.get_or_create(
        name=name, defaults={"slug": slugify(name), **fields}
    )
    return tag


def make_person(name: str | None = None, **fields) -> Person:
    name = name or _unique("Person")
    person, _ = Person.objects.get_or_create(
        slug=slugify(name), defaults={"name": name, **fields}
    )
    return person


def make_film(index: FilmIndexPage, *, tags=(), live=True, **fields) -> FilmPage:
    title = fields.pop("title", None) or _unique("Film")
    fields.setdefault("slug", slugify(title))
    fields.setdefault("date", datetime.date(2019, 2, 5))
    fields.setdefault("summary", f"A film called {title}.")
    page = FilmPage(title=title, **fields)
    page.tags.add(*tags)
    return _add(index, page, live)


def make_event(timeline: TimelinePage, *, tags=(), films=(), live=True, **fields):
    title = fields.pop("title", None) or _unique("Event")
    fields.setdefault("slug", slugify(title))
    fields.setdefault("date", datetime.date(2013, 1, 1))
    fields.setdefault("date_precision", "year")
    fields.setdefault("kind", PolicyEventPage.Kind.REGULATION)
    fields.setdefault("summary", f"What happened: {title}.")
    page = PolicyEventPage(title=title, **fields)
    page.tags.add(*tags)
    page.films.set(films)
    return _add(timeline, page, live)


def make_essay(
    index: EssayIndexPage,
    *,
    tags=(),
    films=(),
    events=(),
    live=True,
    paragraphs=("A paragraph about the film.",),
    **fields,
) -> EssayPage:
    title = fields.pop("title", None) or _unique("Essay")
    fields.setdefault("slug", slugify(title))
    fields.setdefault("publication", "A Test Review")
    fields.setdefault("published_date", datetime.date(2019, 3, 13))
    fields.setdefault("summary", f"An essay called {title}.")
    fields.setdefault(
        "body",
        [
            ("paragraph", {"text": f"<p>{text}</p>", "anchor": f"p{n}"})
            for n, text in enumerate(paragraphs, start=1)
        ],
    )
    page = EssayPage(title=title, **fields)
    page.tags.add(*tags)
    page.films.set(films)
    page.events.set(events)
    return _add(index, page, live)
