"""What the public may see: live pages outside every private section.

Wagtail's ``.public()`` reads the view restrictions in a query of its own each
time it is called; this condition is a subquery instead, so a listing costs
the same number of queries however many restrictions or listings a page has.
"""

from django.db.models import BooleanField, F, Func, Q
from wagtail.models import Page, PageViewRestriction


class Restricted(Func):
    """True for a page that is, or lies under, a page with a view restriction.

    Written as SQL rather than ``Exists(PageViewRestriction.objects...)``: the
    ORM builds that subquery anew for every query that shows pages, and
    building it cost more than running it (about 0.4 ms a query, measured in
    ``benchmarks/README.md``).
    """

    arity = 1
    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra_context):
        quote = connection.ops.quote_name
        # Only table names from the models' own Meta go into the text.
        extra_context["template"] = (
            f"EXISTS (SELECT 1 FROM {quote(PageViewRestriction._meta.db_table)} r "  # noqa: S608
            f"INNER JOIN {quote(Page._meta.db_table)} rp ON rp.id = r.page_id "
            "WHERE SUBSTR(%(expressions)s, 1, LENGTH(rp.path)) = rp.path)"
        )
        return super().as_sql(compiler, connection, **extra_context)


def restricted_q(prefix: str = "") -> Restricted:
    """True for a page that is, or lies under, a page with a view restriction."""
    return Restricted(F(f"{prefix}path"))


def visible_q(prefix: str = "") -> Q:
    """Live and public; ``prefix`` reaches the page through a relation."""
    return Q(**{f"{prefix}live": True}) & ~Q(restricted_q(prefix))
