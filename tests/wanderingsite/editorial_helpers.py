"""Users in each editorial role, and a small archive to act on, for tests."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from tests.factories import archive_indexes, make_essay, make_event, make_film

PASSWORD = "local-test-password"  # noqa: S105


def make_user(role: str):
    """A user in role ``editor``, ``moderator`` or ``admin`` (a superuser)."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=role, defaults={"email": f"{role}@example.com", "first_name": role}
    )
    if created:
        user.set_password(PASSWORD)
        user.is_superuser = user.is_staff = role == "admin"
        user.save()
        group = {"editor": "Editors", "moderator": "Moderators"}.get(role)
        if group:
            user.groups.add(Group.objects.get(name=group))
    return user


def client_for(client, role: str):
    """``client`` logged in as ``role``; ``anonymous`` leaves it logged out."""
    if role != "anonymous":
        client.force_login(make_user(role))
    return client


def small_archive(home, *, tags=()):
    """One live film, essay and event under ``home``, each with ``tags``."""
    idx = archive_indexes(home)
    film = make_film(idx["films"], tags=tags, title="The Wandering Earth")
    event = make_event(idx["timeline"], tags=tags, films=[film], title="Quota eased")
    essay = make_essay(
        idx["essays"],
        tags=tags,
        films=[film],
        events=[event],
        title="Planet in peril",
        paragraphs=(
            "Some 7,000 people worked on the film.",
            "It took over $600 million at home.",
        ),
    )
    return {"indexes": idx, "film": film, "event": event, "essay": essay}
