"""Local users for trying the admin: ``admin``, ``editor`` and ``moderator``.

For one machine only. It refuses to run unless the settings allow local users
(``LOCAL_USERS``: the dev settings, and the local settings ``make run`` serves
with); there is no override, so production settings can never create users.
Passwords are random and printed once; a user that already exists is left
alone, password and all.
"""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

LOCAL_USERS = [
    # username, group, superuser
    ("admin", None, True),
    ("editor", "Editors", False),
    ("moderator", "Moderators", False),
]


class Command(BaseCommand):
    help = (
        "Create the local users admin, editor and moderator with random passwords "
        "(printed once). Only where the settings allow local users (dev, local); "
        "existing users are left unchanged."
    )

    def handle(self, *args, **options):
        if not settings.LOCAL_USERS:
            raise CommandError(
                "Refusing to create users: these settings do not allow local users "
                "(LOCAL_USERS is off, as in production). Local users are for one "
                "machine only; create real accounts with 'createsuperuser' and the "
                "admin's user management."
            )
        User = get_user_model()
        created = existing = 0
        with transaction.atomic():
            for username, group_name, is_superuser in LOCAL_USERS:
                if User.objects.filter(username=username).exists():
                    existing += 1
                    self.stdout.write(
                        f"{username}: exists already; its password is unchanged."
                    )
                    continue
                group = None
                if group_name:
                    group = Group.objects.filter(name=group_name).first()
                    if group is None:
                        raise CommandError(
                            f"The group {group_name!r} is missing: run 'migrate' first."
                        )
                password = secrets.token_urlsafe(12)
                user = User.objects.create_user(
                    username=username,
                    email=f"{username}@localhost",
                    password=password,
                    first_name=username.capitalize(),
                    is_staff=is_superuser,
                    is_superuser=is_superuser,
                )
                if group:
                    user.groups.add(group)
                created += 1
                role = "superuser" if is_superuser else f"in {group_name}"
                self.stdout.write(
                    f"{username} ({role}): password {password}  (shown only now)"
                )
        self.stdout.write(
            self.style.SUCCESS(
                f"Local users: {created} created, {existing} already existed."
            )
        )
