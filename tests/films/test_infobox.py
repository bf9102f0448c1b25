"""A film's infobox answers a fan's first questions, each answer with its
source or marked as not recorded; and the facts sit under the right topics."""

import re

from essays.models import Citation, EventCitation, FilmCitation
from films.models import FilmCredit, FilmPage
from tests.page_helpers import cites, main, words

NOT_RECORDED = "Not recorded in the archive's sources"
FIELDS = [
    "Title",
    "Original title",
    "Directed by",
    "Written by",
    "Cast",
    "Based on",
    "Released",
    "Distribution",
    "Box office",
    "Related films",
]


def _infobox(client, slug: str) -> str:
    html = main(client.get(f"/films/{slug}/"))
    start = html.index('id="infobox"')
    return html[start : html.index("</section>", start)]


def _fields(infobox: str) -> dict[str, str]:
    """Each field's label and its answer, as markup."""
    rows = re.findall(r"<div><dt>(.*?)</dt><dd>(.*?)</dd></div>", infobox, re.S)
    return dict(rows)


def said(markup: str) -> str:
    """The words of ``markup`` as a reader reads them, without the spaces that
    tags leave inside brackets and before punctuation."""
    return re.sub(r" ([):,])", r"\1", words(markup).replace("( ", "("))


def test_infobox_answers_every_field_or_says_it_is_not_recorded(loaded_archive, client):
    """On every film, each field holds a cited answer (a link to the passage)
    or says the sources do not record it, linked to the note that explains."""
    for film in FilmPage.objects.live():
        infobox = _infobox(client, film.slug)
        fields = _fields(infobox)
        assert list(fields)[: len(FIELDS)] == FIELDS, film.slug
        for label, answer in fields.items():
            if label in ("Title", "Original title"):
                continue
            # Related films point to their section, where each has its passages.
            cited = 'href="/essays/' in answer or 'href="#related-films"' in answer
            missing = NOT_RECORDED.lower() in words(answer).lower()
            assert cited or missing, (film.slug, label, words(answer))
            if missing:
                assert 'href="#not-recorded"' in answer
        assert 'id="not-recorded"' in infobox


def test_infobox_says_why_interstellar_has_no_release_date(loaded_archive, client):
    """Interstellar's release is not recorded, and the note beside it says what
    that means: no source essay states it, and the archive adds nothing."""
    infobox = _infobox(client, "interstellar")
    released = _fields(infobox)["Released"]
    note = re.search(r'<p class="infobox__note" id="not-recorded">(.*?)</p>', infobox)

    assert said(released) == NOT_RECORDED
    assert 'href="#not-recorded"' in released
    assert note is not None
    assert "none of the essays the archive is built from states it" in words(
        note.group(1)
    )
    assert 'href="/essays/"' in note.group(1)


def test_infobox_names_the_director_and_cast_with_their_sources(loaded_archive, client):
    """The Wandering Earth: Frant Gwo directs, cited to the Washington Post
    essay; the cast play their characters, cited to "Planet in peril"."""
    fields = _fields(_infobox(client, "the-wandering-earth"))
    director, cast = fields["Directed by"], fields["Cast"]

    assert said(director).startswith("Frant Gwo 郭帆 (source: The Washington Post")
    assert cites("/essays/china-science-fiction-beijing-vision/", "p1", director)
    assert "Jing Wu 吴京 as Liu Peiqiang (source: WORLD magazine" in said(cast)
    assert "Chuxiao Qu 屈楚萧 as Liu Qi" in said(cast)
    assert "Jin Mai Jaho 赵今麦 as Han Duoduo" in said(cast)
    assert cites("/essays/planet-in-peril/", "p3", cast)
    assert said(fields["Written by"]) == NOT_RECORDED


def test_infobox_of_the_prequel_says_what_its_sources_leave_out(loaded_archive, client):
    """The Wandering Earth II's sources name no director, cast, distributor or
    gross: the infobox says so, field by field, rather than looking broken."""
    fields = _fields(_infobox(client, "the-wandering-earth-ii"))
    for label in ("Directed by", "Written by", "Cast", "Distribution", "Box office"):
        assert said(fields[label]) == NOT_RECORDED, label
    assert "January 2023" in said(fields["Released"])
    assert "Prequel to The Wandering Earth (2019)" in said(fields["Related films"])


