"""The page cache in two layers, and the fast path that serves a visitor from it.

``LayeredCache`` is the cache backend wagtail-cache uses: a small bounded layer
in each process in front of the shared cache (Redis, or files on one machine).
The shared cache holds a generation, a token that every ``clear()`` (every
purge, ``cache.py``) replaces; each process's entries carry the generation
they were read under and are served only while it is still the shared one.
A process reads the shared generation at most every ``CHECK_INTERVAL`` seconds,
so a purge on any server empties every process's layer within that time.

``CachedPageMiddleware`` answers a visitor's hit before sessions, sign-in,
CSRF, messages, redirects and sign-in throttling run, with wagtail-cache's
own key and rules; every other request goes down the middleware as before.
"""

from __future__ import annotations

import logging
import math
import pickle
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from functools import cached_property
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import get_max_age
from wagtail import hooks
from wagtailcache.cache import (
    Status,
    _chop_response_vary,
    _get_cache_key,
    _patch_header,
)
from wagtailcache.settings import wagtailcache_settings

GENERATION_KEY = "page-cache-generation"
logger = logging.getLogger(__name__)


class LocalLayer:
    """One process's entries: pickled values, least recently used dropped first,
    bounded in number and in bytes, valid for one generation. An entry larger
    than a quarter of the bytes stays in the shared cache only, so that one
    large page cannot empty the layer."""

    def __init__(self, max_entries: int, max_bytes: int):
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.generation: str | None = None
        self.checked_at = -math.inf
        self.nbytes = 0
        self._entries: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: str, generation: str, now: float) -> bytes | None:
        with self._lock:
            if generation != self.generation or key not in self._entries:
                return None
            expires, pickled = self._entries[key]
            if expires <= now:
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return pickled

    def put(self, key: str, generation: str, pickled: bytes, expires: float) -> None:
        if len(pickled) > self.max_bytes // 4:
            return
        with self._lock:
            if generation != self.generation:
                return  # read under a generation a purge has since replaced
            if key in self._entries:
                self._drop(key)
            self._entries[key] = (expires, pickled)
            self.nbytes += len(pickled)
            while len(self._entries) > self.max_entries or self.nbytes > self.max_bytes:
                self._drop(next(iter(self._entries)))

    def discard(self, key: str) -> None:
        with self._lock:
            if key in self._entries:
                self._drop(key)

    def observe(self, generation: str, now: float) -> None:
        """The shared generation as just read: a new one empties the layer."""
        with self._lock:
            if generation != self.generation:
                self._entries.clear()
                self.nbytes = 0
                self.generation = generation
            self.checked_at = now

    def _drop(self, key: str) -> None:
        _, pickled = self._entries.pop(key)
        self.nbytes -= len(pickled)


_layers: dict[str, LocalLayer] = {}
_layers_lock = threading.Lock()


def _layer_named(name: str, max_entries: int, max_bytes: int) -> LocalLayer:
    """The process's one layer for ``name`` (Django makes a backend per thread)."""
    with _layers_lock:
        if name not in _layers:
            _layers[name] = LocalLayer(max_entries, max_bytes)
        return _layers[name]


