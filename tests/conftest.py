import copy
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from wagtail.models import Page

from essays.models import EssayIndexPage
from films.models import FilmIndexPage, TimelinePage
from tests import factories
from tests.archive_fixtures import FIXTURES, load_archive
from tests.module_scope import default_home, rolled_back
from wanderingsite.models import HomePage


@pytest.fixture
def root_page(db):
    return Page.get_first_root_node()


@pytest.fixture
def home_page(db) -> HomePage:
    return default_home()


def _loaded(output: str) -> SimpleNamespace:
    home = default_home()
    return SimpleNamespace(
        home=home,
        films=FilmIndexPage.objects.child_of(home).get(),
        essays=EssayIndexPage.objects.child_of(home).get(),
        timeline=TimelinePage.objects.child_of(home).get(),
        output=output,
    )


@pytest.fixture
def archive(db) -> SimpleNamespace:
    """The real archive, loaded from fixtures/ by ``load_archive`` as ``make run`` does.

    Gives ``home``, the index pages ``films``, ``essays`` and ``timeline``, and
    ``output`` (what the command printed). Loaded afresh for each test (some
    seconds on PostgreSQL): ``loaded_archive`` loads it once per module.
    """
    return _loaded(load_archive())


@pytest.fixture(scope="module")
def loaded_archive_once(django_db_setup, django_db_blocker) -> str:
    """The real archive loaded once for a test module, rolled back after it.

    From the first test that asks for it to the end of the module, every test
    sees it, asked for or not: a test that needs an archive not yet loaded
    belongs in another module.
    """
    with rolled_back(django_db_blocker):
        yield load_archive()


@pytest.fixture
def loaded_archive(loaded_archive_once, db) -> SimpleNamespace:
    """What ``archive`` gives, from the module's one load.

    Each test runs in a savepoint of its own inside the module's transaction, so
    what a test changes (a reload, an editor's revision) is undone after it.
    """
    return _loaded(loaded_archive_once)


@pytest.fixture(scope="module")
def sample_archive_once(django_db_setup, django_db_blocker) -> SimpleNamespace:
    """factories.sample_archive, built once for a test module and rolled back
    after it; as with ``loaded_archive_once``, the rest of the module sees it."""
    with rolled_back(django_db_blocker):
        yield factories.sample_archive(default_home())


@pytest.fixture
def sample_archive(sample_archive_once, db) -> SimpleNamespace:
    """The sample archive, each test in a savepoint of its own.

    The pages and tags are deep copies made for the test, as Django's
    ``setUpTestData`` gives them, so a test that changes one in memory
    (``unpublish()``, a new date) leaves the next test the database's state.
    """
    return copy.deepcopy(sample_archive_once)


@pytest.fixture(scope="module")
def editorial_archive_once(django_db_setup, django_db_blocker) -> dict:
    """factories.editorial_archive: a live film, event and essay to edit, tagged
    "Soft power" (``tag``), and a ``draft`` film; built once for a test module,
    rolled back after it."""
    with rolled_back(django_db_blocker):
        yield factories.editorial_archive(default_home())


@pytest.fixture
def editorial_archive(editorial_archive_once, db) -> dict:
    """The editorial archive, each test in a savepoint, its pages fresh copies."""
    return copy.deepcopy(editorial_archive_once)


@pytest.fixture
def fixtures_copy(tmp_path) -> Path:
    """A copy of fixtures/ to break or change."""
    target = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, target)
    return target
