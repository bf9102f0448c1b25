"""Keeping the tag vocabulary clean: rename and merge tags.

Both leave a permanent redirect from the old tag page (and its feed) to the new
one, and both are written to the audit log with the acting user.

Live pages keep their tags as rows of each archive type's through model; page
revisions keep them as tag ids inside their JSON. A rename changes neither
(the id stays). A merge moves the rows *and* rewrites every revision that
names the merged tag, so that a draft, a submission in review or a revision an
editor reverts to later still carries the kept tag instead of a dangling id.
A live page with no pending draft also gets a new revision by the merging user,
published at once: its history shows the merge, and ``load_archive`` treats
the page as edited (it never puts the merged tag back).
"""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.contrib.redirects.models import Redirect
from wagtail.log_actions import log
from wagtail.models import Revision
from wagtail.search import index

from wanderingsite.models import ArchiveTag, tag_path
from wanderingsite.page_types import archive_types

MERGE_ACTION = "wanderingsite.tag_merge"
RENAME_ACTION = "wanderingsite.tag_rename"
FEED_SUFFIX = "feed/"
RSS_FEED_SUFFIX = "feed/rss/"


@dataclass
class MergeResult:
    kept: ArchiveTag
    merged_name: str
    merged_slug: str
    moved: dict[str, int] = field(default_factory=dict)
    already_tagged: dict[str, int] = field(default_factory=dict)
    revisions_rewritten: int = 0
    pages_republished: int = 0


def _leave_redirect(old_slug: str, new_slug: str) -> None:
    """Send the old tag page and feeds to the new ones, without chains or loops."""
    for suffix in ("", FEED_SUFFIX, RSS_FEED_SUFFIX):
        old_path = Redirect.normalise_path(tag_path(old_slug, suffix))
        new_link = tag_path(new_slug, suffix)
        # Earlier redirects to the old page now go straight to the new one.
        Redirect.objects.filter(redirect_link=tag_path(old_slug, suffix)).update(
            redirect_link=new_link
        )
        # A redirect away from the page that now lives there would loop.
        Redirect.objects.filter(
            old_path=Redirect.normalise_path(new_link), site__isnull=True
        ).delete()
        Redirect.objects.update_or_create(
            old_path=old_path,
            site=None,
            defaults={
                "redirect_link": new_link,
                "redirect_page": None,
                "is_permanent": True,
            },
        )


def record_rename(tag: ArchiveTag, *, old_name: str, old_slug: str, user=None) -> None:
    """After a tag's name or slug changed: the redirect and the audit entry."""
    if old_slug != tag.slug:
        _leave_redirect(old_slug, tag.slug)
    if old_name != tag.name or old_slug != tag.slug:
        log(
            instance=tag,
            action=RENAME_ACTION,
            user=user,
            data={
                "old": {"name": old_name, "slug": old_slug},
                "new": {"name": tag.name, "slug": tag.slug},
            },
        )


@transaction.atomic
def rename_tag(
    tag: ArchiveTag, *, name: str | None = None, slug: str | None = None, user=None
) -> ArchiveTag:
    """Give ``tag`` a new name and/or slug; its old page redirects to the new one."""
    old_name, old_slug = tag.name, tag.slug
    tag.name = (name if name is not None else tag.name).strip()
    tag.slug = (slug if slug is not None else tag.slug).strip()
    clashes = ArchiveTag.objects.exclude(pk=tag.pk)
    if clashes.filter(name__iexact=tag.name).exists():
        raise ValidationError({"name": _("Another tag already has this name.")})
    if clashes.filter(slug=tag.slug).exists():
        raise ValidationError({"slug": _("Another tag already has this slug.")})
    tag.full_clean(validate_unique=False)
    tag.save()
    record_rename(tag, old_name=old_name, old_slug=old_slug, user=user)
    return tag


