"""Editors change and delete only the images and documents they uploaded.

Wagtail's collection permission policy treats "delete" as "change", so the
right to change every image that 0003 used to grant Editors let them delete
images and documents anyone had uploaded. Without it, Wagtail's ownership
rule still lets them change and delete their own uploads (their "add"
right), and choose any. Moderators keep change and delete on everything.
"""

from django.db import migrations

REVOKED = [("wagtailimages", "change_image"), ("wagtaildocs", "change_document")]


def _editors_rights(apps):
    GroupCollectionPermission = apps.get_model(
        "wagtailcore", "GroupCollectionPermission"
    )
    Collection = apps.get_model("wagtailcore", "Collection")
    root = Collection.objects.filter(depth=1).order_by("path").first()
    return GroupCollectionPermission.objects.filter(
        group__name="Editors", collection=root
    )


def revoke_change_of_others_uploads(apps, schema_editor):
    for app_label, codename in REVOKED:
        _editors_rights(apps).filter(
            permission__content_type__app_label=app_label,
            permission__codename=codename,
        ).delete()


def restore_change_of_all_uploads(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Collection = apps.get_model("wagtailcore", "Collection")
    Permission = apps.get_model("auth", "Permission")
    GroupCollectionPermission = apps.get_model(
        "wagtailcore", "GroupCollectionPermission"
    )
    editors = Group.objects.filter(name="Editors").first()
    root = Collection.objects.filter(depth=1).order_by("path").first()
    if editors is None or root is None:
        return
    for app_label, codename in REVOKED:
        permission = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if permission is not None:
            GroupCollectionPermission.objects.get_or_create(
                group=editors, collection=root, permission=permission
            )


class Migration(migrations.Migration):
    dependencies = [("wanderingsite", "0005_site_address_from_base_url")]

    operations = [
        migrations.RunPython(
            revoke_change_of_others_uploads, restore_change_of_all_uploads
        )
    ]
