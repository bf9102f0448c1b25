"""Who may do what in the admin, written out as a table and tried through real URLs.

Each row is one admin action: opening the admin, or acting on a film page, an
image, a document, a tag or a person (people go through the same review as
pages: drafts, revisions, locks, the review workflow); each column a role.
"Once live" is a film a moderator has unpublished; "someone else's" image or
document was uploaded by a user in no group; "own" means uploaded by the user
acting. ``ALLOW`` means the admin shows the view (200) or the action takes
effect; ``DENY`` means the admin refuses (a redirect to the login page for
anonymous visitors, to the admin home with "Sorry, you do not have
permission" for signed-in users) and nothing changes. ``RIGHTS`` ties rows to
the rights the editorial groups hold, so that a right given to a group is
never untried.
"""

import itertools

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.urls import reverse
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page, TaskState

from tests.factories import make_film, make_person
from tests.wanderingsite.editorial_helpers import (
    GROUPS,
    client_for,
    make_user,
    person_url,
    post_edit,
    post_person_edit,
)
from wanderingsite.models import Person

ALLOW, DENY = "allow", "deny"
ROLES = ("anonymous", "editor", "moderator", "admin")

PERMISSIONS = {
    # action:          anonymous, editor, moderator, admin
    "open the admin": (DENY, ALLOW, ALLOW, ALLOW),
    "edit": (DENY, ALLOW, ALLOW, ALLOW),
    "preview": (DENY, ALLOW, ALLOW, ALLOW),
    "revisions": (DENY, ALLOW, ALLOW, ALLOW),
    "compare": (DENY, ALLOW, ALLOW, ALLOW),
    "history": (DENY, ALLOW, ALLOW, ALLOW),
    "copy": (DENY, ALLOW, ALLOW, ALLOW),
    "move": (DENY, DENY, ALLOW, ALLOW),
    "lock": (DENY, ALLOW, ALLOW, ALLOW),
    "unlock another's lock": (DENY, DENY, ALLOW, ALLOW),
    "publish": (DENY, DENY, ALLOW, ALLOW),
    "unpublish": (DENY, DENY, ALLOW, ALLOW),
    "delete a live page": (DENY, DENY, ALLOW, ALLOW),
    "delete a page that was once live": (DENY, DENY, ALLOW, ALLOW),
    "bulk delete a page that was once live": (DENY, DENY, ALLOW, ALLOW),
    "delete a page that was once live by the API": (DENY, DENY, ALLOW, ALLOW),
    "move a page that was once live": (DENY, DENY, ALLOW, ALLOW),
    "move a draft holding a page that was once live": (DENY, DENY, ALLOW, ALLOW),
    "delete a draft": (DENY, ALLOW, ALLOW, ALLOW),
    "delete a draft copy of a live page": (DENY, ALLOW, ALLOW, ALLOW),
    "move a draft": (DENY, ALLOW, ALLOW, ALLOW),
    "submit for review": (DENY, ALLOW, ALLOW, ALLOW),
    "approve": (DENY, DENY, ALLOW, ALLOW),
    "reject": (DENY, DENY, ALLOW, ALLOW),
    "tag list": (DENY, DENY, ALLOW, ALLOW),
    "tag edit": (DENY, DENY, ALLOW, ALLOW),
    "tag merge": (DENY, DENY, ALLOW, ALLOW),
    "add a tag": (DENY, DENY, ALLOW, ALLOW),
    "people list": (DENY, ALLOW, ALLOW, ALLOW),
    "add a person": (DENY, ALLOW, ALLOW, ALLOW),
    "edit a person": (DENY, ALLOW, ALLOW, ALLOW),
    "delete a person": (DENY, DENY, ALLOW, ALLOW),
    "person history": (DENY, ALLOW, ALLOW, ALLOW),
    "compare a person's revisions": (DENY, ALLOW, ALLOW, ALLOW),
    "submit a person for review": (DENY, ALLOW, ALLOW, ALLOW),
    "approve a person's change": (DENY, DENY, ALLOW, ALLOW),
    "reject a person's change": (DENY, DENY, ALLOW, ALLOW),
    "publish a person's change": (DENY, DENY, ALLOW, ALLOW),
    "add a person live at once": (DENY, DENY, ALLOW, ALLOW),
    "unpublish a person": (DENY, DENY, ALLOW, ALLOW),
    "lock a person": (DENY, ALLOW, ALLOW, ALLOW),
    "unlock another's lock on a person": (DENY, DENY, ALLOW, ALLOW),
    "upload an image": (DENY, ALLOW, ALLOW, ALLOW),
    "change own image": (DENY, ALLOW, ALLOW, ALLOW),
    "delete own image": (DENY, ALLOW, ALLOW, ALLOW),
    "change someone else's image": (DENY, DENY, ALLOW, ALLOW),
    "delete someone else's image": (DENY, DENY, ALLOW, ALLOW),
    "bulk delete someone else's image": (DENY, DENY, ALLOW, ALLOW),
    "delete someone else's image from the upload page": (DENY, DENY, ALLOW, ALLOW),
    "choose someone else's image": (DENY, ALLOW, ALLOW, ALLOW),
    "upload a document": (DENY, ALLOW, ALLOW, ALLOW),
    "change own document": (DENY, ALLOW, ALLOW, ALLOW),
    "delete own document": (DENY, ALLOW, ALLOW, ALLOW),
    "change someone else's document": (DENY, DENY, ALLOW, ALLOW),
    "delete someone else's document": (DENY, DENY, ALLOW, ALLOW),
    "bulk delete someone else's document": (DENY, DENY, ALLOW, ALLOW),
    "choose someone else's document": (DENY, ALLOW, ALLOW, ALLOW),
}

