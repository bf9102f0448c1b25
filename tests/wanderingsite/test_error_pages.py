"""The site's own not-found and server-error pages."""

from django.template.loader import get_template

from tests.page_helpers import meta


def test_not_found_page_is_the_sites_own_and_noindex(db, client):
    """An unknown address gets the archive's 404 page, kept out of search engines."""
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Page not found</h1>" in html
    assert 'href="/films/"' in html
    assert meta(response, "name", "robots") == "noindex"


def test_not_found_page_does_not_echo_the_address(db, client):
    """Markup in the requested address never reaches the page."""
    response = client.get("/%3Cscript%3Ealert(1)%3C/script%3E/")
    assert response.status_code == 404
    assert "<script>alert" not in response.content.decode()


def test_server_error_page_renders_without_database_or_context(
    db, django_assert_num_queries
):
    """500.html needs no request, no context and no query: it is static."""
    with django_assert_num_queries(0):
        html = get_template("500.html").render()
    assert "<h1>Something went wrong</h1>" in html
    assert '<main id="main"' in html
