"""The review every editor's change goes through, driven through the admin."""

import datetime
from unittest import mock

from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, PageLogEntry, TaskState, WorkflowState

from tests.wanderingsite.editorial_helpers import (
    client_for,
    form_data,
    post_edit,
)

COMMENT = "Please cite the essay for the box-office figure."


def _submit_new_film(client, films_index, title="Shadow of the Sun", **extra):
    """An editor fills in the add-film form and presses 'Submit to review'."""
    url = reverse("wagtailadmin_pages:add", args=["films", "filmpage", films_index.pk])
    data = form_data(client.get(url).content.decode())
    data.update(
        title=[title],
        slug=["shadow-of-the-sun"],
        **{"action-submit": ["1"]},
        **{name: [value] for name, value in extra.items()},
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Page.objects.get(slug="shadow-of-the-sun").specific


def _editor_submits_new_film(client, archive, **extra):
    """The editor's client, and the new film it has submitted for review."""
    editor = client_for(client, "editor")
    return editor, _submit_new_film(editor, archive["indexes"]["films"], **extra)


def _moderator(client):
    """A second client, signed in as the moderator."""
    return client_for(client.__class__(), "moderator")


def _task_state(page):
    return TaskState.objects.get(
        workflow_state__object_id=str(page.pk),
        status=TaskState.STATUS_IN_PROGRESS,
    )


def _act(client, page, action, comment=""):
    task_state = _task_state(page)
    url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=[page.pk, action, task_state.pk],
    )
    return client.post(url, {"comment": comment})


def test_workflow_submission_is_public_only_after_approval(client, editorial_archive):
    """A submitted film stays off the site until a moderator approves it."""
    editor, page = _editor_submits_new_film(client, editorial_archive)

    assert not page.live
    assert page.workflow_in_progress
    assert editor.get(page.url or "/films/shadow-of-the-sun/").status_code == 404

    moderator = _moderator(client)
    response = _act(moderator, page, "approve")

    assert response.status_code == 302
    page.refresh_from_db()
    assert page.live
    assert page.title == "Shadow of the Sun"
    assert Page.objects.live().filter(pk=page.pk).exists()
    assert not page.workflow_in_progress


def test_workflow_change_to_live_page_waits_for_approval(client, editorial_archive):
    """An edit to a live film is not shown until approved, then it is live."""
    film = editorial_archive["film"]
    editor = client_for(client, "editor")
    post_edit(
        editor, film, title="The Wandering Earth (2019)", **{"action-submit": "1"}
    )

    film.refresh_from_db()
    assert film.title == "The Wandering Earth"
    assert film.has_unpublished_changes

    _act(_moderator(client), film, "approve")

    film.refresh_from_db()
    assert film.title == "The Wandering Earth (2019)"
    assert not film.has_unpublished_changes


def test_workflow_rejection_returns_to_editor_with_comment(client, editorial_archive):
    """Requested changes keep the page off the site and tell the editor why."""
    editor, page = _editor_submits_new_film(client, editorial_archive)

    moderator = _moderator(client)
    _act(moderator, page, "reject", comment=COMMENT)

    page.refresh_from_db()
    assert not page.live
    state = WorkflowState.objects.get(object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert TaskState.objects.get(workflow_state=state).comment == COMMENT
    # The editor sees the comment on the page's edit screen and by email.
    edit_screen = editor.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert COMMENT in edit_screen.content.decode()
    [notice] = [m for m in mail.outbox if "editor@example.com" in m.to]
    assert "rejected" in notice.subject
    assert COMMENT in notice.body


def test_workflow_editor_cannot_approve_own_submission(client, editorial_archive):
    """The submitting editor is refused the approve action; the page stays off."""
    editor, page = _editor_submits_new_film(client, editorial_archive)

    response = _act(editor, page, "approve")

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    page.refresh_from_db()
    assert not page.live
    assert _task_state(page).status == TaskState.STATUS_IN_PROGRESS
    assert page.current_workflow_task.get_actions(page, page.owner) == []


def test_workflow_resubmission_after_changes_can_be_approved(client, editorial_archive):
    """After requested changes the editor resubmits and the moderator approves."""
    editor, page = _editor_submits_new_film(client, editorial_archive)
    moderator = _moderator(client)
    _act(moderator, page, "reject", comment=COMMENT)

    post_edit(editor, page, summary="Now with a source.", **{"action-submit": "1"})
    _act(moderator, page, "approve")

    page.refresh_from_db()
    assert page.live
    assert page.summary == "Now with a source."


def test_workflow_scheduled_publishing_waits_for_publish_scheduled(
    client, editorial_archive
):
    """An approved page with a go-live time goes live when publish_scheduled runs
    after that time, not before."""
    go_live = timezone.now() + datetime.timedelta(days=2)
    _, page = _editor_submits_new_film(
        client,
        editorial_archive,
        go_live_at=timezone.localtime(go_live).strftime("%Y-%m-%d %H:%M"),
    )
    _act(_moderator(client), page, "approve")

    page.refresh_from_db()
    assert not page.live
    assert page.scheduled_revision is not None

    call_command("publish_scheduled", stdout=None)
    page.refresh_from_db()
    assert not page.live

    later = go_live + datetime.timedelta(minutes=5)
    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("publish_scheduled")
    page.refresh_from_db()
    assert page.live
    assert PageLogEntry.objects.filter(
        page=page, action="wagtail.publish.scheduled"
    ).exists()


def test_workflow_moderator_can_schedule_directly(client, editorial_archive):
    """A moderator's publish with a future go-live time schedules, not publishes."""
    draft = editorial_archive["draft"]
    moderator = client_for(client, "moderator")
    go_live = timezone.now() + datetime.timedelta(hours=3)
    edit_url = reverse("wagtailadmin_pages:edit", args=[draft.pk])
    data = form_data(moderator.get(edit_url).content.decode())
    data.update(
        go_live_at=[timezone.localtime(go_live).strftime("%Y-%m-%d %H:%M")],
        **{"action-publish": ["1"]},
    )
    moderator.post(edit_url, data)

    draft.refresh_from_db()
    assert not draft.live
    assert draft.scheduled_revision is not None

    with mock.patch(
        "django.utils.timezone.now", return_value=go_live + datetime.timedelta(hours=1)
    ):
        call_command("publish_scheduled")
    draft.refresh_from_db()
    assert draft.live
