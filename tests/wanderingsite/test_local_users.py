"""create_local_users: three local accounts, passwords shown once, never in prod."""

import re
from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.test import RequestFactory


def _run() -> str:
    out = StringIO()
    call_command("create_local_users", stdout=out)
    return out.getvalue()


def _login_request():
    # Sign-in throttling reads the address of the request that signs in.
    return RequestFactory().post("/admin/login/")


def _passwords(output: str) -> dict[str, str]:
    return dict(re.findall(r"^(\w+) \(.*?\): password (\S+)", output, re.MULTILINE))


@pytest.fixture
def local_users_allowed(settings):
    settings.LOCAL_USERS = True


def test_local_users_created_in_their_roles(db, local_users_allowed):
    """admin is a superuser, editor an Editor, moderator a Moderator."""
    _run()

    users = {user.username: user for user in get_user_model().objects.all()}
    assert users["admin"].is_superuser and users["admin"].is_staff
    assert [g.name for g in users["editor"].groups.all()] == ["Editors"]
    assert [g.name for g in users["moderator"].groups.all()] == ["Moderators"]
    assert not users["editor"].is_superuser
    assert not users["moderator"].is_superuser


def test_local_users_printed_passwords_work(db, local_users_allowed):
    """Each printed password logs its user in; the three are different."""
    passwords = _passwords(_run())

    assert sorted(passwords) == ["admin", "editor", "moderator"]
    assert len(set(passwords.values())) == 3
    for username, password in passwords.items():
        assert (
            authenticate(_login_request(), username=username, password=password)
            is not None
        )


def test_local_users_rerun_keeps_passwords(db, local_users_allowed):
    """A second run changes no password, prints none and says the users exist."""
    first = _passwords(_run())

    second = _run()

    assert _passwords(second) == {}
    assert "admin: exists already; its password is unchanged." in second
    assert "0 created, 3 already existed" in second
    for username, password in first.items():
        assert (
            authenticate(_login_request(), username=username, password=password)
            is not None
        )


def test_local_users_refused_where_settings_do_not_allow_them(db, settings):
    """Where LOCAL_USERS is off (production settings) the command refuses and
    creates nobody."""
    settings.LOCAL_USERS = False

    with pytest.raises(CommandError, match="Refusing to create users"):
        _run()

    assert not get_user_model().objects.exists()
