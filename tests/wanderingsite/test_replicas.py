"""Visitors read from the replica, editors and every write use the primary, and a
replica that stops answering sends reads back to the primary."""

import pytest
from django.db import OperationalError
from django.http import HttpResponse
from django.test import RequestFactory
from wagtail.models import Page

from wanderingsite import replicas

ROUTER = replicas.ReplicaRouter()


@pytest.fixture
def replica(monkeypatch):
    """A configured replica; ``replica.answers`` says whether it takes queries."""
    state = type("Replica", (), {"answers": True})()
    monkeypatch.setattr(replicas, "replica_configured", lambda: True)
    monkeypatch.setattr(replicas, "_replica_answers", lambda: state.answers)
    return state


def _reads_during(request, view=None) -> list[str]:
    """Where ``request``'s reads went, as the router saw them inside the view."""
    seen = []

    def record(request):
        seen.append(ROUTER.db_for_read(Page))
        return view(request) if view else HttpResponse("ok")

    replicas.ReplicaMiddleware(record)(request)
    return seen


@pytest.mark.parametrize("method", ["get", "head"])
def test_replica_serves_a_visitors_reads(replica, method):
    request = getattr(RequestFactory(), method)("/films/")
    assert _reads_during(request) == [replicas.REPLICA]


@pytest.mark.parametrize(
    "request_",
    [
        RequestFactory().post("/search/"),
        RequestFactory().get("/admin/pages/"),
        RequestFactory().get("/films/", HTTP_COOKIE="sessionid=abc"),
    ],
    ids=["a-post", "the-admin", "a-signed-in-editor"],
)
def test_replica_never_serves_writes_the_admin_or_editors(replica, request_):
    """An editor reads the primary, so they see their own change at once."""
    assert _reads_during(request_) == [replicas.PRIMARY]


def test_replica_never_serves_a_preview(replica):
    request = RequestFactory().get("/films/")
    request.is_preview = True
    assert _reads_during(request) == [replicas.PRIMARY]


def test_replica_that_does_not_answer_sends_reads_to_the_primary(replica):
    replica.answers = False
    assert _reads_during(RequestFactory().get("/films/")) == [replicas.PRIMARY]


def test_replica_down_is_not_asked_again_for_a_while(settings, monkeypatch):
    """After a failure the replica is left alone for REPLICA_RETRY_SECONDS."""
    monkeypatch.setattr(replicas, "replica_configured", lambda: True)
    monkeypatch.setattr(replicas, "_replica_down_until", 0.0)
    settings.REPLICA_RETRY_SECONDS = 60
    attempts = []

    class DeadReplica:
        def cursor(self):
            attempts.append(1)
            raise OperationalError("the replica is gone")

        def close(self):
            pass

    monkeypatch.setattr(replicas, "connections", {replicas.REPLICA: DeadReplica()})
    for _ in range(3):
        assert _reads_during(RequestFactory().get("/films/")) == [replicas.PRIMARY]
    assert len(attempts) == 1


def test_replica_failure_during_a_page_rebuilds_it_on_the_primary(replica):
    """A page whose replica went away mid-request is built again on the primary."""
    middleware = replicas.ReplicaMiddleware(None)
    reads = []

    def view(request):
        reads.append(ROUTER.db_for_read(Page))
        if len(reads) == 1:
            replica.answers = False
            raise OperationalError("terminating connection")
        return HttpResponse("built on the primary")

    def dispatch(request):
        try:
            return view(request)
        except OperationalError as error:
            return middleware.process_exception(request, error)

    middleware.get_response = dispatch
    response = middleware(RequestFactory().get("/films/"))

    assert reads == [replicas.REPLICA, replicas.PRIMARY]
    assert response.content == b"built on the primary"


def test_replica_takes_no_writes_or_migrations():
    assert ROUTER.db_for_write(Page) == replicas.PRIMARY
    assert ROUTER.allow_migrate(replicas.REPLICA, "wagtailcore") is False
    assert ROUTER.allow_migrate(replicas.PRIMARY, "wagtailcore") is True


def test_replica_unset_reads_from_the_primary():
    """Without DATABASE_REPLICA_URL everything reads from the one database."""
    assert replicas.replica_configured() is False
    assert _reads_during(RequestFactory().get("/films/")) == [replicas.PRIMARY]
