"""``/healthz``: whether this server can answer, for a proxy or a monitor."""

import logging

from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


def _database_answers() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def _cache_answers(alias: str) -> bool:
    cache = caches[alias]
    cache.set("healthz", "ok", timeout=10)
    return cache.get("healthz") == "ok"


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """200 "ok" when the database and the caches answer, else 503: the reason
    goes to the log, never to the public."""
    checks = {
        "database": _database_answers,
        "cache": lambda: _cache_answers("default"),
        "page cache": lambda: _cache_answers("pagecache"),
    }
    failed = []
    for name, check in checks.items():
        try:
            if not check():
                failed.append(name)
        except Exception:
            logger.exception("Health check: the %s does not answer", name)
            failed.append(name)
    if failed:
        logger.error("Health check failed: %s", ", ".join(failed))
        return HttpResponse("unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