def test_infobox_shows_the_source_work_with_its_author(loaded_archive, client):
    """Based on: Liu Cixin's novella, its author named, its title marked as not
    recorded (no source names it), with the passages that say so."""
    for slug in ("the-wandering-earth", "the-wandering-earth-ii"):
        based_on = _fields(_infobox(client, slug))["Based on"]
        text = said(based_on)
        assert text.startswith("A novella by Liu Cixin Title: " + NOT_RECORDED)
        assert "Author: Liu Cixin 刘慈欣" in text
        assert cites("/essays/wandering-earth-ii-soft-power/", "p2", based_on)
    original = _fields(_infobox(client, "the-wandering-earth"))["Based on"]
    assert cites("/essays/planet-in-peril/", "p2", original)


def test_infobox_shows_disagreeing_grosses_side_by_side(loaded_archive, client):
    """The domestic gross: over $600 million or $693 million, each with its
    source, and a mark that the sources disagree."""
    box_office = said(_fields(_infobox(client, "the-wandering-earth"))["Box office"])
    assert (
        "China (domestic): over US$600 million (The Washington Post: How China is "
        "using science fiction to sell Beijing's vision of the future) or US$693 "
        "million (WORLD magazine: Planet in peril) Sources disagree"
    ) in box_office
    assert "Overseas: US$7 million (WORLD magazine: Planet in peril)" in box_office


def test_infobox_shows_release_at_its_precision_and_distribution(
    loaded_archive, client
):
    """Release to the month with how it was placed and its sources; Netflix as
    distributor with the facts on the deal."""
    fields = _fields(_infobox(client, "the-wandering-earth"))
    released, distribution = said(fields["Released"]), said(fields["Distribution"])
    assert released.startswith("February 2019 The month of the Chinese New Year")
    assert "Released during the Chinese New Year festival (WORLD magazine" in released
    assert distribution.startswith("Netflix")
    assert "A lucrative deal with Netflix for worldwide distribution" in distribution


def test_infobox_marks_the_chinese_title_as_chinese(loaded_archive, client):
    """The original title is marked lang="zh"."""
    original = _fields(_infobox(client, "the-wandering-earth"))["Original title"]
    assert '<span class="infobox__original" lang="zh">流浪地球</span>' in original


# Topics: each fact where a reader looks for it.

_GROSS = re.compile(r"grossing|grossed|\bgross\b|domestic sales", re.I)
_CREDIT = re.compile(r"\bdirected by\b|\bplays\b|\bplayed by\b", re.I)
_SOURCE = re.compile(r"based on|adapt|novella", re.I)


def test_fact_topics_follow_the_archive_rules(loaded_archive):
    """Credits under Credits, grosses under Box office, the novella under Source
    work, relations under Related films, and every credit backed by a fact
    that names the person."""
    Topic = Citation.Topic
    problems = []
    for citation in [*FilmCitation.objects.all(), *EventCitation.objects.all()]:
        where = f"{citation.page.title}: {citation.claim!r} ({citation.topic})"
        relation = getattr(citation, "relation", "")
        if relation:
            if citation.topic != Topic.LINEAGE:
                problems.append(f"{where}: a relation outside Related films")
            continue
        if citation.topic == Topic.LINEAGE:
            problems.append(f"{where}: under Related films without a relation")
        if _GROSS.search(citation.claim) and citation.topic != Topic.BOX_OFFICE:
            problems.append(f"{where}: a gross outside Box office")
        if _CREDIT.search(citation.claim) and citation.topic != Topic.CREDITS:
            problems.append(f"{where}: a credit outside Credits")
        if citation.topic == Topic.SOURCE and not _SOURCE.search(citation.quote):
            problems.append(f"{where}: Source work that is not about one")
    assert problems == []


def test_fact_topics_back_every_credit_and_release(loaded_archive):
    """Each credit has a fact naming the person under its topic, each Credits
    fact names someone credited, and each release date has a release fact or
    a note on how it was placed."""
    problems = []
    for film in FilmPage.objects.live():
        detail = film.get_detail()
        box = detail.infobox
        for cited in [
            *box.directors,
            *box.writers,
            *box.cast,
            *box.producers,
            *box.authors,
            *box.distributors,
        ]:
            if not cited.sources:
                problems.append(f"{film.title}: {cited.credit} has no source")
        people = [c.person for c in FilmCredit.objects.filter(page=film)]
        for topic, facts in detail.facts:
            if topic != "Credits":
                continue
            for fact in facts:
                if not any(fact.names(person) for person in people):
                    problems.append(f"{film.title}: {fact.claim!r} names no credit")
        if film.date and not (box.release or film.date_note):
            problems.append(f"{film.title}: a release date without a source")
    assert problems == []
