"""Two people edit one page: a save from a form opened before the other's newer
revision is refused, on the server, instead of silently reverting it."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.models import TaskState

from tests.wanderingsite.editorial_helpers import (
    client_for,
    edit_form,
    form_data,
    make_user,
    post_edit,
    post_form,
)

FIRST, SECOND = "The first person's title", "The second person's title"
APPROVE = {
    "action-workflow-action": "1",
    "workflow-action-name": "approve",
    "workflow-action-extra-data": "{}",
}


def _another(client, role):
    """A second browser, signed in as ``role``."""
    return client_for(client.__class__(), role)


def _messages(response) -> str:
    return " ".join(str(message) for message in get_messages(response.wsgi_request))


def _edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


@pytest.mark.parametrize(
    ("first", "second", "button"),
    [
        ("moderator", "editor", {}),
        ("moderator", "editor", {"action-submit": "1"}),
        ("editor", "moderator", {"action-publish": "1"}),
    ],
    ids=["save draft", "submit for review", "publish"],
)
def test_stale_save_from_an_outdated_form_is_refused(
    client, editorial_archive, first, second, button
):
    """A form opened before someone else saved is sent back to the edit form
    unsaved, with a message naming them: their revision stays the latest,
    nothing is published or submitted."""
    film = editorial_archive["film"]
    late = client_for(client, second)
    opened_earlier = edit_form(late, film)
    post_edit(_another(client, first), film, title=FIRST)
    revisions = film.revisions.count()

    response = post_form(late, film, opened_earlier, title=SECOND, **button)

    assert response.status_code == 302
    assert response["Location"] == _edit_url(film)
    message = _messages(response)
    assert f"was changed by {first} at " in message
    assert "Your changes were not saved" in message
    film.refresh_from_db()
    assert film.revisions.count() == revisions
    assert film.get_latest_revision_as_object().title == FIRST
    assert film.title == "The Wandering Earth"
    assert not film.workflow_in_progress


def test_stale_save_message_links_to_what_changed(client, editorial_archive):
    """The refusal offers the comparison of the revision the form was opened on
    with the newer one."""
    film = editorial_archive["film"]
    editor = client_for(client, "editor")
    opened_earlier = edit_form(editor, film)
    loaded = film.latest_revision_id
    post_edit(_another(client, "moderator"), film, title=FIRST)
    film.refresh_from_db()

    response = post_form(editor, film, opened_earlier, title=SECOND)

    compare = reverse(
        "wagtailadmin_pages:revisions_compare",
        args=[film.pk, loaded, film.latest_revision_id],
    )
    assert compare in _messages(response)


def test_stale_save_refuses_an_approval_from_an_outdated_form(
    client, editorial_archive
):
    """A moderator approving from an edit form opened before an admin corrected
    the page in review neither publishes nor ends the review."""
    film = editorial_archive["film"]
    editor = client_for(client, "editor")
    post_edit(editor, film, title="Submitted title", **{"action-submit": "1"})
    moderator = _another(client, "moderator")
    opened_earlier = edit_form(moderator, film)
    post_edit(_another(client, "admin"), film, title=FIRST)

    response = post_form(moderator, film, opened_earlier, title=SECOND, **APPROVE)

    assert response["Location"] == _edit_url(film)
    assert "was changed by admin at " in _messages(response)
    film.refresh_from_db()
    assert film.title == "The Wandering Earth"
    assert film.get_latest_revision_as_object().title == FIRST
    assert TaskState.objects.filter(
        workflow_state__object_id=str(film.pk), status=TaskState.STATUS_IN_PROGRESS
    ).exists()


def test_stale_save_by_the_same_person_in_another_tab_says_so(
    client, editorial_archive
):
    """A form left open in one tab after saving in another is refused too, and
    the message says the newer version is the person's own."""
    film = editorial_archive["film"]
    editor = client_for(client, "editor")
    opened_earlier = edit_form(editor, film)
    post_edit(editor, film, title=FIRST)

    response = post_form(editor, film, opened_earlier, title=SECOND)

    assert "changed by you, in another window or tab," in _messages(response)
    film.refresh_from_db()
    assert film.get_latest_revision_as_object().title == FIRST


