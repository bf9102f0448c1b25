"""What the site registers with Wagtail's admin; the tag admin itself is in
``tag_admin``."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import cache, editorial
from .models import Person
from .services import tags
from .tag_admin import ArchiveTagViewSet, TagMergeFormatter, TagRenameFormatter


class PersonViewSet(SnippetViewSet):
    model = Person
    icon = "user"
    menu_label = _("People")
    menu_order = 200
    add_to_admin_menu = True
    list_display = ["name", "original_name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "original_name", "aliases"]


register_snippet(PersonViewSet)
register_snippet(ArchiveTagViewSet)

hooks.register("before_edit_page", editorial.refuse_outdated_page_save)
hooks.register("is_request_cacheable", cache.is_request_cacheable)
hooks.register("is_response_cacheable", cache.is_response_cacheable)


@hooks.register("register_log_actions")
def register_tag_log_actions(actions):
    actions.register_action(tags.MERGE_ACTION)(TagMergeFormatter)
    actions.register_action(tags.RENAME_ACTION)(TagRenameFormatter)
