"""The data migration that leaves Editors the images and documents they uploaded."""

import importlib

from django.apps import apps as global_apps
from django.contrib.auth.models import Group, Permission
from wagtail.models import Collection, GroupCollectionPermission

migration = importlib.import_module(
    "wanderingsite.migrations.0006_editors_change_own_uploads_only"
)


def _rights(group: str) -> set[str]:
    return set(
        GroupCollectionPermission.objects.filter(group__name=group).values_list(
            "permission__codename", flat=True
        )
    )


def _grant_as_0003_used_to():
    editors, root = Group.objects.get(name="Editors"), Collection.get_first_root_node()
    for codename in ("change_image", "change_document"):
        GroupCollectionPermission.objects.get_or_create(
            group=editors,
            collection=root,
            permission=Permission.objects.get(codename=codename),
        )


def test_migration_uploads_editors_add_and_choose_moderators_everything(db):
    """After migrate: Editors add and choose; Moderators also change and delete."""
    assert _rights("Editors") == {
        "add_image",
        "choose_image",
        "add_document",
        "choose_document",
    }
    assert _rights("Moderators") == {
        f"{action}_{model}"
        for action in ("add", "change", "choose", "delete")
        for model in ("image", "document")
    }


def test_migration_uploads_takes_change_of_all_uploads_from_editors(db):
    """On a database migrated before it, Editors lose change (and so delete) on
    every upload, and only that; Moderators keep theirs."""
    _grant_as_0003_used_to()
    moderators = _rights("Moderators")

    migration.revoke_change_of_others_uploads(global_apps, None)

    assert "change_image" not in _rights("Editors")
    assert "change_document" not in _rights("Editors")
    assert {"add_image", "choose_image"} <= _rights("Editors")
    assert _rights("Moderators") == moderators


def test_migration_uploads_reversed_gives_the_old_rights_back(db):
    """Reversing it grants Editors change on every upload again, as 0003 did."""
    migration.restore_change_of_all_uploads(global_apps, None)

    assert {"change_image", "change_document"} <= _rights("Editors")


def test_migration_uploads_run_twice_changes_nothing(db):
    """Applying it again leaves every right as it was."""
    before = sorted(
        GroupCollectionPermission.objects.values_list(
            "group__name", "collection_id", "permission__codename"
        )
    )

    migration.revoke_change_of_others_uploads(global_apps, None)

    after = sorted(
        GroupCollectionPermission.objects.values_list(
            "group__name", "collection_id", "permission__codename"
        )
    )
    assert after == before
