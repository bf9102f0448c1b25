"""The page cache: anonymous pages served from it, purged by every public change."""

import datetime
import os
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import redis
from django.core.cache import caches
from django.core.management import call_command
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone
from wagtail.contrib.frontend_cache.backends import HTTPBackend
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import PageViewRestriction

from films.models import FilmCredit, FilmIndexPage
from tests.factories import make_person, make_tag, small_archive
from tests.wanderingsite.editorial_helpers import make_user
from wanderingsite import cache
from wanderingsite.services import tags as tag_services

HEADER = "X-Page-Cache"


@pytest.fixture
def page_cache(settings):
    """The page cache on (test settings keep it off), empty."""
    settings.WAGTAIL_CACHE = True
    caches["pagecache"].clear()
    yield caches["pagecache"]
    caches["pagecache"].clear()


@pytest.fixture
def site(home_page):
    tag = make_tag("Space elevator")
    return {**small_archive(home_page, tags=[tag]), "tag": tag}


def _cached(client, url: str) -> HttpResponse:
    """``url`` fetched twice: the second answer, which the cache gave."""
    client.get(url)
    response = client.get(url)
    assert response[HEADER] == "hit"
    return response


def test_page_cache_hit_costs_no_query(
    client, site, page_cache, django_assert_num_queries
):
    """A second anonymous visit to a page is answered without a database query."""
    url = site["film"].url
    first = client.get(url)
    assert first[HEADER] == "miss"

    with django_assert_num_queries(0):
        second = client.get(url)

    assert second[HEADER] == "hit"
    assert second.content == first.content


def test_page_cache_serves_every_public_surface(client, site, page_cache):
    """Listings, tag pages, search, feeds, the sitemap and the API are cached too."""
    for url in (
        "/",
        "/films/",
        "/tags/",
        f"/tags/{site['tag'].slug}/",
        "/search/?q=earth",
        "/feeds/latest/",
        "/sitemap.xml",
        "/api/v2/pages/",
    ):
        assert _cached(client, url).status_code == 200, url


def test_page_cache_browsers_revalidate_every_visit(client, site, page_cache):
    """A browser may not keep a page: it asks again, so a purge reaches it."""
    for response in (client.get("/"), client.get("/")):
        assert response["Cache-Control"] == "public, max-age=0, must-revalidate"
        assert not response.has_header("Expires")


def test_page_cache_proxy_may_keep_pages_as_configured(
    client, site, page_cache, settings
):
    """With a proxy in front, PROXY_CACHE_SECONDS lets it keep a page that long."""
    settings.PROXY_CACHE_SECONDS = 30
    assert "s-maxage=30" in client.get("/")["Cache-Control"]


def _publish_title(page, title="The Wandering Earth II"):
    page.title = title
    page.save_revision().publish()


def _unpublish(page):
    page.unpublish()


def _delete(page):
    page.delete()


def _make_private(page):
    PageViewRestriction.objects.create(page=page, restriction_type="login")


def _move(page):
    home = page.get_parent().get_parent()
    other = FilmIndexPage(title="More films", slug="more-films")
    home.add_child(instance=other)
    other.save_revision().publish()
    page.move(other, pos="last-child")


@pytest.mark.parametrize(
    "change",
    [_publish_title, _unpublish, _delete, _make_private, _move],
    ids=["publish", "unpublish", "delete", "privacy", "move"],
)
def test_page_cache_purged_by_page_changes(
    client, site, page_cache, change, django_capture_on_commit_callbacks
):
    """After a publish, unpublish, delete, privacy change or move, no visitor gets
    the page as it was, nor listings that showed it."""
    film = site["film"]
    old_url = film.url
    _cached(client, old_url)
    _cached(client, "/films/")

    with django_capture_on_commit_callbacks(execute=True):
        change(film)

    page = client.get(old_url)
    listing = client.get("/films/")
    assert page[HEADER] != "hit"
    assert listing[HEADER] == "miss"
    if change is _publish_title:
        assert "The Wandering Earth II" in page.content.decode()
    else:
        assert page.status_code in (301, 302, 404)  # a move leaves a redirect
        assert old_url not in listing.content.decode()


def _renamed_tag(site):
    tag = site["tag"]
    tag.name = "Space lift"
    tag.save()


def _merged_tag(site):
    kept = make_tag("Megastructures")
    tag_services.merge_tags(site["tag"], kept, user=make_user("moderator"))


def _renamed_person(site):
    person = make_person("Frant Gwo")
    film = site["film"]
    film.credits.add(FilmCredit(person=person, role=FilmCredit.Role.DIRECTOR))
    film.save_revision().publish()
    return person


