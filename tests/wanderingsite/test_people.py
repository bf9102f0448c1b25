"""The people pages, /people/ and /people/<slug>/, and people in the API and
the sitemap: only what visible pages say of them.

Built on the sample archive (factories.sample_archive): Frant Gwo directs and
Wu Jing acts in the visible film (Wu Jing also in the draft, withdrawn and
private films), Aynne Kokas wrote an essay, Wang Xiaohui acts in an event, and
the essays name Frant Gwo in their text.
"""

import pytest
from django.core.cache import caches

from essays.models import EssayAuthor
from films.models import EventActor, FilmCredit
from tests import factories as f
from tests.factories import HIDDEN
from tests.page_helpers import json_ld, main, words
from wanderingsite import selectors
from wanderingsite.models import Person, PersonMention
from wanderingsite.services.mentions import rebuild_mentions


def _hidden_only_people(sample_archive) -> dict[str, Person]:
    """People whom only hidden pages credit, were written by, or name."""
    hidden = sample_archive.hidden
    draft_only = f.make_person("Draft Director")
    FilmCredit.objects.create(
        page=hidden.draft_film, person=draft_only, role="director"
    )
    withdrawn_only = f.make_person("Withdrawn Author")
    EssayAuthor.objects.create(page=hidden.withdrawn_essay, person=withdrawn_only)
    private_only = f.make_person("Private Actor")
    EventActor.objects.create(page=hidden.private_event, person=private_only)
    named_privately = f.make_person("Zhou Enlai")
    essay = f.make_essay(
        sample_archive.essays,
        title=f"{HIDDEN} private mention",
        paragraphs=("The premier Zhou Enlai was also foreign minister.",),
    )
    f.make_private(essay)
    return {
        "draft": draft_only,
        "withdrawn": withdrawn_only,
        "private": private_only,
        "named privately": named_privately,
    }


def test_people_index_lists_people_then_institutions_by_name_with_counts(
    sample_archive, client
):
    """People come first, then institutions, each by name, with how many
    visible pages of each type tie them and name them."""
    netflix = f.make_person("Netflix", kind=Person.Kind.INSTITUTION)
    EventActor.objects.create(page=sample_archive.plan, person=netflix)
    html = main(client.get("/people/"))
    people, institutions = html.split('id="institutions-heading"')
    assert 'id="people-heading"' in people
    names = ("Aynne Kokas", "Frant Gwo", "Wang Xiaohui", "Wu Jing")
    assert [people.index(n) for n in names] == sorted(people.index(n) for n in names)
    assert '<a class="person-link" href="/people/netflix/">Netflix</a>' in institutions
    assert "1 film · named on 2 pages" in words(people)
    assert "Wu Jing 吴京 1 film" in words(people)
    assert "1 event" in words(institutions)


def test_people_index_pages_through_a_long_list(sample_archive, client, monkeypatch):
    """Past ``PEOPLE_PER_PAGE`` the index continues on numbered pages; an odd
    page number gives a page of the list, never an error."""
    monkeypatch.setattr(selectors, "PEOPLE_PER_PAGE", 2)
    first = words(main(client.get("/people/")))
    assert "1–2 of 4" in first
    assert "Aynne Kokas" in first and "Wu Jing" not in first
    second = client.get("/people/?page=2")
    assert "Wu Jing" in words(main(second))
    assert 'rel="prev"' in second.content.decode()
    for odd in ("0", "-1", "abc", "99999999999999999999", "<b>"):
        response = client.get("/people/", {"page": odd})
        assert response.status_code == 200
        assert "<b>" not in response.content.decode()