def _rewrite_revisions(source_id: int, target_id: int) -> int:
    """Point revisions' tag lists at the kept tag; returns how many changed."""
    rewritten = 0
    for archive_type in archive_types:
        through = archive_type.tag_through
        key = through._meta.get_field("content_object").remote_field.related_name
        revisions = Revision.objects.filter(
            content_type=ContentType.objects.get_for_model(archive_type.model)
        ).only("pk", "content")
        # The archive's revisions are few; reading them once beats a
        # database-specific JSON query that SQLite cannot run.
        for revision in revisions.iterator():
            items = revision.content.get(key) or []
            if not any(item.get("tag") == source_id for item in items):
                continue
            has_target = any(item.get("tag") == target_id for item in items)
            kept = []
            for item in items:
                if item.get("tag") == source_id:
                    if has_target:
                        continue
                    item = {**item, "tag": target_id}
                    has_target = True
                kept.append(item)
            content = {**revision.content, key: kept}
            Revision.objects.filter(pk=revision.pk).update(content=content)
            rewritten += 1
    return rewritten


def _reindex(pages_by_model: dict[type, set[int]]) -> None:
    for page_model, ids in pages_by_model.items():
        for page in page_model.objects.filter(pk__in=ids):
            index.insert_or_update_object(page)


def merge_tags(source: ArchiveTag, target: ArchiveTag, *, user=None) -> MergeResult:
    """Move every use of ``source`` to ``target``, delete ``source``, redirect it.

    One transaction: either every film, essay and event that had ``source``
    has ``target`` afterwards (once), or nothing changed.
    """
    if source.pk == target.pk:
        raise ValidationError(_("A tag cannot be merged into itself."))
    result = MergeResult(kept=target, merged_name=source.name, merged_slug=source.slug)
    touched: dict[type, set[int]] = {}
    with transaction.atomic():
        # Lock both rows so that two moderators cannot merge them crosswise.
        locked = ArchiveTag.objects.select_for_update().filter(
            pk__in=[source.pk, target.pk]
        )
        if locked.count() != 2:
            raise ValidationError(_("One of the tags no longer exists."))
        for archive_type in archive_types:
            kind, through = archive_type.plural_key, archive_type.tag_through
            uses = through.objects.filter(tag=source)
            touched[archive_type.model] = set(
                uses.values_list("content_object_id", flat=True)
            )
            already = through.objects.filter(tag=target).values("content_object_id")
            duplicates = uses.filter(content_object_id__in=already)
            result.already_tagged[kind] = duplicates.count()
            duplicates.delete()
            result.moved[kind] = through.objects.filter(tag=source).update(tag=target)
        result.revisions_rewritten = _rewrite_revisions(source.pk, target.pk)
        source.delete()
        _leave_redirect(result.merged_slug, target.slug)
        data = {
            "merged": {"name": result.merged_name, "slug": result.merged_slug},
            "kept": {"id": target.pk, "name": target.name, "slug": target.slug},
            "uses": {
                kind: result.moved[kind] + result.already_tagged[kind]
                for kind in result.moved
            },
            "revisions_rewritten": result.revisions_rewritten,
        }
        result.pages_republished = _record_on_pages(touched, user=user, data=data)
        log(instance=target, action=MERGE_ACTION, user=user, data=data)
        transaction.on_commit(lambda: _reindex(touched))
    return result


def _record_on_pages(touched: dict[type, set[int]], *, user, data: dict) -> int:
    """A published revision by ``user`` on each live page without a pending draft.

    Pages with a draft or a submission in review keep it as their latest
    revision (already rewritten); publishing it later brings the kept tag.
    """
    republished = 0
    for page_model, ids in touched.items():
        for page in page_model.objects.filter(pk__in=ids, live=True):
            if page.latest_revision_id != page.live_revision_id:
                continue
            # The page rows already carry the kept tag; clean=False because
            # the merge must not fail on an unrelated, older validation gap.
            revision = page.save_revision(user=user, clean=False)
            revision.publish(user=user, log_action=False, skip_permission_checks=True)
            log(instance=page, action=MERGE_ACTION, user=user, data=data)
            republished += 1
    return republished


def tag_use_counts(tag: ArchiveTag) -> dict[str, int]:
    """How many pages of each type carry ``tag``, drafts and private pages too."""
    counted = ArchiveTag.objects.filter(pk=tag.pk).with_counts(public=False).get()
    return {t.plural_key: getattr(counted, t.count_name) for t in archive_types}
