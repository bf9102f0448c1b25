def test_robots_txt_names_the_sitemap_and_keeps_crawlers_out_of_admin_and_search(
    client, db
):
    """robots.txt is plain text, points at the sitemap and disallows /admin/
    and /search/."""
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /search/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_robots_txt_sitemap_url_follows_the_host(client, db):
    """The sitemap URL is absolute, on the host that was asked."""
    response = client.get("/robots.txt", HTTP_HOST="localhost", secure=True)
    assert "Sitemap: https://localhost/sitemap.xml" in response.content.decode()
