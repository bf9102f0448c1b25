"""``/healthz``: up or not, for a proxy or a monitor, and nothing more."""

import pytest
from django.db import OperationalError

from wanderingsite import health


def test_healthz_answers_ok_when_database_and_caches_answer(client, db):
    """200 and a plain "ok", never to be cached anywhere."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-store" in response["Cache-Control"]


def test_healthz_answers_head_requests(client, db):
    assert client.head("/healthz").status_code == 200


def test_healthz_refuses_writes(client, db):
    assert client.post("/healthz").status_code == 405


@pytest.mark.parametrize("part", ["_database_answers", "_cache_answers"])
def test_healthz_is_503_without_details_when_a_part_fails(
    client, db, monkeypatch, part
):
    """A failing database or cache gives 503; what failed goes to the log only."""

    def fail(*args):
        raise OperationalError("connection to 10.0.0.5 refused: password for 'web'")

    monkeypatch.setattr(health, part, fail)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"unavailable\n"