# The right of the editorial groups each row tries (approving and rejecting
# come with the review task, not with a right). A right a group is given that
# no row tries is one the table is silent about.
RIGHTS = {
    "wagtailadmin.access_admin": ("open the admin",),
    "wagtailcore.add_page": ("copy",),
    "wagtailcore.change_page": (
        "edit",
        "preview",
        "revisions",
        "compare",
        "history",
        "delete a draft",
        "delete a draft copy of a live page",
        "move a draft",
        "submit for review",
    ),
    "wagtailcore.lock_page": ("lock",),
    "wagtailcore.unlock_page": ("unlock another's lock",),
    "wagtailcore.publish_page": (
        "move",
        "publish",
        "unpublish",
        "delete a live page",
        "delete a page that was once live",
        "bulk delete a page that was once live",
        "delete a page that was once live by the API",
        "move a page that was once live",
        "move a draft holding a page that was once live",
    ),
    "wanderingsite.view_archivetag": ("tag list",),
    "wanderingsite.change_archivetag": ("tag edit", "tag merge"),
    "wanderingsite.add_archivetag": ("add a tag",),
    "wanderingsite.view_person": ("people list",),
    "wanderingsite.add_person": ("add a person",),
    "wanderingsite.change_person": (
        "edit a person",
        "person history",
        "compare a person's revisions",
        "submit a person for review",
    ),
    "wanderingsite.delete_person": ("delete a person",),
    "wanderingsite.publish_person": (
        "publish a person's change",
        "add a person live at once",
        "unpublish a person",
    ),
    "wanderingsite.lock_person": ("lock a person",),
    "wanderingsite.unlock_person": ("unlock another's lock on a person",),
    "wagtailimages.add_image": (
        "upload an image",
        "change own image",
        "delete own image",
    ),
    "wagtailimages.change_image": ("change someone else's image",),
    "wagtailimages.delete_image": (
        "delete someone else's image",
        "bulk delete someone else's image",
        "delete someone else's image from the upload page",
    ),
    "wagtailimages.choose_image": ("choose someone else's image",),
    "wagtaildocs.add_document": (
        "upload a document",
        "change own document",
        "delete own document",
    ),
    "wagtaildocs.change_document": ("change someone else's document",),
    "wagtaildocs.delete_document": (
        "delete someone else's document",
        "bulk delete someone else's document",
    ),
    "wagtaildocs.choose_document": ("choose someone else's document",),
}

