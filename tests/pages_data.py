"""The old name of tests/sample_archive.py, kept while modules still import it.

New tests ask for the ``sample_archive`` fixture of tests/conftest.py.
"""

from contextlib import contextmanager

from tests.module_scope import default_home, rolled_back
from tests.sample_archive import HIDDEN, build_archive, make_private

__all__ = ["HIDDEN", "build_archive", "built_once", "make_private"]


@contextmanager
def built_once(django_db_blocker):
    with rolled_back(django_db_blocker):
        yield build_archive(default_home())