def test_stale_save_from_the_current_form_is_saved(client, editorial_archive):
    """A form opened after the latest revision saves as before."""
    film = editorial_archive["film"]
    post_edit(_another(client, "moderator"), film, title=FIRST)
    editor = client_for(client, "editor")
    revisions = film.revisions.count()

    response = post_edit(editor, film, title=SECOND)

    assert response.status_code == 302
    assert "not saved" not in _messages(response)
    film.refresh_from_db()
    assert film.revisions.count() == revisions + 1
    assert film.get_latest_revision_as_object().title == SECOND


def test_stale_save_without_the_loaded_revision_is_taken_as_current(
    client, editorial_archive
):
    """A post that does not say which revision it was opened on (an API client,
    a form from before Wagtail sent it) saves, as Wagtail's own check takes it."""
    film = editorial_archive["film"]
    editor = client_for(client, "editor")
    form = edit_form(editor, film)
    del form["loaded_revision_id"], form["loaded_revision_created_at"]
    post_edit(_another(client, "moderator"), film, title=FIRST)

    post_form(editor, film, form, title=SECOND)

    film.refresh_from_db()
    assert film.get_latest_revision_as_object().title == SECOND


def test_stale_save_message_escapes_the_other_persons_name(client, editorial_archive):
    """A name with markup in it is shown as text in the refusal."""
    film = editorial_archive["film"]
    moderator = make_user("moderator")
    moderator.first_name = "<img src=x onerror=alert(1)>"
    moderator.save()
    editor = client_for(client, "editor")
    opened_earlier = edit_form(editor, film)
    post_edit(_another(client, "moderator"), film, title=FIRST)

    response = post_form(editor, film, opened_earlier, title=SECOND)
    page = editor.get(response["Location"]).content.decode()

    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<img src=x onerror" not in page


def _revert_form(client, page, revision):
    url = reverse("wagtailadmin_pages:revisions_revert", args=[page.pk, revision.pk])
    return url, form_data(client.get(url).content.decode())


def test_stale_save_revert_from_the_current_form_is_saved(client, editorial_archive):
    """Going back to an old revision still works: the revert form is opened on the
    latest revision, and saving it writes the old content as a new revision."""
    film = editorial_archive["film"]
    editor = client_for(client, "editor")
    original = film.latest_revision
    post_edit(editor, film, title=FIRST)
    url, form = _revert_form(editor, film, original)

    editor.post(url, form)

    film.refresh_from_db()
    assert film.get_latest_revision_as_object().title == "The Wandering Earth"


def test_stale_save_revert_from_an_outdated_form_is_refused(client, editorial_archive):
    """A revert form opened before someone else saved does not undo their save."""
    film = editorial_archive["film"]
    editor = client_for(client, "editor")
    url, form = _revert_form(editor, film, film.latest_revision)
    post_edit(_another(client, "moderator"), film, title=FIRST)

    response = editor.post(url, form)

    assert "was changed by moderator at " in _messages(response)
    film.refresh_from_db()
    assert film.get_latest_revision_as_object().title == FIRST


@pytest.mark.parametrize("loaded", ["abc", "²", "9" * 30, "-1", " 1"])
def test_stale_save_with_a_malformed_loaded_revision_is_refused(
    client, editorial_archive, loaded
):
    """A loaded revision that names no revision of the page is refused like an
    outdated one, with the message, never a server error."""
    film = editorial_archive["film"]
    editor = client_for(client, "editor")
    form = {**edit_form(editor, film), "loaded_revision_id": [loaded]}

    response = post_form(editor, film, form, title=SECOND)

    assert response.status_code == 302
    assert "Your changes were not saved" in _messages(response)
    film.refresh_from_db()
    assert film.get_latest_revision_as_object().title == "The Wandering Earth"