@pytest.mark.parametrize("change", [_renamed_tag, _merged_tag], ids=["rename", "merge"])
def test_page_cache_purged_by_tag_changes(
    client, site, page_cache, change, django_capture_on_commit_callbacks
):
    """A renamed or merged tag shows as it now is on the pages that carry it."""
    film_url = site["film"].url
    assert "Space elevator" in _cached(client, film_url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        change(site)

    response = client.get(film_url)
    assert response[HEADER] == "miss"
    assert "Space elevator" not in response.content.decode()


def test_page_cache_purged_by_a_person_change(
    client, site, page_cache, django_capture_on_commit_callbacks
):
    """A person's new name shows at once on the film that credits them."""
    with django_capture_on_commit_callbacks(execute=True):
        person = _renamed_person(site)
    film_url = site["film"].url
    assert "Frant Gwo" in _cached(client, film_url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        person.name = "Guo Fan"
        person.save()

    assert "Guo Fan" in client.get(film_url).content.decode()


def test_page_cache_purged_by_scheduled_publishing(
    client, site, page_cache, django_capture_on_commit_callbacks
):
    """A revision that publish_scheduled puts live is what visitors then get."""
    film = site["film"]
    film.title = "Scheduled title"
    revision = film.save_revision(
        approved_go_live_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert revision.approved_go_live_at is not None
    _cached(client, film.url)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_scheduled", verbosity=0)

    assert "Scheduled title" in client.get(film.url).content.decode()


def test_page_cache_purged_by_a_new_redirect(
    client, site, page_cache, django_capture_on_commit_callbacks
):
    """A cached 404 gives way to a redirect created for that address."""
    assert _cached(client, "/old-films/").status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        Redirect.objects.create(old_path="/old-films", redirect_link="/films/")

    assert client.get("/old-films/").status_code == 301


def test_page_cache_not_purged_before_the_change_commits(
    client, site, page_cache, django_capture_on_commit_callbacks
):
    """Inside the transaction the old page stays cached: a purge then would let
    a visitor in between cache the old page again."""
    film = site["film"]
    _cached(client, film.url)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _publish_title(film, "Not yet committed")
        assert client.get(film.url)[HEADER] == "hit"

    assert callbacks, "the purge waits for the commit"


def test_page_cache_skips_signed_in_users(client, site, page_cache):
    """An editor's pages are never cached, nor served from the cache."""
    url = site["film"].url
    client.force_login(make_user("editor"))
    assert client.get(url)[HEADER] == "skip"
    assert client.get(url)[HEADER] == "skip"
    client.logout()
    assert client.get(url)[HEADER] == "miss"


@pytest.mark.parametrize("url", ["/admin/login/", "/admin/", "/healthz"])
def test_page_cache_never_holds_the_admin_or_health(client, site, page_cache, url):
    """The admin (its sign-in page too) and the health check are never cached."""
    client.get(url)
    assert client.get(url)[HEADER] == "skip"


def test_page_cache_never_holds_a_preview(client, site, page_cache):
    """A preview is rendered for its editor only."""
    client.force_login(make_user("editor"))
    film = site["film"]
    url = f"/admin/pages/{film.pk}/edit/preview/"
    client.get(url)
    assert client.get(url)[HEADER] == "skip"
    client.logout()
    assert client.get(film.url)[HEADER] == "miss"


def test_page_cache_never_holds_a_response_that_sets_a_cookie():
    """A response setting a cookie (a session, a CSRF token) is someone's own."""
    response = HttpResponse("hello")
    response.set_cookie("csrftoken", "abc")
    assert cache.is_response_cacheable(response, True) is False
    assert cache.is_response_cacheable(HttpResponse("hello"), True) is True


def test_page_cache_never_holds_a_password_form(client, site, page_cache):
    """A password-protected page's form sets a cookie and is never cached."""
    film = site["film"]
    PageViewRestriction.objects.create(
        page=film, restriction_type="password", password="secret"
    )
    client.get(film.url)
    response = client.get(film.url)
    assert response[HEADER] != "hit"
    assert "secret" not in response.content.decode()


def test_page_cache_has_no_admin_screen_for_editors_to_empty_it(client, site):
    """wagtail-cache's admin view (a GET that empties the cache) is not installed."""
    client.force_login(make_user("editor"))
    assert client.get("/admin/cache/clear/").status_code == 404


def _redis_answers(url: str) -> bool:
    try:
        return redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_page_cache(settings):
    """The page cache in a real Redis, as every worker and server shares it."""
    if not _redis_answers(REDIS_TEST_URL):
        if os.environ.get("CI"):
            pytest.fail(f"Redis does not answer at {REDIS_TEST_URL}")
        pytest.skip(f"Redis does not answer at {REDIS_TEST_URL}")
    settings.CACHES = {
        **settings.CACHES,
        "pagecache": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_TEST_URL,
            "KEY_PREFIX": "test-page",
        },
    }
    settings.WAGTAIL_CACHE = True
    caches["pagecache"].clear()
    yield caches["pagecache"]
    caches["pagecache"].clear()


def test_page_cache_in_redis_serves_and_purges(
    client,
    site,
    redis_page_cache,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    """Through Redis too, a hit costs no query and a publish purges it, so every
    server sharing it sees the change."""
    film = site["film"]
    client.get(film.url)
    with django_assert_num_queries(0):
        assert client.get(film.url)[HEADER] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        _publish_title(film, "Seen by every server")

    other_server = Client()
    assert "Seen by every server" in other_server.get(film.url).content.decode()


def test_front_end_cache_purges_a_published_page(site, settings, monkeypatch):
    """With a proxy configured, publishing sends it a purge for the page's URL."""
    settings.WAGTAILFRONTENDCACHE = {
        "proxy": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": "http://127.0.0.1:6081",
        }
    }
    purged = []
    monkeypatch.setattr(HTTPBackend, "purge", lambda self, url: purged.append(url))
    film = site["film"]

    _publish_title(film, "Purged at the proxy")

    assert film.full_url in purged


@pytest.fixture
def ban_listener():
    """A stand-in for Varnish on a loopback port that records BAN requests."""
    bans = []

    class Handler(BaseHTTPRequestHandler):
        def do_BAN(self):
            bans.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", bans
    server.shutdown()
    server.server_close()


def test_page_cache_purge_bans_the_proxy_in_front(
    site, page_cache, settings, ban_listener, django_capture_on_commit_callbacks
):
    """With PROXY_BAN_URL set, a purge empties the proxy too, listings included."""
    settings.PROXY_BAN_URL, bans = ban_listener

    with django_capture_on_commit_callbacks(execute=True):
        _publish_title(site["film"], "Banned at the proxy")

    assert bans == ["/"]
