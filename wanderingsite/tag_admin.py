"""The tag vocabulary in the admin: the listing with counts per type, renames
that leave a redirect, merges, and how both read in the audit log.

The writes themselves are ``services.tags``'; ``wagtail_hooks`` registers what
is defined here.
"""

from django import forms
from django.contrib.admin.utils import quote
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import BaseObjectMixin, WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets.button import Button
from wagtail.log_actions import LogFormatter
from wagtail.snippets.views.snippets import EditView as SnippetEditView
from wagtail.snippets.views.snippets import IndexView as SnippetIndexView
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import ArchiveTag, tag_path
from .page_types import archive_types
from .services import tags


class TagMergeFormatter(LogFormatter):
    label = _("Merge tags")

    def format_message(self, log_entry):
        data = log_entry.data or {}
        return _("Merged the tag '%(merged)s' into '%(kept)s'") % {
            "merged": data.get("merged", {}).get("name", "?"),
            "kept": data.get("kept", {}).get("name", "?"),
        }


class TagRenameFormatter(LogFormatter):
    label = _("Rename tag")

    def format_message(self, log_entry):
        data = log_entry.data or {}
        old, new = data.get("old", {}), data.get("new", {})
        message = _(
            "Renamed the tag '%(old)s' (%(old_slug)s) to '%(new)s' (%(new_slug)s)"
        )
        return message % {
            "old": old.get("name", "?"),
            "old_slug": old.get("slug", "?"),
            "new": new.get("name", "?"),
            "new_slug": new.get("slug", "?"),
        }


class TagMergeForm(forms.Form):
    target = forms.ModelChoiceField(
        queryset=ArchiveTag.objects.none(),
        label=_("Merge into"),
        help_text=_(
            "The tag to keep. Every film, essay and event tagged with this tag "
            "gets the kept tag instead; this tag is deleted and its page "
            "redirects to the kept tag's page."
        ),
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, source: ArchiveTag, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = ArchiveTag.objects.exclude(pk=source.pk)


class TagMergeView(
    BaseObjectMixin, PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView
):
    """Choose the tag to keep, see what will happen, confirm, merge."""

    model = ArchiveTag
    permission_required = "change"
    template_name = "wanderingsite/admin/tag_merge.html"
    header_icon = "tag"
    index_url_name = None
    edit_url_name = None
    merge_url_name = None

    def get_page_title(self):
        return _("Merge tag")

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": capfirst(_("tags"))},
            {"url": "", "label": _("Merge '%(tag)s'") % {"tag": self.object}},
        ]

    def get_form_class(self):
        # The viewset hands every view its model form class; this view has its own.
        return TagMergeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "source": self.object}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        context.update(
            tag=self.object,
            uses=tags.tag_use_counts(self.object),
            action_url=reverse(self.merge_url_name, args=[quote(self.object.pk)]),
            index_url=reverse(self.index_url_name),
            confirming=getattr(self, "confirming", False),
            target=form.cleaned_data.get("target") if form.is_bound else None,
            old_path=tag_path(self.object.slug),
        )
        if context["target"] is not None:
            context["target_uses"] = tags.tag_use_counts(context["target"])
            context["new_path"] = tag_path(context["target"].slug)
        return context

    def form_valid(self, form):
        target = form.cleaned_data["target"]
        if not form.cleaned_data["confirm"]:
            self.confirming = True
            return self.render_to_response(self.get_context_data(form=form))
        try:
            result = tags.merge_tags(self.object, target, user=self.request.user)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        moved = sum(result.moved.values()) + sum(result.already_tagged.values())
        messages.success(
            self.request,
            _("Merged '%(merged)s' into '%(kept)s': %(count)s uses moved.")
            % {"merged": result.merged_name, "kept": target.name, "count": moved},
            buttons=[
                messages.button(
                    reverse(self.edit_url_name, args=[quote(target.pk)]), _("Edit")
                )
            ],
        )
        return redirect(self.index_url_name)


class TagIndexView(SnippetIndexView):
    merge_url_name = None

    def get_base_queryset(self):
        # Every use counts here, drafts' and private pages' too.
        return super().get_base_queryset().with_counts(public=False)

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.user_has_permission("change"):
            buttons.append(
                MenuItem(
                    _("Merge into…"),
                    url=reverse(self.merge_url_name, args=[quote(instance.pk)]),
                    icon_name="resubmit",
                    priority=25,
                )
            )
        return buttons


class TagEditView(SnippetEditView):
    merge_url_name = None

    def save_instance(self):
        # The form has already written the new values onto the instance.
        old_name, old_slug = self.form.initial["name"], self.form.initial["slug"]
        instance = super().save_instance()
        tags.record_rename(
            instance, old_name=old_name, old_slug=old_slug, user=self.request.user
        )
        return instance

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if self.user_has_permission("change"):
            buttons.append(
                Button(
                    _("Merge into…"),
                    url=reverse(self.merge_url_name, args=[quote(self.object.pk)]),
                    icon_name="resubmit",
                    priority=15,
                )
            )
        return buttons


class ArchiveTagViewSet(SnippetViewSet):
    """The shared tag vocabulary, for moderators and admins."""

    model = ArchiveTag
    icon = "tag"
    menu_label = _("Tags")
    menu_order = 210
    add_to_admin_menu = True
    index_view_class = TagIndexView
    edit_view_class = TagEditView
    merge_view_class = TagMergeView
    search_fields = ["name", "slug", "description"]
    ordering = ["name"]
    list_per_page = 100

    @property
    def list_display(self):
        counts = [
            Column(t.count_name, label=t.label, sort_key=t.count_name)
            for t in archive_types
        ]
        return ["name", "slug", *counts]

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            merge_url_name=self.get_url_name("merge"), **kwargs
        )

    @property
    def merge_view(self):
        return self.construct_view(
            self.merge_view_class,
            index_url_name=self.get_url_name("list"),
            edit_url_name=self.get_url_name("edit"),
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("merge/<str:pk>/", self.merge_view, name="merge"),
        ]
