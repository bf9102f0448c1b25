"""Sign-in throttling: after a few wrong passwords a username is locked, for
one address, for a while."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory

from tests.page_helpers import text
from tests.wanderingsite.editorial_helpers import PASSWORD, make_user
from wanderingsite.middleware import client_ip

LOGIN = "/admin/login/"
ATTACKER = "203.0.113.7"


@pytest.fixture
def editor(db):
    return make_user("editor")


def _sign_in(client, password, *, address=ATTACKER, username="editor"):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address
    )


def _lock(client, settings, **kwargs):
    responses = [
        _sign_in(client, "wrong", **kwargs) for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    return responses[:-1], responses[-1]


def test_login_locks_after_the_failure_limit(client, editor, settings):
    """Wrong passwords get the form back until the limit; then a 429 that says why
    and for how long."""
    before, locked = _lock(client, settings)

    assert [r.status_code for r in before] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert locked.status_code == 429
    page = text(locked)
    assert "Too many failed sign-ins" in page
    assert f"After {settings.AXES_FAILURE_LIMIT} wrong passwords" in page
    assert "15 minutes" in page


def test_login_refuses_the_right_password_while_locked(client, editor, settings):
    """While locked, even the right password does not sign in."""
    _lock(client, settings)

    response = _sign_in(client, PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_login_cool_off_ends_the_lock(client, editor, settings):
    """Once the cool-off has passed, the right password signs in again."""
    _lock(client, settings)
    past = settings.AXES_COOLOFF_TIME + datetime.timedelta(minutes=1)
    for attempt in AccessAttempt.objects.all():
        AccessAttempt.objects.filter(pk=attempt.pk).update(
            attempt_time=attempt.attempt_time - past
        )

    response = _sign_in(client, PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_login_lock_leaves_other_addresses_alone(client, editor, settings):
    """A lock for one address does not stop the same user signing in from another."""
    _lock(client, settings)

    response = _sign_in(client, PASSWORD, address="198.51.100.20")

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_login_lock_leaves_other_usernames_alone(client, editor, settings):
    """Failures for one username do not lock another from the same address."""
    make_user("moderator")
    _lock(client, settings)

    response = _sign_in(client, PASSWORD, username="moderator")

    assert response.status_code == 302


def test_login_success_forgets_earlier_failures(client, editor, settings):
    """A right password resets the count, so later typos start from zero."""
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, "wrong")
    assert _sign_in(client, PASSWORD).status_code == 302
    client.logout()

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _sign_in(client, "wrong").status_code == 200


def test_login_lock_page_escapes_the_username(client, db, settings):
    """A username is shown on the lock page as text, never as markup."""
    username = "<img src=x onerror=alert(1)>"
    _, locked = _lock(client, settings, username=username)

    assert locked.status_code == 429
    html = locked.content.decode()
    assert username not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_second_admin_site_is_gone(client, db):
    """Django's own admin is not installed: the one sign-in form is Wagtail's."""
    assert client.get("/django-admin/").status_code == 404
    assert client.get("/django-admin/login/").status_code == 404


def test_client_ip_is_the_peer_without_trusted_proxies(settings):
    """With no trusted proxy, a forged X-Forwarded-For is ignored."""
    settings.TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().post(
        LOGIN, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1"
    )
    assert client_ip(request) == "127.0.0.1"


def test_client_ip_behind_trusted_proxies_is_what_the_outermost_saw(settings):
    """Behind one proxy, the address it appended counts, not what the client sent."""
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().post(
        LOGIN,
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7",
    )
    assert client_ip(request) == "203.0.113.7"
