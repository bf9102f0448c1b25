"""The tag list and the tag pages: one vocabulary across films, essays, events."""

import re

import pytest
from wagtail.contrib.redirects.models import Redirect

from tests import factories as f
from tests.page_helpers import json_ld, meta, words


def _row(html: str, slug: str) -> list[str]:
    """The cells of a tag's row in the tag table."""
    row = re.search(rf'<a href="/tags/{slug}/">.*?</tr>', html, re.S).group(0)
    return re.findall(r'<td class="num">(?:<strong>)?(\d+)', row)


def test_tag_list_gives_every_tag_its_counts_by_type(sample_archive, client):
    """Each tag shows films, essays, events and the total it carries."""
    html = client.get("/tags/").content.decode()
    assert _row(html, "science-fiction") == ["3", "2", "0", "5"]
    assert _row(html, "soft-power") == ["1", "1", "1", "3"]
    assert _row(html, "film-policy") == ["0", "1", "3", "4"]


def test_tag_list_leaves_out_tags_only_hidden_pages_carry(sample_archive, client):
    """A tag used by drafts and private pages alone is not listed."""
    assert (
        sample_archive.hidden_only_tag.slug not in client.get("/tags/").content.decode()
    )


def test_tag_list_has_canonical_and_breadcrumbs(sample_archive, client):
    """The tag list has its canonical URL, a description and a breadcrumb home."""
    response = client.get("/tags/")
    assert meta(response, "link", "canonical").endswith("/tags/")
    assert meta(response, "name", "description")
    assert json_ld(response)["@type"] == "CollectionPage"


def test_tag_page_gathers_films_essays_and_events(sample_archive, client):
    """A tag page lists every visible type that carries the tag, with counts."""
    html = client.get("/tags/soft-power/").content.decode()
    assert "1 film 1 essay 1 event" in words(html[: html.index('id="films"')])
    films = html[html.index('id="films"') : html.index('id="essays"')]
    essays = html[html.index('id="essays"') : html.index('id="events"')]
    events = html[html.index('id="events"') :]
    assert 'href="/films/the-wandering-earth/"' in films
    assert 'href="/essays/how-china/"' in essays
    assert 'href="/timeline/strong-film-power/"' in events


def test_tag_page_shows_the_tag_description(sample_archive, client):
    """The tag's own description heads its page and is its meta description."""
    response = client.get("/tags/soft-power/")
    assert "Culture used to win influence." in response.content.decode()
    assert meta(response, "name", "description") == "Culture used to win influence."


def test_tag_page_names_the_tags_that_occur_with_it(sample_archive, client):
    """Tags sharing the most visible pages come first, with the number shared."""
    html = client.get("/tags/soft-power/").content.decode()
    related = words(html[html.index('id="related-heading"') :])
    # Science fiction shares the film and the essay; film policy the essay
    # and the event; box office only the film.
    assert related.index("Film policy 2") < related.index("Box office 1")
    assert "Science fiction 2" in related
    assert sample_archive.hidden_only_tag.name not in related


def test_tag_page_announces_its_feed(sample_archive, client):
    """The head links the tag's feed at /tags/<slug>/feed/."""
    html = client.get("/tags/soft-power/").content.decode()
    assert re.search(r'<link rel="alternate"[^>]+href="/tags/soft-power/feed/"', html)


def test_tag_page_finds_a_tag_whatever_the_case_of_its_slug(sample_archive, client):
    """/tags/Soft-Power/ is the same tag, with the lower-case canonical URL."""
    response = client.get("/tags/Soft-Power/")
    assert response.status_code == 200
    assert meta(response, "link", "canonical").endswith("/tags/soft-power/")


@pytest.mark.parametrize(
    "path", ["/tags/no-such-tag/", "/tags/%3Cscript%3E/", "/tags/" + "x" * 300 + "/"]
)
def test_tag_page_for_an_unknown_tag_is_the_site_404(sample_archive, client, path):
    """An unknown tag answers 404 with the site's own not-found page."""
    response = client.get(path)
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert "<script>" not in html


def test_tag_page_for_an_unknown_tag_can_be_redirected(sample_archive, client):
    """A redirect for a renamed tag's old address still works: the view raises 404."""
    Redirect.objects.create(
        old_path=Redirect.normalise_path("/tags/old-name/"),
        redirect_link="/tags/soft-power/",
    )
    response = client.get("/tags/old-name/")
    assert response.status_code in (301, 302)
    assert response["Location"] == "/tags/soft-power/"


