"""Anonymous reads from a PostgreSQL replica; the admin and every write on the primary.

With ``DATABASE_REPLICA_URL`` set, ``ReplicaMiddleware`` marks a request as a
public read (``GET`` or ``HEAD``, outside the admin, without a session: a
visitor, not an editor who must see their own changes) and the router sends
that request's reads to the ``replica`` database. A replica that does not
answer is left alone for ``REPLICA_RETRY_SECONDS``: reads go to the primary,
and a page that failed on it is built again on the primary.
"""

from __future__ import annotations

import logging
import time
from contextvars import ContextVar

from django.conf import settings
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse

from .middleware import is_admin_request

REPLICA = "replica"
PRIMARY = "default"
logger = logging.getLogger(__name__)
_reads_from: ContextVar[str] = ContextVar("reads_from", default=PRIMARY)
_replica_down_until = 0.0


class ReplicaRouter:
    """Reads where the request may read; writes and migrations on the primary."""

    def db_for_read(self, model, **hints) -> str:
        return _reads_from.get()

    def db_for_write(self, model, **hints) -> str:
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the replica holds the primary's rows

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == PRIMARY


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def _is_public_read(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not is_admin_request(request)
    )


def _replica_answers() -> bool:
    """Whether the replica takes a query now; a failure is remembered a while."""
    global _replica_down_until
    if time.monotonic() < _replica_down_until:
        return False
    try:
        # Opening a cursor runs the connection's health check (CONN_HEALTH_CHECKS)
        # and reconnects a dropped connection.
        with connections[REPLICA].cursor():
            return True
    except DatabaseError:
        _mark_replica_down()
        return False


def _mark_replica_down() -> None:
    global _replica_down_until
    _replica_down_until = time.monotonic() + settings.REPLICA_RETRY_SECONDS
    connections[REPLICA].close()
    logger.warning(
        "The replica does not answer: reading from the primary for %s s",
        settings.REPLICA_RETRY_SECONDS,
    )


class ReplicaMiddleware:
    """Send a public read's queries to the replica while it answers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        use_replica = (
            replica_configured() and _is_public_read(request) and _replica_answers()
        )
        token = _reads_from.set(REPLICA if use_replica else PRIMARY)
        request.reads_from_replica = use_replica
        try:
            return self.get_response(request)
        finally:
            _reads_from.reset(token)

    def process_exception(self, request: HttpRequest, exception: Exception):
        """A page that failed because the replica went away is built on the primary."""
        if not getattr(request, "reads_from_replica", False):
            return None
        if not isinstance(exception, DatabaseError) or _replica_answers():
            return None
        request.reads_from_replica = False
        token = _reads_from.set(PRIMARY)
        try:
            return self.get_response(request)
        finally:
            _reads_from.reset(token)
