"""The one place tests build archive data (the real archive is loaded from
fixtures/ by tests/archive_fixtures.py).

Idempotent builders of one thing each (``make_*``), then the archives tests
stand on, built from them: ``small_archive`` (a film, an event and an essay),
``editorial_archive`` (that, tagged, with a draft) and ``sample_archive``
(everything the public surfaces show, and what they must hide), and
``rebuild_migrated_site`` for tests whose tables were flushed. Each page is
published through a revision, as editors and the loader do; ``live=False``
gives a draft that was never published.
"""

import datetime
import importlib
import itertools
from types import SimpleNamespace

from django.apps import apps as global_apps
from django.conf import settings
from django.utils.text import slugify
from django.utils.translation import get_supported_language_variant
from wagtail.models import Collection, Locale, Page, PageViewRestriction

from essays.models import (
    BoxOfficeFigure,
    EssayAuthor,
    EssayIndexPage,
    EssayPage,
    EventCitation,
    FilmCitation,
)
from films.models import (
    EventActor,
    FilmCredit,
    FilmIndexPage,
    FilmPage,
    PolicyEventPage,
    TimelinePage,
)
from wanderingsite.models import ArchiveTag, HomePage, Person

# The word every page of the sample archive the public must not see holds.
HIDDEN = "Hiddenword"
HIDDEN_STATES = ("draft", "withdrawn", "private")

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


def make_person(name: str | None = None, *, live=True, **fields) -> Person:
    """A person, published through a revision as the admin and the loader do;
    ``live=False`` gives a draft that was never published."""
    name = name or _unique("Person")
    person, created = Person.objects.get_or_create(
        slug=slugify(name), defaults={"name": name, **fields}
    )
    if created:
        revision = person.save_revision()
        if live:
            revision.publish()
            person.refresh_from_db()
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


def make_private(page) -> None:
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )


def small_archive(home, *, tags=()):
    """One live film, essay and event under ``home``, each with ``tags``."""
    idx = archive_indexes(home)
    film = make_film(idx["films"], tags=tags, title="The Wandering Earth")
    event = make_event(idx["timeline"], tags=tags, films=[film], title="Quota eased")
    essay = make_essay(
        idx["essays"],
        tags=tags,
        films=[film],
        events=[event],
        title="Planet in peril",
        paragraphs=(
            "Some 7,000 people worked on the film.",
            "It took over $600 million at home.",
        ),
    )
    return {"indexes": idx, "film": film, "event": event, "essay": essay}


def editorial_archive(home) -> dict:
    """``small_archive``'s pages to edit, tagged "Soft power" (``tag``) and
    "Cultural confidence", and a ``draft`` film."""
    tags = [make_tag("Soft power"), make_tag("Cultural confidence")]
    archive = small_archive(home, tags=tags)
    draft = make_film(archive["indexes"]["films"], live=False)
    return {**archive, "tag": tags[0], "draft": draft}


class HiddenPages(SimpleNamespace):
    """The pages the public must never see, by name (``draft_film``) or in turn."""

    def __iter__(self):
        return iter(vars(self).values())


