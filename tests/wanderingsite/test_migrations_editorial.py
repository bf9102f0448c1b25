"""The editorial data migration: groups, rights and workflow exist, and re-running it
changes nothing."""

import importlib

from django.apps import apps as global_apps
from django.contrib.auth.models import Group, Permission
from wagtail.models import (
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
)

from tests.factories import archive_indexes, make_film

migration = importlib.import_module("wanderingsite.migrations.0003_editorial_groups")


def _snapshot() -> dict:
    return {
        "groups": sorted(Group.objects.values_list("name", flat=True)),
        "model": sorted(
            Group.objects.values_list("name", "permissions__codename").distinct()
        ),
        "page": sorted(
            GroupPagePermission.objects.values_list(
                "group__name", "page_id", "permission__codename"
            )
        ),
        "collection": sorted(
            GroupCollectionPermission.objects.values_list(
                "group__name", "collection_id", "permission__codename"
            )
        ),
        "permissions": Permission.objects.count(),
        "workflows": sorted(Workflow.objects.values_list("name", "active")),
        "workflow_pages": sorted(WorkflowPage.objects.values_list("page", "workflow")),
        "tasks": sorted(GroupApprovalTask.objects.values_list("name", "groups__name")),
    }


def _page_rights(group, page):
    return sorted(
        GroupPagePermission.objects.filter(group__name=group, page=page).values_list(
            "permission__codename", flat=True
        )
    )


def test_migration_groups_exist_once(db):
    """Editors and Moderators exist after migrate, each exactly once."""
    names = list(Group.objects.values_list("name", flat=True))

    assert names.count("Editors") == 1
    assert names.count("Moderators") == 1


def test_migration_page_rights_on_the_archive(home_page):
    """Editors add, change and lock; Moderators also publish and unlock; on home."""
    root = Page.get_first_root_node()

    assert _page_rights("Editors", home_page) == [
        "add_page",
        "change_page",
        "lock_page",
    ]
    assert _page_rights("Moderators", home_page) == [
        "add_page",
        "change_page",
        "lock_page",
        "publish_page",
        "unlock_page",
    ]
    assert _page_rights("Editors", root) == []
    assert _page_rights("Moderators", root) == []


def test_migration_model_and_collection_rights(db):
    """People for both, tags for Moderators only; image deletion for Moderators."""
    editors = set(
        Group.objects.get(name="Editors").permissions.values_list("codename", flat=True)
    )
    moderators = set(
        Group.objects.get(name="Moderators").permissions.values_list(
            "codename", flat=True
        )
    )
    assert {"access_admin", "add_person", "change_person"} <= editors
    assert not {c for c in editors if c.endswith("archivetag")}
    assert {"add_archivetag", "change_archivetag", "view_archivetag"} <= moderators
    assert "delete_archivetag" not in moderators
    delete_image = GroupCollectionPermission.objects.filter(
        permission__codename="delete_image"
    )
    assert list(delete_image.values_list("group__name", flat=True)) == ["Moderators"]


def test_migration_review_workflow_governs_the_archive(home_page):
    """'Editorial review' with the Moderators' approval task covers every page."""
    workflow = Workflow.objects.get(name="Editorial review")
    [task] = [t.specific for t in workflow.tasks]

    assert workflow.active
    assert list(task.groups.values_list("name", flat=True)) == ["Moderators"]
    assert WorkflowPage.objects.get(page=home_page).workflow == workflow
    film = make_film(archive_indexes(home_page)["films"])
    assert film.get_workflow() == workflow


def test_migration_run_twice_changes_nothing(db):
    """Applying the migration's function again leaves every row as it was."""
    before = _snapshot()

    migration.apply_editorial_model(global_apps, None)
    migration.apply_editorial_model(global_apps, None)

    assert _snapshot() == before


def test_migration_keeps_a_workflow_an_admin_chose(home_page):
    """A re-run does not replace the home page's workflow if an admin changed it."""
    chosen = Workflow.objects.create(name="Two-step review")
    WorkflowPage.objects.filter(page=home_page).update(workflow=chosen)

    migration.apply_editorial_model(global_apps, None)

    assert WorkflowPage.objects.get(page=home_page).workflow == chosen
