"""The editorial rules the admin keeps beyond Wagtail's defaults (docs/editorial.md).

- A page that has ever been published is moved or deleted only by someone
  who may publish: Wagtail lets anyone with the change right delete a page
  that is not live at the moment, and its revisions go with it.
- A save posted from an edit form (a page's or a person's) opened before
  someone else saved a newer revision is refused with a message naming them,
  where Wagtail refuses only an outdated autosave and otherwise writes the
  older form over the newer revision.
- A review action taken on the edit form says what it did: "approved and
  published", where Wagtail says the page "has been updated".

Wagtail's hooks and page classes call in here; ``wagtail_hooks.py`` only
registers.
"""

from django.contrib.messages import get_messages
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from wagtail.admin import messages
from wagtail.admin.utils import get_latest_str, get_user_display_name
from wagtail.models import PagePermissionTester, RevisionMixin, WorkflowState

EVER_PUBLISHED = (
    Q(live=True)
    | Q(first_published_at__isnull=False)
    | Q(last_published_at__isnull=False)
    | Q(live_revision__isnull=False)
)


class ArchivePagePermissionTester(PagePermissionTester):
    """Wagtail's page rights, where deleting or moving a page that was ever
    published, or holds one that was, needs the publish right."""

    def can_delete(self, ignore_bulk=False):
        # Wagtail's can_move() is can_delete(ignore_bulk=True): moving follows.
        if not super().can_delete(ignore_bulk=ignore_bulk):
            return False
        if self.user.is_superuser or "publish" in self.permissions:
            return True
        subtree = self.page.get_descendants(inclusive=True)
        return not subtree.filter(EVER_PUBLISHED).exists()


def loaded_revision_is_outdated(data, latest_revision) -> bool:
    """Whether a posted edit form was opened before ``latest_revision`` was saved.

    Reads the form's hidden fields as Wagtail's own autosave check does. A post
    without ``loaded_revision_id`` (an API client, a form from before Wagtail
    sent it) cannot tell, and is taken as up to date, as Wagtail takes it.
    """
    if latest_revision is None:
        return False
    latest_id = str(latest_revision.pk)
    if overwrite_id := data.get("overwrite_revision_id"):
        return overwrite_id != latest_id
    loaded_id = data.get("loaded_revision_id")
    if not loaded_id:
        return False
    if loaded_id != latest_id:
        return True
    # The same revision, rewritten by an autosave since the form was opened.
    loaded_at = data.get("loaded_revision_created_at")
    return bool(loaded_at) and loaded_at != latest_revision.created_at.isoformat()


def outdated_save_message(title: str, latest_revision, user) -> str:
    when = formats.date_format(
        timezone.localtime(latest_revision.created_at), "DATETIME_FORMAT"
    )
    if latest_revision.user_id is not None and latest_revision.user_id == user.pk:
        who = _("you, in another window or tab,")
    elif latest_revision.user is not None:
        who = get_user_display_name(latest_revision.user)
    else:
        who = _("someone else")
    return _(
        "'%(title)s' was changed by %(who)s at %(when)s, after you opened it. "
        "Your changes were not saved, so that the newer version is not lost: "
        "the form now shows it; make your changes again."
    ) % {"title": title, "who": who, "when": when}


def _refuse_outdated_save(request, obj, title: str, url_name):
    """Back to ``obj``'s edit form, unsaved, with a message and a comparison of
    the two revisions, if the posted form was opened before the latest one.
    ``url_name(view)`` names the admin's views of ``obj``."""
    if request.method != "POST" or not request.accepts("text/html"):
        return None
    latest_revision = obj.get_latest_revision()
    if not loaded_revision_is_outdated(request.POST, latest_revision):
        return None
    buttons = []
    loaded_id = request.POST.get("loaded_revision_id", "")
    # isdigit() alone takes "²", which is no number to the database.
    loaded_is_id = loaded_id.isascii() and loaded_id.isdigit()
    if loaded_is_id and obj.revisions.filter(pk=loaded_id).exists():
        compare_url = reverse(
            url_name("revisions_compare"), args=[obj.pk, loaded_id, latest_revision.pk]
        )
        buttons.append(messages.button(compare_url, _("See what changed")))
    messages.error(
        request,
        outdated_save_message(title, latest_revision, request.user),
        buttons=buttons,
    )
    return redirect(url_name("edit"), obj.pk)


def refuse_outdated_page_save(request, page):
    """``before_edit_page``: send a save, submission, publication or approval
    posted from an outdated edit form back to the edit form, unsaved.

    Autosave asks for JSON, and Wagtail refuses an outdated one itself.
    """
    return _refuse_outdated_save(
        request,
        page,
        page.get_admin_display_title(),
        lambda view: f"wagtailadmin_pages:{view}",
    )


def refuse_outdated_snippet_save(request, obj):
    """``before_edit_snippet``: the same for a snippet with revisions (people)."""
    if not isinstance(obj, RevisionMixin):
        return None
    return _refuse_outdated_save(
        request, obj, get_latest_str(obj), obj.snippet_viewset.get_url_name
    )


def review_outcome_message(obj, label: str) -> str | None:
    """What the review action just taken on ``obj`` did, for its message:
    approved and published, approved for a later publication, or sent back;
    None while the review goes on to a further step. ``label`` names the
    object ("Page 'The Wandering Earth'")."""
    obj = type(obj).objects.get(pk=obj.pk)
    state = obj.workflow_states.order_by("-created_at", "-pk").first()
    if state is None:
        return None
    if state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        return _("Changes to %(label)s have been requested.") % {"label": label}
    if state.status != WorkflowState.STATUS_APPROVED:
        return None
    if obj.live and obj.live_revision_id == obj.latest_revision_id:
        return _("%(label)s has been approved and published.") % {"label": label}
    return _("%(label)s has been approved and scheduled for publishing.") % {
        "label": label
    }


def say_what_the_review_did(request, page):
    """``after_edit_page``: after a review action on the edit form, put what it
    did in place of Wagtail's "has been updated"."""
    if request.method != "POST" or not request.POST.get("action-workflow-action"):
        return
    title = page.get_admin_display_title()
    message = review_outcome_message(page, _("Page '%(title)s'") % {"title": title})
    if message is None:
        return
    # Wagtail's own words in edit.py, which it has just queued, as it renders them.
    updated = _("Page '%(page_title)s' has been updated.") % {"page_title": title}
    updated = messages.render(updated, None)
    storage = get_messages(request)
    for queued in storage:
        if queued.message == updated:
            queued.message = messages.render(message, None)
    # Reading the messages marks them shown; they are still to be shown.
    storage.used = False
