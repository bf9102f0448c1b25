"""Who may do what in the admin, written out as a table and tried through real URLs.

Each row is one admin action on a live film page (or the tag admin); each
column a role. ``ALLOW`` means the admin shows the view (200) or the action
takes effect; ``DENY`` means the admin refuses (a redirect to the login page
for anonymous visitors, to the admin home with "Sorry, you do not have
permission" for signed-in users) and nothing changes.
"""

import pytest
from django.urls import reverse
from wagtail.models import Page, TaskState

from tests.wanderingsite.editorial_helpers import (
    client_for,
    make_user,
    post_edit,
)

ALLOW, DENY = "allow", "deny"
ROLES = ("anonymous", "editor", "moderator", "admin")

PERMISSIONS = {
    # action:          anonymous, editor, moderator, admin
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
    "delete a draft": (DENY, ALLOW, ALLOW, ALLOW),
    "submit for review": (DENY, ALLOW, ALLOW, ALLOW),
    "approve": (DENY, DENY, ALLOW, ALLOW),
    "reject": (DENY, DENY, ALLOW, ALLOW),
    "tag list": (DENY, DENY, ALLOW, ALLOW),
    "tag edit": (DENY, DENY, ALLOW, ALLOW),
    "tag merge": (DENY, DENY, ALLOW, ALLOW),
}

CASES = [
    pytest.param(action, role, expected[ROLES.index(role)], id=f"{role}-{action}")
    for action, expected in PERMISSIONS.items()
    for role in ROLES
]


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


def _tag_url(name, tag):
    return reverse(f"wagtailsnippets_wanderingsite_archivetag:{name}", args=[tag.pk])


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


def act(action, client, role, archive) -> str:
    film = archive["film"]
    match action:
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
            client.post(_page_url("delete", film))
            return DENY if Page.objects.filter(pk=film.pk).exists() else ALLOW
        case "delete a draft":
            draft = archive["draft"]
            client.post(_page_url("delete", draft))
            return DENY if Page.objects.filter(pk=draft.pk).exists() else ALLOW
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
            url = reverse("wagtailsnippets_wanderingsite_archivetag:list")
            return _shown(client, url, role)
        case "tag edit":
            return _shown(client, _tag_url("edit", archive["tag"]), role)
        case "tag merge":
            return _shown(client, _tag_url("merge", archive["tag"]), role)
    raise AssertionError(f"no probe for {action!r}")


@pytest.mark.parametrize(("action", "role", "expected"), CASES)
def test_permission_table_is_enforced_by_the_admin(
    client, editorial_archive, action, role, expected
):
    """Each role is allowed or refused each admin action exactly as the table says."""
    client = client_for(client, role)

    assert act(action, client, role, editorial_archive) == expected


def test_permission_table_has_a_verdict_for_every_role():
    """The table is complete: every action names allow or deny for all four roles."""
    for action, verdicts in PERMISSIONS.items():
        assert len(verdicts) == len(ROLES), action
        assert set(verdicts) <= {ALLOW, DENY}, action


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
    tags_url = reverse("wagtailsnippets_wanderingsite_archivetag:list")

    editor_home = client_for(client, "editor").get(reverse("wagtailadmin_home"))
    client.logout()
    moderator_home = client_for(client, "moderator").get(reverse("wagtailadmin_home"))

    assert tags_url not in editor_home.content.decode()
    assert tags_url in moderator_home.content.decode()
