"""Data a whole test module shares: built once, rolled back after the module.

The fixtures of tests/conftest.py that end in ``_once`` build their data inside
``rolled_back``; tests that also ask for ``db`` then run inside that
transaction, each in a savepoint of its own, so what one test changes the next
does not see.
"""

from contextlib import contextmanager

from django.db import transaction
from wagtail.models import Site

from wanderingsite.models import HomePage


@contextmanager
def rolled_back(django_db_blocker):
    """Database access for a module-scoped fixture, undone when the block ends."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


def default_home() -> HomePage:
    return Site.objects.get(is_default_site=True).root_page.specific
