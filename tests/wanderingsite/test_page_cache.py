"""The page cache: anonymous pages served from it, purged by every public change."""

import datetime
import math
import os
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import redis
from django.core.cache import caches
from django.core.management import call_command
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.utils import timezone
from wagtail.contrib.frontend_cache.backends import HTTPBackend
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import PageViewRestriction

from films.models import FilmCredit, FilmIndexPage
from tests.factories import make_person, make_tag, small_archive
from tests.wanderingsite.editorial_helpers import make_user
from wanderingsite import cache
from wanderingsite.page_cache import (
    GENERATION_KEY,
    LayeredCache,
    LocalLayer,
    is_visitor_request,
)
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
    """A person's new name, once published, shows at once on the film that
    credits them."""
    with django_capture_on_commit_callbacks(execute=True):
        person = _renamed_person(site)
    film_url = site["film"].url
    assert "Frant Gwo" in _cached(client, film_url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        person.name = "Guo Fan"
        person.save_revision().publish()

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
        "pagecache_shared": {
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


class FakeClock:
    """Time for the page cache's layers that moves only when told."""

    def __init__(self, start: float = 0.0):
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance_past(self, layered: LayeredCache) -> None:
        self.now += layered.check_interval + 0.001


@pytest.fixture
def clock(page_cache_layers):
    """This process's layer on a clock of the test's own."""
    fake = FakeClock(start=page_cache_layers.local.checked_at)
    page_cache_layers.clock = fake
    return fake


@pytest.fixture
def page_cache_layers(page_cache) -> LayeredCache:
    """The page cache's backend in this thread: its ``local`` layer and ``shared``."""
    assert isinstance(page_cache, LayeredCache)
    return page_cache


def _another_process(layered: LayeredCache, clock=None) -> LayeredCache:
    """The same page cache seen from another process: the same shared cache, a
    layer of its own."""
    other = LayeredCache(layered.shared_alias, {"OPTIONS": {"CHECK_INTERVAL": 0.25}})
    other.local = LocalLayer(max_entries=200, max_bytes=8 * 1024 * 1024)
    if clock:
        other.clock = clock
    return other


class CountingGets:
    """Wraps a cache's ``get`` and counts the calls, so that a test can tell a
    hit from the process's own layer from one that asked the shared cache."""

    def __init__(self, backend, monkeypatch):
        self.calls = []
        original = backend.get

        def get(key, *args, **kwargs):
            self.calls.append(key)
            return original(key, *args, **kwargs)

        monkeypatch.setattr(backend, "get", get)


def test_page_cache_local_layer_answers_without_the_shared_cache(
    client, site, page_cache_layers, clock, monkeypatch
):
    """Once a process has read a page from the shared cache, its next visitors
    get it from the process's own layer: the shared cache is not asked."""
    url = site["film"].url
    client.get(url)  # a miss: built and stored in the shared cache
    client.get(url)  # a hit from the shared cache, kept in this process
    gets = CountingGets(page_cache_layers.shared, monkeypatch)

    response = client.get(url)

    assert response[HEADER] == "hit"
    assert gets.calls == []


def test_page_cache_local_layer_reads_the_generation_once_per_interval(
    page_cache_layers, clock, monkeypatch
):
    """The shared generation is read again only once the check interval has
    passed, not on every request."""
    page_cache_layers.set("page", "cached")
    page_cache_layers.get("page")
    gets = CountingGets(page_cache_layers.shared, monkeypatch)

    page_cache_layers.get("page")
    assert gets.calls == []
    clock.advance_past(page_cache_layers)
    page_cache_layers.get("page")
    assert gets.calls == [GENERATION_KEY]


def test_page_cache_purge_empties_another_process_layer(page_cache_layers, clock):
    """A purge in one process empties every other process's layer: once the
    check interval has passed, none serves what it kept."""
    other = _another_process(page_cache_layers, clock)
    page_cache_layers.set("page", "old")
    assert other.get("page") == "old"
    assert len(other.local) == 1

    page_cache_layers.clear()
    clock.advance_past(other)

    assert other.get("page") is None
    assert len(other.local) == 0


def test_page_cache_stale_page_never_served_after_another_server_purges(
    client, site, page_cache_layers, clock
):
    """A page this process keeps is not served once another server has purged
    the cache and the check interval has passed."""
    film = site["film"]
    _cached(client, film.url)
    type(film).objects.filter(pk=film.pk).update(title="Changed on another server")
    _another_process(page_cache_layers, clock).clear()
    # Within the interval this process has not yet looked: its layer answers.
    assert "Changed on another server" not in client.get(film.url).content.decode()

    clock.advance_past(page_cache_layers)

    response = client.get(film.url)
    assert response[HEADER] == "miss"
    assert "Changed on another server" in response.content.decode()


def test_page_cache_local_entry_of_a_replaced_generation_is_never_kept(
    page_cache_layers,
):
    """A value read under a generation that a purge has since replaced is not
    stored in the layer (the read may have found the page from before it)."""
    layer = LocalLayer(max_entries=10, max_bytes=1000)
    layer.observe("before", now=0)
    layer.observe("after", now=1)
    layer.put("page", "before", b"old page", expires=100)
    assert layer.get("page", "after", now=2) is None
    assert len(layer) == 0


def test_page_cache_lost_generation_empties_the_local_layer(page_cache_layers, clock):
    """A shared generation gone (an eviction, a new Redis) counts as a purge."""
    page_cache_layers.set("page", "kept")
    page_cache_layers.get("page")
    before = page_cache_layers.local.generation
    page_cache_layers.shared.delete(GENERATION_KEY)
    page_cache_layers.shared.delete("page")
    clock.advance_past(page_cache_layers)

    assert page_cache_layers.get("page") is None
    assert page_cache_layers.local.generation not in (None, before)


def test_page_cache_local_layer_bounded_in_entries():
    """The least recently used entry goes when the layer holds too many."""
    layer = LocalLayer(max_entries=2, max_bytes=1000)
    layer.observe("g", now=0)
    layer.put("a", "g", b"1", expires=100)
    layer.put("b", "g", b"2", expires=100)
    assert layer.get("a", "g", now=1) == b"1"  # "b" is now the least recent
    layer.put("c", "g", b"3", expires=100)

    assert len(layer) == 2
    assert layer.get("b", "g", now=1) is None
    assert layer.get("a", "g", now=1) == b"1"
    assert layer.get("c", "g", now=1) == b"3"


def test_page_cache_local_layer_bounded_in_bytes():
    """The layer drops its least recent entries to stay within its bytes, and
    keeps no entry larger than a quarter of them."""
    layer = LocalLayer(max_entries=100, max_bytes=100)
    layer.observe("g", now=0)
    for name in "abcde":
        layer.put(name, "g", name.encode() * 25, expires=100)
    layer.put("huge", "g", b"h" * 26, expires=100)

    assert layer.nbytes == 100
    assert len(layer) == 4
    assert layer.get("a", "g", now=1) is None
    assert layer.get("huge", "g", now=1) is None
    assert layer.get("e", "g", now=1) == b"e" * 25


def test_page_cache_local_layer_entry_expires_with_the_cache_timeout():
    """An entry is not served past its time, as the shared cache would not."""
    layer = LocalLayer(max_entries=10, max_bytes=100)
    layer.observe("g", now=0)
    layer.put("a", "g", b"1", expires=10)
    assert layer.get("a", "g", now=9) == b"1"
    assert layer.get("a", "g", now=10) is None
    assert len(layer) == 0


def test_page_cache_local_layer_keeps_a_page_no_longer_than_its_max_age(
    page_cache_layers, clock
):
    """A page stays in a process's layer as long as the shared cache keeps it
    (wagtail-cache stores it for its ``max-age``), not longer."""
    page = HttpResponse("page")
    page["Cache-Control"] = "max-age=60"
    page_cache_layers.set("page", page, 60)
    page_cache_layers.get("page")
    page_cache_layers.shared.delete("page")  # as the shared cache expires it

    clock.now += 59
    assert page_cache_layers.get("page").content == b"page"
    clock.now += 2
    assert page_cache_layers.get("page") is None


def test_page_cache_write_replaces_the_process_copy(page_cache_layers, clock):
    """What a process writes is what it then reads, not its older copy."""
    page_cache_layers.set("key", "old")
    assert page_cache_layers.get("key") == "old"
    page_cache_layers.set("key", "new")
    assert page_cache_layers.get("key") == "new"


def test_page_cache_that_fails_still_gives_the_page(
    client, site, page_cache_layers, monkeypatch
):
    """With the shared cache down, visitors get the page built afresh, not an
    error, and nothing a process kept is served unchecked."""
    url = site["film"].url
    _cached(client, url)
    page_cache_layers.local.checked_at = -math.inf  # the generation is due

    def refuse(*args, **kwargs):
        raise ConnectionError("the shared cache does not answer")

    with monkeypatch.context() as patched:
        for method in ("get", "set", "add"):
            patched.setattr(page_cache_layers.shared, method, refuse)
        response = client.get(url)

    assert response.status_code == 200
    assert response[HEADER] == "err"


def test_page_cache_stores_a_response_written_in_pieces_as_one(
    client, site, page_cache
):
    """A feed, written piece by piece, is served from the cache in one piece
    (each piece would be a write to the socket), with the same bytes."""
    built = client.get("/feeds/latest/")
    hit = client.get("/feeds/latest/")
    assert hit[HEADER] == "hit"
    assert len(list(hit)) == 1
    assert hit.content == built.content


def test_page_cache_fast_path_runs_no_session_or_sign_in(client, site, page_cache):
    """A visitor's hit is answered before the session, sign-in, CSRF and
    message middleware run."""
    url = site["film"].url
    _cached(client, url)
    response = client.get(url)
    assert response[HEADER] == "hit"
    request = response.wsgi_request
    assert not hasattr(request, "session")
    assert not hasattr(request, "user")


def test_page_cache_hit_carries_every_header_of_a_page(client, site, page_cache):
    """A hit has the headers the page had when it was built: the content and
    permissions policies, what browsers may keep, framing and sniffing."""
    url = site["film"].url
    first = client.get(url)
    hit = client.get(url)
    assert hit[HEADER] == "hit"
    for header in (
        "Content-Security-Policy",
        "Permissions-Policy",
        "Cache-Control",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Content-Type",
    ):
        assert hit[header] == first[header], header
    assert hit["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert "Set-Cookie" not in hit
    assert not hit.has_header("Expires")


def test_page_cache_head_served_from_the_cache(
    client, site, page_cache, django_assert_num_queries
):
    """A HEAD request is cached and answered from the cache like a GET."""
    url = site["film"].url
    assert client.head(url)[HEADER] == "miss"
    with django_assert_num_queries(0):
        response = client.head(url)
    assert response[HEADER] == "hit"
    assert response.status_code == 200
    assert response.content == b""


def test_page_cache_hit_only_for_the_same_host_and_scheme(client, site, page_cache):
    """A page cached for one host or scheme is not served for another."""
    url = site["film"].url
    _cached(client, url)
    assert client.get(url, HTTP_HOST="localhost")[HEADER] == "miss"
    assert client.get(url, secure=True)[HEADER] == "miss"
    assert client.get(url)[HEADER] == "hit"


def test_page_cache_never_answers_a_host_it_does_not_serve(client, site, page_cache):
    """A request for a host outside ALLOWED_HOSTS is refused, cached page or not."""
    url = site["film"].url
    _cached(client, url)
    assert client.get(url, HTTP_HOST="elsewhere.example").status_code == 400


def test_page_cache_query_strings_as_wagtail_cache_keys_them(client, site, page_cache):
    """Tracking parameters share the page's entry; any other query string is a
    page of its own."""
    url = site["film"].url
    _cached(client, url)
    assert client.get(url, {"utm_source": "feed"})[HEADER] == "hit"
    assert client.get(url, {"page": "2"})[HEADER] == "miss"


def test_page_cache_signed_in_users_never_get_a_cached_page(client, site, page_cache):
    """A page cached for visitors is not what a signed-in editor gets: the
    fast path leaves a request with a session to the session middleware."""
    url = site["film"].url
    _cached(client, url)
    client.force_login(make_user("editor"))
    response = client.get(url)
    assert response[HEADER] == "skip"
    assert response.wsgi_request.user.is_authenticated


def test_page_cache_visitor_with_a_csrf_cookie_goes_the_long_way(
    client, site, page_cache
):
    """A visitor with a CSRF cookie (one who opened a form) is served by
    wagtail-cache's own middleware, after sessions and sign-in have run."""
    url = site["film"].url
    _cached(client, url)
    client.cookies["csrftoken"] = "x" * 32
    response = client.get(url)
    assert response[HEADER] == "hit"
    assert not response.wsgi_request.user.is_authenticated


@pytest.mark.parametrize(
    ("method", "path", "extra"),
    [
        ("post", "/films/", {}),
        ("get", "/admin/", {}),
        ("get", "/admin/login/", {}),
        ("get", "/healthz", {}),
        ("get", "/films/", {"HTTP_COOKIE": "sessionid=abc"}),
        ("get", "/films/", {"HTTP_COOKIE": "csrftoken=abc"}),
        ("get", "/films/", {"HTTP_AUTHORIZATION": "Basic ZWRpdG9yOnNlY3JldA=="}),
    ],
    ids=["post", "admin", "sign-in", "health", "session", "csrf", "credentials"],
)
def test_page_cache_fast_path_refuses_what_is_not_a_visitor_read(
    db, method, path, extra
):
    """Writes, the admin, the health check and anyone with a session, a CSRF
    cookie or credentials never take the fast path."""
    request = getattr(RequestFactory(), method)(path, **extra)
    assert is_visitor_request(request) is False


def test_page_cache_fast_path_refuses_a_preview(db):
    """A preview (Wagtail marks the request) is never answered from the cache."""
    request = RequestFactory().get("/films/")
    request.is_preview = True
    assert is_visitor_request(request) is False
    assert is_visitor_request(RequestFactory().get("/films/")) is True


def test_page_cache_in_redis_hit_from_the_local_layer_costs_nothing(
    client,
    site,
    redis_page_cache,
    django_assert_num_queries,
    monkeypatch,
):
    """With Redis shared by every server, a hit from the process's layer asks
    neither the database nor Redis."""
    url = site["film"].url
    layered = caches["pagecache"]
    layered.clock = FakeClock(start=layered.local.checked_at)
    client.get(url)
    with django_assert_num_queries(0):
        assert client.get(url)[HEADER] == "hit"  # from Redis
    gets = CountingGets(layered.shared, monkeypatch)

    with django_assert_num_queries(0):
        response = client.get(url)

    assert response[HEADER] == "hit"
    assert gets.calls == []


def test_page_cache_in_redis_purge_reaches_every_process(
    client, site, redis_page_cache, django_capture_on_commit_callbacks
):
    """A publish in one process replaces the generation in Redis, so every
    other process drops the pages it kept."""
    film = site["film"]
    layered = caches["pagecache"]
    clock = FakeClock()
    other = _another_process(layered, clock)
    client.get(film.url)
    client.get(film.url)
    key = next(iter(layered.local._entries)).split(":", 2)[2]
    assert other.get(key) is not None
    assert len(other.local) == 1

    with django_capture_on_commit_callbacks(execute=True):
        _publish_title(film, "Seen by every process")
    clock.advance_past(other)

    assert other.get(key) is None
    assert len(other.local) == 0