def test_people_hidden_pages_only_tie_appear_nowhere(sample_archive, client):
    """A person whom only a draft, withdrawn or private page credits, was
    written by, acts in or names has no page, and no listing, API or sitemap
    names them."""
    hidden_only = _hidden_only_people(sample_archive)
    index = client.get("/people/").content.decode()
    api = client.get("/api/v2/people/?limit=100").content.decode()
    sitemap = client.get("/sitemap-people.xml").content.decode()
    for person in hidden_only.values():
        assert client.get(person.get_absolute_url()).status_code == 404
        assert client.get(f"/api/v2/people/{person.pk}/").status_code == 404
        for surface in (index, api, sitemap):
            assert person.name not in surface
            assert person.get_absolute_url() not in surface


def test_person_page_shows_only_credits_on_visible_pages(sample_archive, client):
    """Wu Jing's page lists the visible film with the character played, and
    none of the hidden films that also credit him."""
    response = client.get("/people/wu-jing/")
    html = main(response)
    assert response.status_code == 200
    assert '<a href="/films/the-wandering-earth/">The Wandering Earth</a>' in html
    assert "Cast as Liu Peiqiang" in words(html)
    assert "Films (1)" in words(html)
    assert HIDDEN not in response.content.decode()
    for page in sample_archive.hidden:
        assert f'href="{page.url}"' not in html


def test_person_page_shows_their_name_kind_and_what_the_sources_say(
    sample_archive, client
):
    """The name in both scripts, the aliases, the kind and the description;
    no description reads as not recorded."""
    gwo = sample_archive.people.gwo
    gwo.aliases = "Guo Fan\nFrant Guo"
    gwo.description = "Director of The Wandering Earth."
    gwo.save()
    html = main(client.get("/people/frant-gwo/"))
    assert "<h1>Frant Gwo</h1>" in html
    assert 'Original name: <span lang="zh">郭帆</span>' in html
    assert "Also written Guo Fan, Frant Guo" in words(html)
    assert '<p class="eyebrow">Person</p>' in html
    assert "Director of The Wandering Earth." in html
    kokas = words(main(client.get("/people/aynne-kokas/")))
    assert "About Not recorded in the archive's sources." in kokas


def test_person_page_lists_essays_written_and_events_acted_in(sample_archive, client):
    """An author's essays with the affiliation the essay gives; an actor's
    events with their role."""
    kokas = main(client.get("/people/aynne-kokas/"))
    assert 'href="/essays/how-china/">How China is using science fiction</a>' in kokas
    assert "University of Virginia" in kokas
    wang = main(client.get("/people/wang-xiaohui/"))
    assert 'href="/timeline/strong-film-power/">A strong film power plan</a>' in wang
    assert "laid out the plan" in wang


def test_person_page_quotes_the_visible_pages_that_name_them(sample_archive, client):
    """Each visible page whose text names the person, with its sentence, linked
    to the paragraph; markup in the text is shown as text."""
    html = main(client.get("/people/frant-gwo/"))
    mentions = html[html.index('id="mentions-heading"') :]
    assert "Pages that name them (2)" in words(mentions)
    assert 'href="/essays/how-china/#p1">How China is using science fiction' in mentions
    assert "<p>The Wandering Earth, directed by Frant Gwo.</p>" in mentions
    assert 'href="/essays/planet-in-peril/#p2">Planet in peril' in mentions
    assert "&lt;b&gt;hope&lt;/b&gt;" in mentions
    assert "<b>hope</b>" not in mentions


def test_person_mentions_follow_what_is_published(sample_archive, client):
    """A newly published text that names a person adds the page to theirs; a
    withdrawn page leaves it; a draft's words count only once published."""
    essay = sample_archive.world_essay
    essay.body = [
        ("paragraph", {"text": "<p>Wang Xiaohui spoke.</p>", "anchor": "p1"}),
    ]
    essay.save_revision()
    assert "Planet in peril" not in main(client.get("/people/wang-xiaohui/"))
    essay.get_latest_revision().publish()
    wang = main(client.get("/people/wang-xiaohui/"))
    assert '<a href="/essays/planet-in-peril/#p1">Planet in peril</a>' in wang
    assert "/essays/planet-in-peril/" not in main(client.get("/people/frant-gwo/"))
    essay.unpublish()
    assert "/essays/planet-in-peril/" not in main(client.get("/people/wang-xiaohui/"))


