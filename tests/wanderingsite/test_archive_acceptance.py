"""The loaded archive read against its three documents, as a reviewer reads it."""

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings

from essays.models import EssayPage
from films.models import FilmPage, PolicyEventPage
from wanderingsite.dates import DatePrecision, format_precise_date
from wanderingsite.documents import plain_text
from wanderingsite.quotes import normalise

DOCUMENTS = Path(settings.BASE_DIR) / "fixtures" / "documents"

# Facts each film's documents state, as words the film page must quote.
FILM_FACTS = {
    "the-wandering-earth": [
        "directed by Frant Gwo",
        "Loosely based on a novella by famed sci-fi author Liu Cixin",
        "over $600 million in domestic sales",
        "where it grossed $693 million",
        "$7 million overseas",
        "some 7,000 workers and 10,000 specially-built props",
        "Nearly half a million people wrote reviews",
        "the first of them constructed in Hangzhou",
        "into the Alpha Centauri system",
        "we can never part with our love of the homeland",
        "the global Chinese blockbuster",
        "the United States is almost entirely absent",
        "a lucrative deal with Netflix for worldwide distribution",
        "came out during the Chinese New Year festival",
        "a month after China landed on the far side of the moon",
    ],
    "the-wandering-earth-ii": [
        "is a prequel to The Wandering Earth (2019)",
        "more than 30 other countries during Chinese New Year 2023",
        "notably the Americans, playing a more passive role",
        "resembles China's premier Zhou Enlai",
        "captured the hearts of audiences from all cultural backgrounds",
        "drone swarm battles, space elevators, and nuclear explosions",
    ],
    "wolf-warrior-2": [
        "highest-grossing movie in Chinese box office history",
        "second-highest-grossing non-English film in history following",
        "portray China as a virtuous global power",
        "cartoonishly unfavorable portrayals",
    ],
    "operation-red-sea": [
        "the navy's mission in Yemen",
        "portray China as a virtuous global power",
    ],
    "monster-hunt": ["no longer depend on Hollywood studio films"],
    "lost-in-hong-kong": ["no longer depend on Hollywood studio films"],
    "armageddon": ["Muscular nationalism is also common in American films"],
    "interstellar": ["modeled American interplanetary exploration"],
    "2001-a-space-odyssey": ["HAL 9000 of 2001: A Space Odyssey"],
}


def _documents_text() -> str:
    return normalise(
        " ".join(
            plain_text(path.read_text(encoding="utf-8"))
            for path in sorted(DOCUMENTS.glob("*.txt"))
        )
    )


def _quotes_on(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    quotes = soup.select(".fact__quote, .box-office__quote")
    return normalise(" ".join(quote.get_text() for quote in quotes))


@pytest.mark.parametrize("slug", FILM_FACTS)
def test_archive_film_page_quotes_what_the_documents_say_of_it(
    loaded_archive, client, slug
):
    """Each fact the documents state about a film is quoted on its page."""
    quotes = _quotes_on(client, f"/films/{slug}/")
    missing = [fact for fact in FILM_FACTS[slug] if normalise(fact) not in quotes]
    assert missing == []


def test_archive_every_essay_backs_a_fact_on_each_film_it_discusses(loaded_archive):
    """A film an essay discusses cites that essay for at least one fact."""
    unbacked = []
    for essay in EssayPage.objects.live():
        for film in essay.films.all():
            cited = {c.essay_id for c in film.specific.citations.all()}
            cited |= {f.essay_id for f in film.specific.box_office_figures.all()}
            if essay.pk not in cited:
                unbacked.append((essay.slug, film.slug))
    assert unbacked == []


def test_archive_dates_are_no_more_precise_than_the_documents(loaded_archive):
    """The essays release both films 'during Chinese New Year', never on a named
    day, so the films and the release event are dated to the month; any
    day-precise film or event date is written in a document."""
    dated = {
        page.slug: page.date_iso
        for page in [
            *FilmPage.objects.filter(slug__startswith="the-wandering-earth"),
            PolicyEventPage.objects.get(slug="2023-the-wandering-earth-ii-released"),
        ]
    }
    assert dated == {
        "the-wandering-earth": "2019-02",
        "the-wandering-earth-ii": "2023-01",
        "2023-the-wandering-earth-ii-released": "2023-01",
    }
    text = _documents_text()
    for model in (FilmPage, PolicyEventPage):
        days = model.objects.filter(
            date_precision=DatePrecision.DAY, date__isnull=False
        )
        for page in days:
            day = page.date
            spellings = (
                format_precise_date(day, DatePrecision.DAY),
                f"{day:%B} {day.day} {day.year}",
                f"{day:%B} {day.day}, {day.year}",
            )
            assert any(spelling in text for spelling in spellings), page.slug
