"""A small archive for the tests of what the public sees: pages, tags, search,
feeds, the sitemap and the API.

What the public may see, linked both ways, plus what it must never see: a
draft, a withdrawn (unpublished) and a private film, event and essay, each
tagged, credited, cited and related like the visible pages so that a leak
would show, and a live event whose newer draft is not published. Every hidden
title, summary and paragraph holds the word ``HIDDEN``, which no visible page
uses.

tests/conftest.py builds it once per test module (fixture ``sample_archive``).
"""

import datetime
from types import SimpleNamespace

from wagtail.models import PageViewRestriction

from essays.models import BoxOfficeFigure, EssayAuthor, EventCitation, FilmCitation
from films.models import EventActor, FilmCredit, PolicyEventPage
from tests import factories as f

HIDDEN = "Hiddenword"
HIDDEN_STATES = ("draft", "withdrawn", "private")


class HiddenPages(SimpleNamespace):
    """The pages the public must never see, by name (``draft_film``) or in turn."""

    def __iter__(self):
        return iter(vars(self).values())


def make_private(page) -> None:
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )


def build_archive(home) -> SimpleNamespace:
    idx = f.archive_indexes(home)
    sf = f.make_tag("Science fiction", description="Stories of imagined futures.")
    soft = f.make_tag("Soft power", description="Culture used to win influence.")
    money = f.make_tag("Box office")
    policy = f.make_tag("Film policy")
    hidden_only = f.make_tag(f"{HIDDEN} tag")
    gwo = f.make_person("Frant Gwo", original_name="郭帆")
    wu = f.make_person("Wu Jing", original_name="吴京")
    kokas = f.make_person("Aynne Kokas")
    wang = f.make_person("Wang Xiaohui", original_name="王晓晖")

    film = f.make_film(
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
    sequel = f.make_film(
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
    undated = f.make_film(
        idx["films"], title="Interstellar", slug="interstellar", date=None, tags=[sf]
    )
    merger = f.make_event(
        idx["timeline"],
        title="Media regulators merged",
        slug="regulators-merged",
        date=datetime.date(2013, 1, 1),
        date_precision="year",
        kind="regulation",
        tags=[policy],
    )
    cabinet = f.make_event(
        idx["timeline"],
        title="Regulation under cabinet control",
        slug="cabinet-control",
        date=datetime.date(2018, 3, 1),
        date_precision="month",
        kind="regulation",
        tags=[policy],
    )
    plan = f.make_event(
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
    kokas_essay = f.make_essay(
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
    world_essay = f.make_essay(
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

    hidden = _build_hidden(idx, film, plan, wu, [sf, soft, hidden_only])
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
        people=SimpleNamespace(gwo=gwo, wu=wu, kokas=kokas, wang=wang),
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


def _build_hidden(idx, film, plan, actor, tags) -> HiddenPages:
    """A draft, a withdrawn and a private page of each type, tied to visible ones."""
    pages = HiddenPages()
    for state in HIDDEN_STATES:
        live = state != "draft"
        title = f"{HIDDEN} {state}"
        hidden_film = f.make_film(
            idx["films"],
            title=f"{title} film",
            original_title="流浪秘密",
            date=datetime.date(2019, 6, 1),
            tags=tags,
            live=live,
        )
        FilmCredit.objects.create(page=hidden_film, person=actor, role="cast")
        hidden_event = f.make_event(
            idx["timeline"],
            title=f"{title} event",
            date=datetime.date(2019, 7, 1),
            date_precision="day",
            tags=tags,
            films=[film],
            live=live,
        )
        hidden_essay = f.make_essay(
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
