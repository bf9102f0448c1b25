"""set_site_address: absolute links follow the address the archive is served at."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Site

from tests.page_helpers import meta


def _run(*args) -> str:
    out = StringIO()
    call_command("set_site_address", *args, stdout=out)
    return out.getvalue()


def test_site_address_moves_canonical_links_to_the_new_port(client, home_page):
    """After `PORT=8101 make run`, canonical and OpenGraph URLs name port 8101."""
    output = _run("http://127.0.0.1:8101")

    assert "→ 127.0.0.1:8101" in output
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8101)
    response = client.get("/", HTTP_HOST="127.0.0.1:8101")
    assert meta(response, "property", "og:url") == "http://127.0.0.1:8101/"


def test_site_address_defaults_to_the_base_url(home_page, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://archive.example.org"
    _run()
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("archive.example.org", 443)


def test_site_address_says_when_nothing_changes(home_page):
    _run("http://127.0.0.1:8102")
    assert "unchanged" in _run("http://127.0.0.1:8102")


@pytest.mark.parametrize("url", ["ftp://example.org", "http://example.org:port", "/"])
def test_site_address_refuses_what_is_not_an_address(home_page, url):
    before = list(Site.objects.values_list("hostname", "port"))
    with pytest.raises(CommandError):
        _run(url)
    assert list(Site.objects.values_list("hostname", "port")) == before