def sample_archive(home) -> SimpleNamespace:
    """What the public may see, linked both ways, plus what it must never see.

    A draft, a withdrawn (unpublished) and a private film, event and essay,
    each tagged, credited, cited and related like the visible pages so that a
    leak would show, and a live event whose newer draft is not published; a
    person never published, credited, writing and acting on visible pages
    (``people.draft``), and a published director's rename waiting in a draft.
    Every hidden title, summary, paragraph and name holds the word ``HIDDEN``,
    which no visible page uses.
    """
    idx = archive_indexes(home)
    sf = make_tag("Science fiction", description="Stories of imagined futures.")
    soft = make_tag("Soft power", description="Culture used to win influence.")
    money = make_tag("Box office")
    policy = make_tag("Film policy")
    hidden_only = make_tag(f"{HIDDEN} tag")
    gwo = make_person("Frant Gwo", original_name="郭帆")
    wu = make_person("Wu Jing", original_name="吴京")
    kokas = make_person("Aynne Kokas")
    wang = make_person("Wang Xiaohui", original_name="王晓晖")

    film = make_film(
        idx["films"],
        title="The Wandering Earth",
        slug="the-wandering-earth",
        original_title="流浪地球",
        other_titles="Liulang Diqiu",
        based_on="A novella by Liu Cixin",
        summary="China's first big-budget science fiction blockbuster.",
        synopsis="<p>The Earth is moved out of the solar system.</p>",
        date=datetime.date(2019, 2, 5),
        date_precision="day",
        tags=[sf, soft, money],
    )
    sequel = make_film(
        idx["films"],
        title="The Wandering Earth II",
        slug="the-wandering-earth-ii",
        original_title="流浪地球2",
        based_on="A novella by Liu Cixin",
        summary="The prequel, released for the 2023 Spring Festival.",
        date=datetime.date(2023, 1, 1),
        date_precision="month",
        tags=[sf],
    )
    undated = make_film(
        idx["films"], title="Interstellar", slug="interstellar", date=None, tags=[sf]
    )
    merger = make_event(
        idx["timeline"],
        title="Media regulators merged",
        slug="regulators-merged",
        date=datetime.date(2013, 1, 1),
        date_precision="year",
        kind="regulation",
        tags=[policy],
    )
    cabinet = make_event(
        idx["timeline"],
        title="Regulation under cabinet control",
        slug="cabinet-control",
        date=datetime.date(2018, 3, 1),
        date_precision="month",
        kind="regulation",
        tags=[policy],
    )
    plan = make_event(
        idx["timeline"],
        title="A strong film power plan",
        slug="strong-film-power",
        date=datetime.date(2019, 3, 1),
        date_precision="month",
        date_note="'Earlier this month', in an essay of 13 March 2019.",
        kind="plan",
        tags=[policy, soft],
        films=[film],
    )
    kokas_essay = make_essay(
        idx["essays"],
        title="How China is using science fiction",
        slug="how-china",
        summary="Aynne Kokas on film, soft power & the state.",
        publication="The Washington Post",
        publication_note="Outlook section.",
        published_date=datetime.date(2019, 3, 13),
        source_url="https://example.com/how-china",
        paragraphs=(
            "The Wandering Earth, directed by Frant Gwo.",
            "Having earned over $600 million in domestic sales, it is a hit.",
            "Wang laid out a plan for a strong film power.",
        ),
        tags=[sf, soft, policy],
        films=[film],
        events=[merger, plan],
    )
    world_essay = make_essay(
        idx["essays"],
        title="Planet in peril",
        slug="planet-in-peril",
        publication="WORLD magazine",
        published_date=datetime.date(2019, 5, 1),
        published_date_precision="month",
        paragraphs=(
            "It grossed $693 million (plus an additional $7 million overseas).",
            # Escaped markup in the source text, as the search snippets meet it.
            "The Wandering Earth's director Frant Gwo spoke of "
            "&lt;b&gt;hope&lt;/b&gt; &amp; the future.",
        ),
        tags=[sf, money],
        films=[film],
    )
    EssayAuthor.objects.create(
        page=kokas_essay, person=kokas, affiliation="University of Virginia"
    )
    FilmCredit.objects.create(page=film, person=gwo, role="director")
    FilmCredit.objects.create(
        page=film, person=wu, role="cast", character="Liu Peiqiang"
    )
    EventActor.objects.create(page=plan, person=wang, role="laid out the plan")
    BoxOfficeFigure.objects.create(
        page=film,
        region="China (domestic)",
        amount=600_000_000,
        currency="USD",
        qualifier="over",
        claim="Domestic gross",
        essay=kokas_essay,
        quote="over $600 million in domestic sales",
        anchor="p2",
    )
    BoxOfficeFigure.objects.create(
        page=film,
        region="China (domestic)",
        amount=693_000_000,
        currency="USD",
        claim="Domestic gross",
        essay=world_essay,
        quote="It grossed $693 million",
        anchor="p1",
    )
    FilmCitation.objects.create(
        page=film,
        claim="Directed by Frant Gwo",
        topic="production",
        essay=kokas_essay,
        quote="directed by Frant Gwo",
        anchor="p1",
    )
    EventCitation.objects.create(
        page=plan,
        claim="A plan for a strong film power",
        topic="context",
        essay=kokas_essay,
        quote="a plan for a strong film power",
        anchor="p3",
    )

    hidden = _hidden_pages(idx, film, plan, wu, [sf, soft, hidden_only])
    draft_person = _hidden_people(film, kokas_essay, plan, gwo)
    # A live page whose newer words wait, unpublished, in a draft.
    cabinet.title = f"Unpublished {HIDDEN} title"
    cabinet.summary = f"An unpublished {HIDDEN} summary."
    cabinet.save_revision()
    cabinet.refresh_from_db()

    home.featured_film = film
    home.summary = "A tagged archive of The Wandering Earth films and essays."
    home.intro = "<p>What three essays say about <i>The Wandering Earth</i>.</p>"
    home.save_revision().publish()
    return SimpleNamespace(
        home=home,
        **idx,
        tags=SimpleNamespace(
            sf=sf, soft=soft, money=money, policy=policy, hidden=hidden_only
        ),
        hidden_only_tag=hidden_only,
        people=SimpleNamespace(
            gwo=gwo, wu=wu, kokas=kokas, wang=wang, draft=draft_person
        ),
        film=film,
        sequel=sequel,
        undated=undated,
        merger=merger,
        cabinet=cabinet,
        plan=plan,
        kokas_essay=kokas_essay,
        world_essay=world_essay,
        visible=[
            film,
            sequel,
            undated,
            merger,
            cabinet,
            plan,
            kokas_essay,
            world_essay,
        ],
        hidden=hidden,
    )