def test_tag_page_of_a_tag_only_hidden_pages_carry_is_not_found(sample_archive, client):
    """A tag whose pages are all hidden does not exist for the public: a 404
    that names neither the tag nor its pages."""
    response = client.get(f"/tags/{sample_archive.hidden_only_tag.slug}/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert sample_archive.hidden_only_tag.name not in response.content.decode()
    assert "Hiddenword film" not in response.content.decode()


def test_tag_page_of_a_tag_only_hidden_pages_carry_can_be_redirected(
    sample_archive, client
):
    """Its 404 is raised, so a redirect from its address still works."""
    Redirect.objects.create(
        old_path=Redirect.normalise_path(f"/tags/{sample_archive.tags.hidden.slug}/"),
        redirect_link="/tags/soft-power/",
        is_permanent=True,
    )
    response = client.get(f"/tags/{sample_archive.tags.hidden.slug}/")
    assert response.status_code == 301
    assert response["Location"] == "/tags/soft-power/"


def test_tag_page_marks_chinese_tag_names(sample_archive, client):
    """A tag named in Chinese is marked lang="zh" wherever it appears."""
    tag = f.make_tag("流浪地球 fans")
    f.make_film(sample_archive.films, title="Tagged in Chinese", tags=[tag])
    html = client.get(f"/tags/{tag.slug}/").content.decode()
    assert '<h1><span lang="zh">流浪地球</span> fans</h1>' in html


def test_tag_page_shows_a_few_of_each_type_and_links_to_all_of_them(
    sample_archive, client, monkeypatch
):
    """Past its section's length a type shows its first pages, its full count
    and a link to every page of it."""
    monkeypatch.setattr("wanderingsite.selectors.TAG_SECTION_LENGTH", 2)
    tag = sample_archive.tags.soft
    for n in range(3):
        f.make_film(sample_archive.films, title=f"Soft film {n}", tags=[tag])
    html = client.get("/tags/soft-power/").content.decode()
    films = html[html.index('id="films"') : html.index('id="essays"')]
    assert films.count('class="card card--film"') == 2
    assert 'Films <span class="count">(4)</span>' in films
    assert 'href="?type=film">All 4 films tagged' in films
    assert "4 films 1 essay 1 event" in words(html[: html.index('id="films"')])


def test_tag_page_of_one_type_lists_it_a_page_at_a_time(
    sample_archive, client, monkeypatch
):
    """?type=film lists only the tag's films, a page at a time, with every
    type's count still on top and a canonical address of its own."""
    monkeypatch.setattr("wanderingsite.selectors.TAG_TYPE_PAGE_LENGTH", 2)
    tag = sample_archive.tags.soft
    for n in range(3):
        f.make_film(sample_archive.films, title=f"Soft film {n}", tags=[tag])
    first = client.get("/tags/soft-power/?type=film")
    second = client.get("/tags/soft-power/?type=film&page=2")
    one, two = first.content.decode(), second.content.decode()
    assert 'id="essays"' not in one
    assert one.count('class="card card--film"') == 2
    assert two.count('class="card card--film"') == 2
    assert "1 essay" in words(one) and "4 films" in words(one)
    assert 'href="?type=film&amp;page=2" rel="next"' in one
    assert meta(second, "link", "canonical").endswith(
        "/tags/soft-power/?type=film&page=2"
    )
    assert meta(first, "name", "robots") is None


@pytest.mark.parametrize(
    "query", ["?type=nope", "?type=%3Cscript%3E", "?type=film&page=abc", "?page=-1"]
)
def test_tag_page_survives_odd_query_strings(sample_archive, client, query):
    """An unknown type shows the whole tag, kept out of search engines; an odd
    page number gives the first page."""
    response = client.get(f"/tags/soft-power/{query}")
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()
    if "nope" in query or "script" in query:
        assert meta(response, "name", "robots") == "noindex, follow"


def test_tag_list_runs_over_pages_by_name(sample_archive, client, monkeypatch):
    """Past a page's length the tag list continues on ?page=2, by name, every
    tag on one page only."""
    monkeypatch.setattr("wanderingsite.views.TAGS_PER_PAGE", 2)
    first = client.get("/tags/").content.decode()
    second = client.get("/tags/?page=2").content.decode()
    names = [
        re.findall(r'<th scope="row"><a href="/tags/([^/]+)/', p)
        for p in (first, second)
    ]
    assert len(names[0]) == len(names[1]) == 2
    assert not set(names[0]) & set(names[1])
    assert names[0] + names[1] == sorted(names[0] + names[1])
    assert 'aria-label="Pages of tags"' in first