CASES = [
    pytest.param(action, role, expected[ROLES.index(role)], id=f"{role}-{action}")
    for action, expected in PERMISSIONS.items()
    for role in ROLES
]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _refused(response, role) -> bool:
    """The admin's refusal: to the login page, or home with an error message."""
    if response.status_code != 302:
        return False
    location = response["Location"]
    if role == "anonymous":
        return location.startswith(reverse("wagtailadmin_login"))
    return location == reverse("wagtailadmin_home")


def _shown(client, url, role) -> str:
    response = client.get(url)
    if response.status_code == 200:
        return ALLOW
    assert _refused(response, role), (response.status_code, response.get("Location"))
    return DENY


def _page_url(name, page, *args):
    return reverse(f"wagtailadmin_pages:{name}", args=[page.pk, *args])


def _snippet_url(model, name, *args):
    return reverse(f"wagtailsnippets_wanderingsite_{model}:{name}", args=args)


def _tag_url(name, tag):
    return _snippet_url("archivetag", name, tag.pk)


def _bulk_url(app_label, model_name, action, obj):
    url = reverse("wagtail_bulk_action", args=[app_label, model_name, action])
    return f"{url}?id={obj.pk}"


def _exists(obj) -> bool:
    return type(obj).objects.filter(pk=obj.pk).exists()


def _deleted(client, url, obj) -> str:
    client.post(url)
    return DENY if _exists(obj) else ALLOW


def _once_live(archive):
    """The film, live until a moderator unpublished it: a draft with a past."""
    film = archive["film"]
    film.unpublish(user=make_user("moderator"))
    return film


def _draft_holding_once_live(archive):
    """A never-published film index holding a film that was live once."""
    films = archive["indexes"]["films"]
    drafts = films.get_parent().add_child(
        instance=type(films)(title="More films", slug="more-films", live=False)
    )
    film = make_film(drafts, title="Once shown")
    film.unpublish()
    return drafts


def _owner(role):
    """The user an "own" upload belongs to; nobody's for anonymous visitors."""
    return None if role == "anonymous" else make_user(role)


def _image(owner):
    return Image.objects.create(
        title="Poster", file=get_test_image_file(), uploaded_by_user=owner
    )


def _document(owner):
    return Document.objects.create(
        title="Press kit",
        file=ContentFile(b"Press kit", name="press-kit.txt"),
        uploaded_by_user=owner,
    )


def _uploaded(client, url, model, field, upload) -> str:
    before = model.objects.count()
    client.post(url, {"title": "Upload", field: upload, "collection": 1})
    return ALLOW if model.objects.count() > before else DENY


def _in_review(archive):
    """The film with a change the editor has submitted for review."""
    film, editor = archive["film"], make_user("editor")
    film.title = "The Wandering Earth (revised)"
    film.save_revision(user=editor)
    film.get_workflow().start(film, editor)
    return film, TaskState.objects.get(workflow_state__object_id=str(film.pk))


def _workflow_action(client, archive, action):
    film, task_state = _in_review(archive)
    url = _page_url("workflow_action", film, action, task_state.pk)
    client.post(url, {"comment": "Please cite the essay."})
    task_state.refresh_from_db()
    return task_state.status


def _person_in_review():
    """A person whose rename the editor has submitted for review."""
    person, editor = make_person("Liu Cixin"), make_user("editor")
    person.name = "Liu Cixin (revised)"
    person.save_revision(user=editor)
    person.get_workflow().start(person, editor)
    return person, TaskState.objects.get(workflow_state__object_id=str(person.pk))


def _person_workflow_action(client, action):
    person, task_state = _person_in_review()
    url = person_url("workflow_action", person.pk, action, task_state.pk)
    client.post(url, {"comment": "Spell it as the essay does."})
    task_state.refresh_from_db()
    return task_state.status


