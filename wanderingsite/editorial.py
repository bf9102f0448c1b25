"""The editorial rules the admin keeps beyond Wagtail's defaults (docs/editorial.md).

- A page that has ever been published is moved or deleted only by someone
  who may publish: Wagtail lets anyone with the change right delete a page
  that is not live at the moment, and its revisions go with it.

Wagtail's hooks and page classes call in here; ``wagtail_hooks.py`` only
registers.
"""

from django.db.models import Q
from wagtail.models import PagePermissionTester

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