def _hidden_people(film, essay, event, published) -> Person:
    """A person never published, credited on ``film``, writing ``essay`` and
    acting in ``event`` beside the visible people; and ``published``'s rename,
    waiting in a draft. Both hold ``HIDDEN``."""
    draft = make_person(f"{HIDDEN} draft person", live=False)
    FilmCredit.objects.create(
        page=film, person=draft, role="cast", character=f"{HIDDEN} character"
    )
    EssayAuthor.objects.create(
        page=essay, person=draft, affiliation=f"{HIDDEN} affiliation"
    )
    EventActor.objects.create(page=event, person=draft, role=f"{HIDDEN} role")
    published.name = f"{HIDDEN} renamed"
    published.save_revision()
    published.refresh_from_db()
    return draft


def _hidden_pages(idx, film, plan, actor, tags) -> HiddenPages:
    """A draft, a withdrawn and a private page of each type, tied to visible ones."""
    pages = HiddenPages()
    for state in HIDDEN_STATES:
        live = state != "draft"
        title = f"{HIDDEN} {state}"
        hidden_film = make_film(
            idx["films"],
            title=f"{title} film",
            original_title="流浪秘密",
            date=datetime.date(2019, 6, 1),
            tags=tags,
            live=live,
        )
        FilmCredit.objects.create(page=hidden_film, person=actor, role="cast")
        hidden_event = make_event(
            idx["timeline"],
            title=f"{title} event",
            date=datetime.date(2019, 7, 1),
            date_precision="day",
            tags=tags,
            films=[film],
            live=live,
        )
        hidden_essay = make_essay(
            idx["essays"],
            title=f"{title} essay",
            published_date=datetime.date(2024, 1, 1),
            paragraphs=(f"{HIDDEN} words about the film.",),
            tags=tags,
            films=[film],
            events=[plan],
            live=live,
        )
        # A fact on a visible page whose only source is the hidden essay.
        FilmCitation.objects.create(
            page=film,
            claim=f"{title} claim",
            essay=hidden_essay,
            quote=f"{HIDDEN} words",
            anchor="p1",
        )
        PolicyEventPage.films.through.objects.create(
            policyeventpage=plan, filmpage=hidden_film
        )
        for page in (hidden_film, hidden_event, hidden_essay):
            if state == "withdrawn":
                page.unpublish()
            elif state == "private":
                make_private(page)
        setattr(pages, f"{state}_film", hidden_film)
        setattr(pages, f"{state}_event", hidden_event)
        setattr(pages, f"{state}_essay", hidden_essay)
    return pages


def _migration(name: str):
    return importlib.import_module(f"wanderingsite.migrations.{name}")


def rebuild_migrated_site() -> None:
    """Recreate what migrations made and a ``flush`` removed: the root and home
    pages, the root collection, the default site, the editorial groups and
    their workflow, for pages and for people."""
    language = get_supported_language_variant(settings.LANGUAGE_CODE)
    locale, _ = Locale.objects.get_or_create(language_code=language)
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    _migration("0002_create_homepage").create_homepage(global_apps, None)
    Page.objects.filter(depth=1).update(numchild=1)
    for name in ("0003_editorial_groups", "0012_person_review"):
        for operation in _migration(name).Migration.operations:
            code = getattr(operation, "code", None)
            if code is not None:
                code(global_apps, None)
