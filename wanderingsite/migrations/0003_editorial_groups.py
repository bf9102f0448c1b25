"""The editorial model: who may do what, and the review every change goes through.

Wagtail's own first migration already made groups called "Editors" and
"Moderators" with page rights on the tree's root; they are reused here and
their page rights are moved to the archive's home page, so the admin's page
explorer opens on the archive. Every step is a get-or-create: running
``apply_editorial_model`` again changes nothing.
"""

from django.db import migrations

WORKFLOW_NAME = "Editorial review"
# Wagtail's own migrations made this task (Moderators only); it is reused.
TASK_NAME = "Moderators approval"

EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "lock_page"]
MODERATOR_PAGE_PERMISSIONS = [
    "add_page",
    "change_page",
    "publish_page",
    "lock_page",
    "unlock_page",
]

# Wagtail lets whoever may change an image or document delete it too, and
# lets whoever may add them change and delete their own: Editors add and
# choose, and so change and delete only what they uploaded (see 0006).
EDITOR_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "image", ["add_image", "choose_image"]),
    ("wagtaildocs", "document", ["add_document", "choose_document"]),
]
MODERATOR_COLLECTION_PERMISSIONS = [
    (
        "wagtailimages",
        "image",
        ["add_image", "change_image", "choose_image", "delete_image"],
    ),
    (
        "wagtaildocs",
        "document",
        ["add_document", "change_document", "choose_document", "delete_document"],
    ),
]

EDITOR_MODEL_PERMISSIONS = [
    ("wagtailadmin", "admin", ["access_admin"]),
    ("wanderingsite", "person", ["add_person", "change_person", "view_person"]),
]
MODERATOR_MODEL_PERMISSIONS = [
    ("wagtailadmin", "admin", ["access_admin"]),
    (
        "wanderingsite",
        "person",
        ["add_person", "change_person", "delete_person", "view_person"],
    ),
    (
        "wanderingsite",
        "archivetag",
        ["add_archivetag", "change_archivetag", "view_archivetag"],
    ),
]
VERBOSE_NAMES = {"person": "person or institution", "archivetag": "tag"}


def _permission(apps, app_label, model, codename):
    """The permission row, made here when ``post_migrate`` has not run yet."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(
        app_label=app_label, model=model
    )
    action = codename.split("_", 1)[0]
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename=codename,
        defaults={"name": f"Can {action} {VERBOSE_NAMES.get(model, model)}"},
    )
    return permission


def _grant_model_permissions(apps, group, grants):
    for app_label, model, codenames in grants:
        for codename in codenames:
            group.permissions.add(_permission(apps, app_label, model, codename))


def _grant_collection_permissions(apps, group, collection, grants):
    GroupCollectionPermission = apps.get_model(
        "wagtailcore", "GroupCollectionPermission"
    )
    for app_label, model, codenames in grants:
        for codename in codenames:
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=collection,
                permission=_permission(apps, app_label, model, codename),
            )


def _grant_page_permissions(apps, group, page, root, codenames):
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    for codename in codenames:
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=page,
            permission=_permission(apps, "wagtailcore", "page", codename),
        )
    if root is not None and root.pk != page.pk:
        # Rights on the root reach past the archive; the home page is enough.
        GroupPagePermission.objects.filter(group=group, page=root).delete()


def _review_workflow(apps, moderators, home):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task, _ = GroupApprovalTask.objects.get_or_create(
        name=TASK_NAME, defaults={"content_type": task_type, "active": True}
    )
    task.groups.add(moderators)
    workflow, _ = Workflow.objects.get_or_create(
        name=WORKFLOW_NAME, defaults={"active": True}
    )
    WorkflowTask.objects.get_or_create(
        workflow=workflow, task=task, defaults={"sort_order": 0}
    )
    if home is not None:
        # A workflow an admin has since chosen for the home page is kept.
        WorkflowPage.objects.get_or_create(page=home, defaults={"workflow": workflow})


def apply_editorial_model(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Collection = apps.get_model("wagtailcore", "Collection")

    editors, _ = Group.objects.get_or_create(name="Editors")
    moderators, _ = Group.objects.get_or_create(name="Moderators")

    root = Page.objects.filter(depth=1).order_by("path").first()
    site = Site.objects.filter(is_default_site=True).first()
    home = Page.objects.filter(pk=site.root_page_id).first() if site else None
    if home is not None:
        _grant_page_permissions(apps, editors, home, root, EDITOR_PAGE_PERMISSIONS)
        _grant_page_permissions(
            apps, moderators, home, root, MODERATOR_PAGE_PERMISSIONS
        )

    _grant_model_permissions(apps, editors, EDITOR_MODEL_PERMISSIONS)
    _grant_model_permissions(apps, moderators, MODERATOR_MODEL_PERMISSIONS)

    collection = Collection.objects.filter(depth=1).order_by("path").first()
    if collection is not None:
        _grant_collection_permissions(
            apps, editors, collection, EDITOR_COLLECTION_PERMISSIONS
        )
        _grant_collection_permissions(
            apps, moderators, collection, MODERATOR_COLLECTION_PERMISSIONS
        )

    _review_workflow(apps, moderators, home)


class Migration(migrations.Migration):
    """The Editors and Moderators groups and the review workflow."""

    dependencies = [
        ("wanderingsite", "0002_create_homepage"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    # Reversing keeps the groups and rights: users may depend on them by now.
    operations = [
        migrations.RunPython(apply_editorial_model, migrations.RunPython.noop)
    ]
