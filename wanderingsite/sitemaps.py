"""The sitemap: every live public page with its last change."""

from wagtail.contrib.sitemaps import Sitemap

from .visibility import visible_q


class ArchiveSitemap(Sitemap):
    """Wagtail's sitemap at a fixed, small cost.

    Wagtail reads the view restrictions in a query of their own and then each
    page type's table. A page's address and last change are page fields, so
    every page is built as its own type from the page row alone
    (``specific(defer=True)``), and privacy is the subquery the listings use.
    """

    def items(self):
        return (
            self.get_wagtail_site()
            .root_page.get_descendants(inclusive=True)
            .filter(visible_q())
            .order_by("path")
            .specific(defer=True)
        )
