"""What the site registers with Wagtail's admin; the tag admin itself is in
``tag_admin``."""

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.ui.tables import LiveStatusTagColumn
from wagtail.admin.utils import get_latest_str
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import EditView, SnippetViewSet

from . import cache, editorial
from .models import Person
from .services import tags
from .tag_admin import ArchiveTagViewSet, TagMergeFormatter, TagRenameFormatter


class PersonEditView(EditView):
    def get_success_message(self, instance=None):
        if self.action == "workflow-action":
            label = _("%(model_name)s '%(object)s'") % {
                "model_name": capfirst(self.model._meta.verbose_name),
                "object": get_latest_str(instance or self.object),
            }
            if message := editorial.review_outcome_message(self.object, label):
                return message
        return super().get_success_message(instance)


class PersonViewSet(SnippetViewSet):
    """People and institutions, edited through drafts and the review workflow."""

    model = Person
    edit_view_class = PersonEditView
    icon = "user"
    menu_label = gettext_lazy("People")
    menu_order = 200
    add_to_admin_menu = True
    # Wagtail adds the status column only when list_display is left alone.
    list_display = ["name", "original_name", "kind", LiveStatusTagColumn()]
    list_filter = ["kind"]
    search_fields = ["name", "original_name", "aliases"]


register_snippet(PersonViewSet)
register_snippet(ArchiveTagViewSet)

hooks.register("before_edit_page", editorial.refuse_outdated_page_save)
hooks.register("after_edit_page", editorial.say_what_the_review_did)
hooks.register("before_edit_snippet", editorial.refuse_outdated_snippet_save)
hooks.register("is_request_cacheable", cache.is_request_cacheable)
hooks.register("is_response_cacheable", cache.is_response_cacheable)


@hooks.register("register_log_actions")
def register_tag_log_actions(actions):
    actions.register_action(tags.MERGE_ACTION)(TagMergeFormatter)
    actions.register_action(tags.RENAME_ACTION)(TagRenameFormatter)
