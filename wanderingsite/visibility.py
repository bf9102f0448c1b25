"""What the public may see: live pages outside every private section.

Wagtail's ``.public()`` reads the view restrictions in a query of its own each
time it is called; this condition is a subquery instead, so a listing costs
the same number of queries however many restrictions or listings a page has.
"""

from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Length, Substr
from wagtail.models import PageViewRestriction


def restricted_q(prefix: str = "") -> Exists:
    """True for a page that is, or lies under, a page with a view restriction."""
    return Exists(
        PageViewRestriction.objects.filter(
            page__path=Substr(OuterRef(f"{prefix}path"), 1, Length("page__path"))
        )
    )


def visible_q(prefix: str = "") -> Q:
    """Live and public; ``prefix`` reaches the page through a relation."""
    return Q(**{f"{prefix}live": True}) & ~Q(restricted_q(prefix))
