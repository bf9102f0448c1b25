"""Who changed what, and when: every editorial action lands in the audit log."""

from django.urls import reverse
from wagtail.models import ModelLogEntry, PageLogEntry, TaskState

from tests.factories import make_tag, small_archive
from tests.wanderingsite.editorial_helpers import (
    client_for,
    make_user,
    post_edit,
)
from wanderingsite.services import tags as tag_service


def _entry(page, action):
    """The one log entry of ``action`` on ``page``."""
    entries = PageLogEntry.objects.filter(page=page, action=action)
    assert entries.count() == 1, (action, list(entries.values_list("action")))
    return entries.get()


def _review(client, page, action, comment=""):
    task_state = TaskState.objects.get(
        workflow_state__object_id=str(page.pk), status=TaskState.STATUS_IN_PROGRESS
    )
    url = reverse(
        "wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk]
    )
    client.post(url, {"comment": comment})


def test_audit_submit_and_approve_are_logged_with_user_and_time(client, home_page):
    """Submitting logs the editor; approving logs the moderator and the publish."""
    film = small_archive(home_page)["film"]
    editor = client_for(client, "editor")
    moderator = client_for(client.__class__(), "moderator")

    post_edit(editor, film, title="Revised", **{"action-submit": "1"})
    _review(moderator, film, "approve")

    submitted = _entry(film, "wagtail.workflow.start")
    approved = _entry(film, "wagtail.workflow.approve")
    published = PageLogEntry.objects.filter(page=film, action="wagtail.publish")
    assert submitted.user == make_user("editor")
    assert approved.user == make_user("moderator")
    assert published.latest("timestamp").user == make_user("moderator")
    assert submitted.timestamp <= approved.timestamp


def test_audit_reject_is_logged_with_the_comment(client, home_page):
    """Requesting changes logs the moderator, the time and the comment."""
    film = small_archive(home_page)["film"]
    post_edit(client_for(client, "editor"), film, **{"action-submit": "1"})

    _review(client_for(client.__class__(), "moderator"), film, "reject", "Cite it.")

    rejected = _entry(film, "wagtail.workflow.reject")
    assert rejected.user == make_user("moderator")
    assert rejected.timestamp is not None
    assert rejected.data["comment"] == "Cite it."


def test_audit_publish_and_unpublish_are_logged(client, home_page):
    """A moderator's direct publish and unpublish are both logged as theirs."""
    film = small_archive(home_page)["film"]
    moderator = client_for(client, "moderator")
    before = PageLogEntry.objects.filter(page=film, action="wagtail.publish").count()

    post_edit(moderator, film, title="Published", **{"action-publish": "1"})
    moderator.post(reverse("wagtailadmin_pages:unpublish", args=[film.pk]))

    publishes = PageLogEntry.objects.filter(page=film, action="wagtail.publish")
    assert publishes.count() == before + 1
    assert publishes.latest("timestamp").user == make_user("moderator")
    assert _entry(film, "wagtail.unpublish").user == make_user("moderator")


def test_audit_tag_merge_is_logged_and_shown_in_site_history(client, home_page):
    """A tag merge is a log entry with user and time, listed in the site history."""
    merged, kept = make_tag("Sci-fi"), make_tag("Science fiction")
    small_archive(home_page, tags=[merged])
    moderator = make_user("moderator")

    tag_service.merge_tags(merged, kept, user=moderator)

    entry = ModelLogEntry.objects.get(action=tag_service.MERGE_ACTION)
    assert (entry.user, entry.object_id) == (moderator, str(kept.pk))
    assert entry.timestamp is not None
    admin = client_for(client, "admin")
    report = admin.get(reverse("wagtailadmin_reports:site_history"))
    assert "Merged the tag &#x27;Sci-fi&#x27; into &#x27;Science fiction&#x27;" in (
        report.content.decode()
    )