def _person_added_live(client) -> str:
    data = {"name": "Ng Yu-kwan", "slug": "ng-yu-kwan", "kind": "person"}
    client.post(person_url("add"), {**data, "action-publish": "1"})
    live = Person.objects.filter(slug="ng-yu-kwan", live=True).exists()
    return ALLOW if live else DENY


def act_on_person(action, client, role) -> str:
    person = make_person("Liu Cixin")
    match action:
        case "people list":
            return _shown(client, person_url("list"), role)
        case "add a person":
            return _shown(client, person_url("add"), role)
        case "edit a person":
            return _shown(client, person_url("edit", person.pk), role)
        case "delete a person":
            return _deleted(client, person_url("delete", person.pk), person)
        case "person history":
            return _shown(client, person_url("history", person.pk), role)
        case "compare a person's revisions":
            url = person_url("revisions_compare", person.pk, "earliest", "latest")
            return _shown(client, url, role)
        case "submit a person for review":
            post_person_edit(
                client, person, name="Liu Cixin 2", **{"action-submit": "1"}
            )
            return ALLOW if person.workflow_in_progress else DENY
        case "approve a person's change":
            status = _person_workflow_action(client, "approve")
            return ALLOW if status == TaskState.STATUS_APPROVED else DENY
        case "reject a person's change":
            status = _person_workflow_action(client, "reject")
            return ALLOW if status == TaskState.STATUS_REJECTED else DENY
        case "publish a person's change":
            post_person_edit(
                client, person, name="Liu Ci-xin", **{"action-publish": "1"}
            )
            person.refresh_from_db()
            return ALLOW if person.name == "Liu Ci-xin" else DENY
        case "add a person live at once":
            return _person_added_live(client)
        case "unpublish a person":
            client.post(person_url("unpublish", person.pk))
            person.refresh_from_db()
            return DENY if person.live else ALLOW
        case "lock a person":
            client.post(person_url("lock", person.pk))
            person.refresh_from_db()
            return ALLOW if person.locked else DENY
        case "unlock another's lock on a person":
            person.locked, person.locked_by = True, make_user("admin")
            if role == "admin":
                person.locked_by = make_user("moderator")
            person.save(update_fields=["locked", "locked_by"])
            client.post(person_url("unlock", person.pk))
            person.refresh_from_db()
            return DENY if person.locked else ALLOW
    raise AssertionError(f"no probe for {action!r}")


