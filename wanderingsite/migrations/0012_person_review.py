"""People go through the review pages go through.

Every person already in the archive becomes live with a first revision (the
public saw them before; nothing changes for it). Editors may lock a person;
Moderators may also publish and unlock. The "Editorial review" workflow of
0003 is assigned to people, so an editor's change waits for a moderator. Each
step is a get-or-create: running ``apply_person_review`` again changes nothing.
"""

from django.db import migrations
from django.utils import timezone
from modelcluster.models import get_serializable_data_for_fields

WORKFLOW_NAME = "Editorial review"
EDITOR_PERSON_PERMISSIONS = ["lock_person"]
MODERATOR_PERSON_PERMISSIONS = ["publish_person", "lock_person", "unlock_person"]


def _person_type(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="wanderingsite", model="person"
    )
    return content_type


def _publish_existing_people(apps, content_type):
    Person = apps.get_model("wanderingsite", "Person")
    Revision = apps.get_model("wagtailcore", "Revision")
    now = timezone.now()
    for person in Person.objects.filter(latest_revision__isnull=True):
        person.live = True
        person.has_unpublished_changes = False
        person.first_published_at = person.first_published_at or now
        person.last_published_at = now
        revision = Revision.objects.create(
            content_type=content_type,
            base_content_type=content_type,
            object_id=str(person.pk),
            created_at=now,
            object_str=person.name,
            content=get_serializable_data_for_fields(person),
        )
        person.latest_revision = person.live_revision = revision
        person.save()


def _grant(apps, group_name, codenames, content_type):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=group_name)
    for codename in codenames:
        action = codename.split("_", 1)[0]
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type,
            codename=codename,
            defaults={"name": f"Can {action} person or institution"},
        )
        group.permissions.add(permission)


def _assign_review_workflow(apps, content_type):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first()
    if workflow is not None:
        # A workflow an admin has since chosen for people is kept.
        WorkflowContentType.objects.get_or_create(
            content_type=content_type, defaults={"workflow": workflow}
        )


def apply_person_review(apps, schema_editor):
    content_type = _person_type(apps)
    _publish_existing_people(apps, content_type)
    _grant(apps, "Editors", EDITOR_PERSON_PERMISSIONS, content_type)
    _grant(apps, "Moderators", MODERATOR_PERSON_PERMISSIONS, content_type)
    _assign_review_workflow(apps, content_type)


class Migration(migrations.Migration):
    """People live with a first revision, their rights, and the review workflow."""

    dependencies = [
        ("wanderingsite", "0011_person_review_state"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    # Reversing keeps the revisions, rights and workflow: undoing 0010 drops
    # the columns that refer to them.
    operations = [migrations.RunPython(apply_person_review, migrations.RunPython.noop)]
