import pytest
from wagtail.models import Page, Site

from wanderingsite.models import HomePage


@pytest.fixture
def root_page(db):
    return Page.get_first_root_node()


@pytest.fixture
def home_page(db) -> HomePage:
    return Site.objects.get(is_default_site=True).root_page.specific