def act(action, client, role, archive) -> str:
    film = archive["film"]
    match action:
        case "open the admin":
            return _shown(client, reverse("wagtailadmin_home"), role)
        case "edit":
            return _shown(client, _page_url("edit", film), role)
        case "preview":
            return _shown(client, _page_url("view_draft", film), role)
        case "revisions":
            url = _page_url("revisions_view", film, film.latest_revision_id)
            return _shown(client, url, role)
        case "compare":
            url = reverse(
                "wagtailadmin_pages:revisions_compare",
                args=[film.pk, "earliest", "latest"],
            )
            return _shown(client, url, role)
        case "history":
            return _shown(client, _page_url("history", film), role)
        case "copy":
            return _shown(client, _page_url("copy", film), role)
        case "move":
            return _shown(client, _page_url("move", film), role)
        case "lock":
            client.post(_page_url("lock", film))
            film.refresh_from_db()
            return ALLOW if film.locked else DENY
        case "unlock another's lock":
            film.locked, film.locked_by = True, make_user("admin")
            film.save(update_fields=["locked", "locked_by"])
            if role == "admin":
                film.locked_by = make_user("moderator")
                film.save(update_fields=["locked_by"])
            client.post(_page_url("unlock", film))
            film.refresh_from_db()
            return DENY if film.locked else ALLOW
        case "publish":
            post_edit(client, film, title="Published title", **{"action-publish": "1"})
            published = Page.objects.get(pk=film.pk).title == "Published title"
            return ALLOW if published else DENY
        case "unpublish":
            client.post(_page_url("unpublish", film))
            film.refresh_from_db()
            return DENY if film.live else ALLOW
        case "delete a live page":
            return _deleted(client, _page_url("delete", film), film)
        case "delete a page that was once live":
            film = _once_live(archive)
            return _deleted(client, _page_url("delete", film), film)
        case "bulk delete a page that was once live":
            film = _once_live(archive)
            return _deleted(
                client, _bulk_url("wagtailcore", "page", "delete", film), film
            )
        case "delete a page that was once live by the API":
            film = _once_live(archive)
            url = reverse("wagtailadmin_api:pages:action", args=[film.pk, "delete"])
            return _deleted(client, url, film)
        case "move a page that was once live":
            return _shown(client, _page_url("move", _once_live(archive)), role)
        case "move a draft holding a page that was once live":
            drafts = _draft_holding_once_live(archive)
            return _shown(client, _page_url("move", drafts), role)
        case "delete a draft":
            draft = archive["draft"]
            return _deleted(client, _page_url("delete", draft), draft)
        case "delete a draft copy of a live page":
            copy = film.copy(
                to=film.get_parent(),
                update_attrs={"slug": "copy-of-film"},
                keep_live=False,
                user=_owner(role),
            )
            return _deleted(client, _page_url("delete", copy), copy)
        case "move a draft":
            return _shown(client, _page_url("move", archive["draft"]), role)
        case "submit for review":
            post_edit(client, film, title="Submitted title", **{"action-submit": "1"})
            film.refresh_from_db()
            return ALLOW if film.workflow_in_progress else DENY
        case "approve":
            status = _workflow_action(client, archive, "approve")
            return ALLOW if status == TaskState.STATUS_APPROVED else DENY
        case "reject":
            status = _workflow_action(client, archive, "reject")
            return ALLOW if status == TaskState.STATUS_REJECTED else DENY
        case "tag list":
            return _shown(client, _snippet_url("archivetag", "list"), role)
        case "tag edit":
            return _shown(client, _tag_url("edit", archive["tag"]), role)
        case "tag merge":
            return _shown(client, _tag_url("merge", archive["tag"]), role)
        case "add a tag":
            return _shown(client, _snippet_url("archivetag", "add"), role)
        case action if "person" in action or action == "people list":
            return act_on_person(action, client, role)
        case "upload an image":
            url = reverse("wagtailimages:add")
            png = get_test_image_file().file.getvalue()
            upload = SimpleUploadedFile("poster.png", png, content_type="image/png")
            return _uploaded(client, url, Image, "file", upload)
        case "change own image":
            url = reverse("wagtailimages:edit", args=[_image(_owner(role)).pk])
            return _shown(client, url, role)
        case "delete own image":
            image = _image(_owner(role))
            return _deleted(
                client, reverse("wagtailimages:delete", args=[image.pk]), image
            )
        case "change someone else's image":
            url = reverse("wagtailimages:edit", args=[_image(make_user("uploader")).pk])
            return _shown(client, url, role)
        case "delete someone else's image":
            image = _image(make_user("uploader"))
            return _deleted(
                client, reverse("wagtailimages:delete", args=[image.pk]), image
            )
        case "bulk delete someone else's image":
            image = _image(make_user("uploader"))
            url = _bulk_url("wagtailimages", "image", "delete", image)
            return _deleted(client, url, image)
        case "delete someone else's image from the upload page":
            image = _image(make_user("uploader"))
            url = reverse("wagtailimages:delete_multiple", args=[image.pk])
            return _deleted(client, url, image)
        case "choose someone else's image":
            image = _image(make_user("uploader"))
            url = reverse("wagtailimages_chooser:chosen", args=[image.pk])
            return _shown(client, url, role)
        case "upload a document":
            upload = ContentFile(b"Notes", name="notes.txt")
            return _uploaded(
                client, reverse("wagtaildocs:add"), Document, "file", upload
            )
        case "change own document":
            url = reverse("wagtaildocs:edit", args=[_document(_owner(role)).pk])
            return _shown(client, url, role)
        case "delete own document":
            document = _document(_owner(role))
            url = reverse("wagtaildocs:delete", args=[document.pk])
            return _deleted(client, url, document)
        case "change someone else's document":
            url = reverse(
                "wagtaildocs:edit", args=[_document(make_user("uploader")).pk]
            )
            return _shown(client, url, role)
        case "delete someone else's document":
            document = _document(make_user("uploader"))
            url = reverse("wagtaildocs:delete", args=[document.pk])
            return _deleted(client, url, document)
        case "bulk delete someone else's document":
            document = _document(make_user("uploader"))
            url = _bulk_url("wagtaildocs", "document", "delete", document)
            return _deleted(client, url, document)
        case "choose someone else's document":
            document = _document(make_user("uploader"))
            url = reverse("wagtaildocs_chooser:chosen", args=[document.pk])
            return _shown(client, url, role)
    raise AssertionError(f"no probe for {action!r}")