class LayeredCache(BaseCache):
    """A per-process layer in front of the cache ``LOCATION`` names.

    ``OPTIONS``: ``MAX_ENTRIES`` and ``MAX_BYTES`` bound the layer,
    ``CHECK_INTERVAL`` (seconds) is how often the shared generation is read.
    Writes go to the shared cache (this process drops its own copy of the key);
    the layer keeps what reads found there, no longer than the shared cache does.
    """

    def __init__(self, location: str, params: dict):
        super().__init__(params)
        options = params.get("OPTIONS", {})
        self.shared_alias = location
        self.check_interval = float(options.get("CHECK_INTERVAL", 0.25))
        self.local = _layer_named(
            location,
            max_entries=int(options.get("MAX_ENTRIES", 200)),
            max_bytes=int(options.get("MAX_BYTES", 8 * 1024 * 1024)),
        )
        self.clock: Callable[[], float] = time.monotonic

    @cached_property
    def shared(self) -> BaseCache:
        return caches[self.shared_alias]

    def generation(self) -> str:
        """The shared generation, read again once ``CHECK_INTERVAL`` has passed."""
        now = self.clock()
        if now - self.local.checked_at >= self.check_interval:
            generation = self.shared.get(GENERATION_KEY)
            if generation is None:
                # Gone with a clear, an eviction or a new Redis: a new one, so
                # that no process keeps what it read before.
                self.shared.add(GENERATION_KEY, secrets.token_hex(8), timeout=None)
                generation = self.shared.get(GENERATION_KEY)
            self.local.observe(generation, now)
        return self.local.generation

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        # The generation is taken before the shared read: a purge in between
        # replaces it, so what the read found is not kept past the next check.
        generation = self.generation()
        local_key = self.make_key(key, version)
        now = self.clock()
        pickled = self.local.get(local_key, generation, now)
        if pickled is not None:
            return pickle.loads(pickled)  # noqa: S301 (pickled by put below)
        value = self.shared.get(key, self._missing_key, version=version)
        if value is self._missing_key:
            return default
        lifetime = self._lifetime(value)
        expires = math.inf if lifetime is None else now + lifetime
        self.local.put(
            local_key, generation, pickle.dumps(value, pickle.HIGHEST_PROTOCOL), expires
        )
        return value

    def set(
        self,
        key: str,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> None:
        if isinstance(value, HttpResponse):
            # A response written in pieces (a feed: a thousand of them) would
            # go to the socket in as many writes on every hit: one piece.
            value.content = value.content
        self.shared.set(key, value, self._timeout(timeout), version=version)
        self.local.discard(self.make_key(key, version))

    def add(
        self,
        key: str,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> bool:
        return self.shared.add(key, value, self._timeout(timeout), version=version)

    def touch(
        self, key: str, timeout: float | None = DEFAULT_TIMEOUT, version=None
    ) -> bool:
        return self.shared.touch(key, self._timeout(timeout), version=version)

    def delete(self, key: str, version: int | None = None) -> bool:
        """Deleted everywhere: every process's layer is emptied, as by a clear."""
        deleted = self.shared.delete(key, version=version)
        self._new_generation()
        return deleted

    def clear(self) -> None:
        """The shared cache emptied, and with its new generation every layer."""
        self.shared.clear()
        self._new_generation()

    def _new_generation(self) -> None:
        generation = secrets.token_hex(8)
        self.shared.set(GENERATION_KEY, generation, timeout=None)
        self.local.observe(generation, self.clock())

    def _timeout(self, timeout: float | None) -> float | None:
        return self.default_timeout if timeout is DEFAULT_TIMEOUT else timeout

    def _lifetime(self, value: Any) -> float | None:
        """How long the shared cache keeps ``value``: a page's ``max-age``, which
        wagtail-cache stores it for, else the default timeout."""
        if isinstance(value, HttpResponseBase):
            max_age = get_max_age(value)
            if max_age is not None:
                return max_age
        return self.default_timeout


def is_visitor_request(request: HttpRequest) -> bool:
    """A request the page cache may answer, decided before any session is read:
    ``GET`` or ``HEAD`` with no session, no CSRF cookie and no credentials, that
    the ``is_request_cacheable`` hooks (``cache.py``) allow."""
    if request.method not in ("GET", "HEAD") or "HTTP_AUTHORIZATION" in request.META:
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or settings.CSRF_COOKIE_NAME in cookies:
        return False
    is_cacheable = True
    for hook in hooks.get_hooks("is_request_cacheable"):
        result = hook(request, is_cacheable)
        if isinstance(result, bool):
            is_cacheable = result
    return is_cacheable


def cached_page(request: HttpRequest) -> HttpResponse | None:
    """The page cache's response for this request (wagtail-cache's key: scheme,
    host, the full URL and the headers the page varies on), or None."""
    cache = caches[wagtailcache_settings.WAGTAIL_CACHE_BACKEND]
    try:
        # Drops the query strings and cookies wagtail-cache ignores from the
        # request, as its FetchFromCacheMiddleware does further down.
        key = _get_cache_key(request, cache)
        response = cache.get(key) if key else None
    except DisallowedHost:
        return None  # the middleware below answers it with a 400
    except Exception:
        logger.exception("Could not fetch page from the page cache")
        return None
    if response is None:
        return None
    _patch_header(response, Status.HIT)
    _chop_response_vary(request, response)
    return response


class CachedPageMiddleware:
    """A visitor's hit from the page cache, before the middleware below it.

    It sits under the middleware whose headers every page carries (content
    and permissions policies, what a browser may keep), which apply to its
    hits as to any response; wagtail-cache's own middleware stays in place for
    everyone else (a visitor with a CSRF cookie) and stores every miss.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if wagtailcache_settings.WAGTAIL_CACHE and is_visitor_request(request):
            response = cached_page(request)
            if response is not None:
                return response
        return self.get_response(request)