def test_rebuild_mentions_finds_whole_names_in_their_sentences(sample_archive):
    """A name, original name or alias is found as whole words, and the
    sentence holding it is kept; a name inside a longer word is not."""
    zhou = f.make_person("Zhou Enlai", original_name="周恩来", aliases="Chou En-lai")
    f.make_person("Enla")
    essay = f.make_essay(
        sample_archive.essays,
        paragraphs=(
            "Diplomacy was cautious. 'Crisis.' Interestingly, the envoy resembles "
            "Zhou Enlai, the premier. Then came more.",
            "In Chinese, 周恩来.",
        ),
    )
    rebuild_mentions()
    mentions = PersonMention.objects.filter(page=essay)
    assert [(m.person, m.anchor) for m in mentions] == [(zhou, "p1")]
    assert mentions.get().passage == (
        "Interestingly, the envoy resembles Zhou Enlai, the premier."
    )


def test_person_page_says_how_many_when_a_list_is_cut(
    sample_archive, client, monkeypatch
):
    """Past ``PERSON_SECTION_LENGTH`` a list shows the first pages and the total."""
    monkeypatch.setattr(selectors, "PERSON_SECTION_LENGTH", 1)
    FilmCredit.objects.create(
        page=sample_archive.sequel, person=sample_archive.people.gwo, role="director"
    )
    html = words(main(client.get("/people/frant-gwo/")))
    assert "Films (2)" in html
    assert "The first 1 of 2 films." in html
    assert "The first 1 of 2 pages." in html


@pytest.mark.parametrize(
    "slug", ["nobody", "FRANT-GWO", "frant gwo", "%3Cscript%3E", "a" * 300, "%00"]
)
def test_person_page_not_found_for_what_names_no_public_person(
    sample_archive, client, slug
):
    """An address that names no person the public may meet is a 404 page."""
    response = client.get(f"/people/{slug}/")
    assert response.status_code == 404
    assert "<script>" not in response.content.decode()


def test_person_page_describes_a_person_or_an_organization(sample_archive, client):
    """JSON-LD ``Person`` for a person, ``Organization`` for an institution,
    with their page as ``url``."""
    data = json_ld(client.get("/people/frant-gwo/"))
    assert data["@type"] == "Person"
    assert data["name"] == "Frant Gwo"
    assert data["alternateName"] == "郭帆"
    assert data["url"].endswith("/people/frant-gwo/")
    netflix = f.make_person("Netflix", kind=Person.Kind.INSTITUTION)
    EventActor.objects.create(page=sample_archive.plan, person=netflix)
    assert json_ld(client.get("/people/netflix/"))["@type"] == "Organization"


def test_person_names_link_to_their_pages_wherever_they_are_listed(
    sample_archive, client
):
    """Credits, authors (on the essay and its card) and actors link to the
    person's page."""
    link = '<a class="person-link" href="/people/{}/">'
    assert link.format("frant-gwo") in main(client.get("/films/the-wandering-earth/"))
    assert link.format("aynne-kokas") in main(client.get("/essays/how-china/"))
    assert link.format("aynne-kokas") in main(client.get("/essays/"))
    event = main(client.get("/timeline/strong-film-power/"))
    assert link.format("wang-xiaohui") in event


