"""A small archive for the search, feed, sitemap and API tests.

Besides what the public may see it holds one of each thing it must never see:
a draft, a withdrawn (unpublished) page, a private page and a live page whose
newer draft has not been published.
"""

import datetime
from types import SimpleNamespace

from wagtail.models import PageViewRestriction

from essays.models import FilmCitation
from films.models import EventActor, FilmCredit
from tests import factories as f

HIDDEN_WORD = "zanzibarine"


def build_archive(home) -> SimpleNamespace:
    idx = f.archive_indexes(home)
    sf = f.make_tag("Science fiction", description="Stories of science.")
    soft = f.make_tag("Soft power")
    money = f.make_tag("Box office")
    hidden_tag = f.make_tag("Only hidden pages")
    wu = f.make_person("Wu Jing", original_name="吴京")
    gwo = f.make_person("Frant Gwo", original_name="郭帆")
    kokas = f.make_person("Aynne Kokas")

    essay = f.make_essay(
        idx["essays"],
        title="How China is using science fiction to sell Beijing's vision",
        summary="Aynne Kokas on film, soft power & the state.",
        tags=[sf, soft],
        paragraphs=(
            "The Wandering Earth earned over $600 million at home.",
            "Its director Frant Gwo spoke of &lt;b&gt;hope&lt;/b&gt; &amp; the future.",
        ),
        published_date=datetime.date(2019, 3, 13),
    )
    essay.authors.create(person=kokas, affiliation="University of Virginia")
    film = f.make_film(
        idx["films"],
        title="The Wandering Earth",
        original_title="流浪地球",
        other_titles="Liulang Diqiu",
        summary="China's first big-budget science fiction blockbuster.",
        tags=[sf, soft, money],
        date=datetime.date(2019, 2, 5),
    )
    FilmCredit.objects.create(page=film, person=gwo, role="director")
    FilmCredit.objects.create(
        page=film, person=wu, role="cast", character="Liu Peiqiang"
    )
    FilmCitation.objects.create(
        page=film,
        claim="It earned over $600 million in China.",
        essay=essay,
        quote="earned over $600 million at home",
        anchor="p1",
    )
    essay.films.add(film)
    essay.save_revision().publish()
    sequel = f.make_film(
        idx["films"],
        title="The Wandering Earth II",
        original_title="流浪地球2",
        summary="The prequel, released for the 2023 Spring Festival.",
        tags=[sf],
        date=datetime.date(2023, 1, 22),
    )
    second_essay = f.make_essay(
        idx["essays"],
        title="Can hard Chinese science fiction be a source of soft power?",
        summary="Marina Zhang on the sequel.",
        tags=[soft],
        paragraphs=("Wandering Earth II shows scenes of drone swarm battles.",),
        published_date=datetime.date(2023, 2, 24),
        published_date_precision="day",
    )
    event = f.make_event(
        idx["timeline"],
        title="Hollywood film quota raised",
        summary="China let in more foreign films each year.",
        tags=[money],
        films=[film],
        date=datetime.date(2012, 2, 1),
        date_precision="month",
    )
    EventActor.objects.create(page=event, person=wu, role="watched")

    # What the public must never see.
    draft = f.make_film(
        idx["films"],
        title=f"Draft {HIDDEN_WORD} film",
        original_title="流浪秘密",
        summary=f"A {HIDDEN_WORD} draft.",
        tags=[soft, hidden_tag],
        live=False,
    )
    withdrawn = f.make_essay(
        idx["essays"],
        title=f"Withdrawn {HIDDEN_WORD} essay",
        summary=f"A {HIDDEN_WORD} essay taken down.",
        tags=[soft, hidden_tag],
    )
    withdrawn.unpublish()
    private = f.make_event(
        idx["timeline"],
        title=f"Private {HIDDEN_WORD} event",
        summary=f"A {HIDDEN_WORD} event behind a password.",
        tags=[soft, hidden_tag],
    )
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    edited = f.make_event(
        idx["timeline"],
        title="Film bureau reorganised",
        summary="The film bureau moved under the Propaganda Department.",
        date=datetime.date(2018, 3, 1),
        date_precision="month",
    )
    edited.title = f"Unpublished {HIDDEN_WORD} title"
    edited.summary = f"An unpublished {HIDDEN_WORD} summary."
    edited.save_revision()
    FilmCredit.objects.create(page=draft, person=wu, role="cast")

    return SimpleNamespace(
        indexes=idx,
        film=film,
        sequel=sequel,
        essay=essay,
        second_essay=second_essay,
        event=event,
        edited=edited,
        draft=draft,
        withdrawn=withdrawn,
        private=private,
        tags=SimpleNamespace(sf=sf, soft=soft, money=money, hidden=hidden_tag),
        people=SimpleNamespace(wu=wu, gwo=gwo, kokas=kokas),
        hidden=[draft, withdrawn, private],
    )