@pytest.mark.parametrize(("action", "role", "expected"), CASES)
def test_permission_table_is_enforced_by_the_admin(
    client, editorial_archive, action, role, expected
):
    """Each role is allowed or refused each admin action exactly as the table says."""
    client = client_for(client, role)

    assert act(action, client, role, editorial_archive) == expected


COLLECTION_APPS = ("wagtailimages", "wagtaildocs")


def _rights(group: str) -> set[str]:
    """Every right ``group`` holds that the admin asks for: on models, and on
    pages, collections or sites."""
    held = Permission.objects.filter(
        # Wagtail reads image and document rights from collections only; the
        # model-level ones its own first migrations gave the groups go unasked.
        Q(group__name=group) & ~Q(content_type__app_label__in=COLLECTION_APPS)
        | Q(grouppagepermission__group__name=group)
        | Q(groupcollectionpermission__group__name=group)
        | Q(groupsitepermission__group__name=group)
    )
    pairs = held.values_list("content_type__app_label", "codename")
    return {f"{app_label}.{codename}" for app_label, codename in pairs}


def test_permission_table_tries_every_right_the_editorial_groups_hold(db):
    """Every right Editors or Moderators hold has rows in the table, and those rows
    allow exactly the roles whose group holds it."""
    held = {role: _rights(group) for role, group in GROUPS.items()}

    assert set().union(*held.values()) == set(RIGHTS)
    for right, actions in RIGHTS.items():
        for action, role in itertools.product(actions, held):
            verdict = ALLOW if right in held[role] else DENY
            assert PERMISSIONS[action][ROLES.index(role)] == verdict, (right, action)


def test_permission_editors_cannot_publish_by_any_button(client, editorial_archive):
    """An editor pressing 'publish' saves a draft: the live page is unchanged."""
    client = client_for(client, "editor")
    film = editorial_archive["film"]

    post_edit(client, film, title="Sneaked in", **{"action-publish": "1"})

    film.refresh_from_db()
    assert film.title == "The Wandering Earth"
    assert film.get_latest_revision_as_object().title == "Sneaked in"
    assert film.has_unpublished_changes


def test_permission_tag_admin_is_not_in_editors_menu(client, editorial_archive):
    """The admin menu offers Tags to moderators but not to editors."""
    tags_url = _snippet_url("archivetag", "list")

    editor_home = client_for(client, "editor").get(reverse("wagtailadmin_home"))
    client.logout()
    moderator_home = client_for(client, "moderator").get(reverse("wagtailadmin_home"))

    assert tags_url not in editor_home.content.decode()
    assert tags_url in moderator_home.content.decode()


def test_permission_editors_are_offered_delete_only_for_never_published_pages(
    client, editorial_archive
):
    """The page explorer shows an editor Delete for a draft, not for a page that
    was once live."""
    film, draft = _once_live(editorial_archive), editorial_archive["draft"]
    films = editorial_archive["indexes"]["films"]
    client = client_for(client, "editor")

    listing = client.get(reverse("wagtailadmin_explore", args=[films.pk]))

    assert _page_url("delete", draft) in listing.content.decode()
    assert _page_url("delete", film) not in listing.content.decode()