def test_people_pages_come_from_the_page_cache_and_a_person_change_purges_them(
    sample_archive, client, settings, django_capture_on_commit_callbacks
):
    """Both people pages are cached for visitors; renaming a person shows at once."""
    settings.WAGTAIL_CACHE = True
    caches["pagecache"].clear()
    try:
        for url in ("/people/", "/people/frant-gwo/"):
            client.get(url)
            assert client.get(url)["X-Page-Cache"] == "hit"
        gwo = sample_archive.people.gwo
        with django_capture_on_commit_callbacks(execute=True):
            gwo.name = "Guo Fan"
            gwo.save()
        response = client.get("/people/frant-gwo/")
        assert response["X-Page-Cache"] == "miss"
        assert "<h1>Guo Fan</h1>" in response.content.decode()
    finally:
        caches["pagecache"].clear()


def test_people_api_lists_public_people_with_their_counts(sample_archive, client):
    """/api/v2/people/ lists the people the public may meet, by name, with
    their page and their counts per type."""
    data = client.get("/api/v2/people/").json()
    assert data["meta"]["total_count"] == 4
    names = [item["name"] for item in data["items"]]
    assert names == ["Aynne Kokas", "Frant Gwo", "Wang Xiaohui", "Wu Jing"]
    gwo = data["items"][1]
    assert gwo["meta"]["html_url"].endswith("/people/frant-gwo/")
    assert gwo["counts"] == {"film": 1, "essay": 0, "event": 0, "mention": 2}
    assert gwo["original_name"] == "郭帆"


def test_people_api_detail_has_visible_credits_and_mentions(sample_archive, client):
    """One person's credits and mentions: visible pages only, with roles."""
    wu = sample_archive.people.wu
    data = client.get(f"/api/v2/people/{wu.pk}/").json()
    films = next(s for s in data["credits"] if s["type"] == "film")
    assert films["count"] == 1
    [film] = films["pages"]
    assert film["title"] == "The Wandering Earth"
    assert film["url"].endswith("/films/the-wandering-earth/")
    assert film["roles"] == [
        {"role": "Cast", "character": "Liu Peiqiang", "affiliation": ""}
    ]
    assert HIDDEN not in str(data)
    gwo = client.get(f"/api/v2/people/{sample_archive.people.gwo.pk}/").json()
    assert {m["url"].split("/", 3)[-1] for m in gwo["mentions"]} == {
        "essays/how-china/#p1",
        "essays/planet-in-peril/#p2",
    }


def test_people_api_filters_searches_and_refuses_what_it_cannot_do(
    sample_archive, client
):
    """?kind= and ?search= narrow the list; credits are for one person only;
    odd values are answered without markup."""
    search = client.get("/api/v2/people/", {"search": "frant gwo"}).json()
    assert [p["slug"] for p in search["items"]] == ["frant-gwo"]
    kind = client.get("/api/v2/people/", {"kind": "institution"}).json()
    assert kind["meta"]["total_count"] == 0
    assert client.get("/api/v2/people/", {"fields": "credits"}).status_code == 400
    for params in ({"search": "<b>"}, {"kind": "<b>"}, {"order": "<b>"}):
        response = client.get("/api/v2/people/", params)
        assert response.status_code in (200, 400)
        assert b"<b>" not in response.content


def test_sitemap_people_section_lists_each_public_person(sample_archive, client):
    """/sitemap-people.xml has the page of every person the public may meet."""
    sitemap = client.get("/sitemap-people.xml").content.decode()
    for slug in ("aynne-kokas", "frant-gwo", "wang-xiaohui", "wu-jing"):
        assert f"/people/{slug}/</loc>" in sitemap


def test_rebuild_mentions_second_run_changes_nothing(sample_archive):
    """Rebuilding keeps the rows that still hold and corrects only the others."""
    rebuild_mentions()
    before = list(PersonMention.objects.order_by("pk").values())
    PersonMention.objects.filter(pk=before[0]["id"]).update(passage="Not said.")
    rebuild_mentions()
    after = list(PersonMention.objects.order_by("pk").values())
    assert after[:-1] == before[1:]
    corrected = {k: v for k, v in after[-1].items() if k != "id"}
    assert corrected == {k: v for k, v in before[0].items() if k != "id"}
