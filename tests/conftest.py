import io
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from wagtail.models import Page, Site

from essays.models import EssayIndexPage
from films.models import FilmIndexPage, TimelinePage
from wanderingsite.models import HomePage


@pytest.fixture
def root_page(db):
    return Page.get_first_root_node()


@pytest.fixture
def home_page(db) -> HomePage:
    return Site.objects.get(is_default_site=True).root_page.specific


@pytest.fixture
def archive(db) -> SimpleNamespace:
    """The real archive, loaded from fixtures/ by ``load_archive`` as ``make run`` does.

    Gives ``home``, the index pages ``films``, ``essays`` and ``timeline``, and
    ``output`` (what the command printed).
    """
    output = io.StringIO()
    call_command("load_archive", stdout=output)
    home = Site.objects.get(is_default_site=True).root_page.specific
    return SimpleNamespace(
        home=home,
        films=FilmIndexPage.objects.child_of(home).get(),
        essays=EssayIndexPage.objects.child_of(home).get(),
        timeline=TimelinePage.objects.child_of(home).get(),
        output=output.getvalue(),
    )
