"""Share images (og:image), the favicon and the touch icon: PNGs of the right
size for public pages only, Chinese titles drawn in a CJK font, an image
still served on a machine without one."""

import io
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.templatetags.static import static
from PIL import Image, ImageChops

from films.models import FilmPage
from tests.factories import HIDDEN
from wanderingsite import share_images
from wanderingsite.share_images import ShareCard, draw_card

BUDGET = 10


@pytest.fixture(autouse=True)
def fresh_fonts():
    """Fonts looked for afresh, before and after each test that hides them."""
    share_images.forget_fonts()
    yield
    share_images.forget_fonts()


@pytest.fixture
def no_fonts(monkeypatch):
    """A bare machine: no font directory at all."""
    monkeypatch.setattr(share_images, "FONT_DIRS", [])
    share_images.forget_fonts()


def _image(response) -> Image.Image:
    return Image.open(io.BytesIO(response.content))


def _og_image(html: str) -> str:
    return re.search(r'<meta property="og:image" content="([^"]+)"', html).group(1)


@pytest.mark.django_db
def test_share_image_of_a_film_is_a_png_of_1200_by_630(sample_archive, client):
    """A public film's image is a PNG, 1200x630, answered as image/png."""
    response = client.get(f"/og/{sample_archive.film.pk}.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    image = _image(response)
    assert image.format == "PNG"
    assert image.size == (1200, 630)


@pytest.mark.django_db
def test_share_image_is_not_found_for_pages_the_public_may_not_see(
    sample_archive, client
):
    """Drafts, withdrawn and private pages, the tree's root and ids no page has
    get a 404, never an image."""
    hidden = [page.pk for page in vars(sample_archive.hidden).values()]
    for page_id in [*hidden, 1, 2147483647, 10**30]:
        response = client.get(f"/og/{page_id}.png")
        assert response.status_code == 404, page_id
        assert response["Content-Type"] != "image/png"


@pytest.mark.django_db
def test_share_image_of_a_tag_only_for_a_tag_on_visible_pages(sample_archive, client):
    """A tag on visible pages has an image; one only hidden pages carry, or none
    at all, has not."""
    assert client.get("/og/tags/soft-power.png").status_code == 200
    assert client.get("/og/tags/SOFT-POWER.png").status_code == 200
    for slug in (sample_archive.tags.hidden.slug, "no-such-tag", "%3Cscript%3E"):
        assert client.get(f"/og/tags/{slug}.png").status_code == 404


@pytest.mark.django_db
def test_every_public_page_names_its_share_image(sample_archive, client):
    """Pages name their own image, tag pages their tag's, the other pages the
    site's; as og:image and twitter:image, with a large-image card."""
    film = sample_archive.film
    expected = {
        film.url: f"/og/{film.pk}.png",
        sample_archive.essays.url: f"/og/{sample_archive.essays.pk}.png",
        "/": f"/og/{sample_archive.home.pk}.png",
        "/tags/soft-power/": "/og/tags/soft-power.png",
        "/tags/": "/og/site.png",
        "/search/?q=earth": "/og/site.png",
    }
    for url, image in expected.items():
        html = client.get(url).content.decode()
        named = _og_image(html)
        assert named.startswith("http") and named.endswith(image), url
        assert f'<meta name="twitter:image" content="{named}">' in html
        assert '<meta name="twitter:card" content="summary_large_image">' in html
        assert client.get(image).status_code == 200, image


@pytest.mark.django_db
def test_share_image_costs_few_queries(
    sample_archive, client, django_assert_max_num_queries
):
    """A page's or a tag's image, drawn or from the cache, is within the budget."""
    for url in (f"/og/{sample_archive.film.pk}.png", "/og/tags/soft-power.png"):
        with django_assert_max_num_queries(BUDGET):
            assert client.get(url).status_code == 200
        with django_assert_max_num_queries(BUDGET):
            assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_share_image_is_drawn_once_then_read_from_the_cache(
    sample_archive, client, monkeypatch
):
    """The second request draws nothing; a new title is a new image."""
    cache.clear()
    drawn = []
    original = share_images.draw_card
    monkeypatch.setattr(
        share_images, "draw_card", lambda card: drawn.append(card) or original(card)
    )
    film = FilmPage.objects.get(pk=sample_archive.film.pk)
    url = f"/og/{film.pk}.png"
    first = client.get(url).content
    second = client.get(url).content
    assert first == second
    assert [card.title for card in drawn] == [film.title]
    film.title = "A new title"
    film.save_revision().publish()
    renamed = client.get(url).content
    assert renamed != first
    assert drawn[-1].title == "A new title"


def test_share_image_draws_the_chinese_title_in_a_cjk_font():
    """With a CJK font found, the original title is drawn: the image differs
    from the one without it, and where it is drawn the pixels are not the
    background's."""
    assert share_images.cjk_font_path() is not None, "no CJK font on this machine"
    with_chinese = Image.open(
        io.BytesIO(draw_card(ShareCard("The Wandering Earth", "Film", "流浪地球")))
    )
    without = Image.open(
        io.BytesIO(draw_card(ShareCard("The Wandering Earth", "Film")))
    )
    difference = ImageChops.difference(
        with_chinese.convert("RGB"), without.convert("RGB")
    )
    box = difference.getbbox()
    assert box is not None
    left, top, right, bottom = box
    # Four ideographs of 60px, under the title's line: a block of glyphs.
    assert right - left >= 4 * 40
    assert bottom - top >= 40
    assert top > 200


def test_share_image_without_a_cjk_font_still_draws_the_latin_title(no_fonts):
    """On a bare machine the image is still a 1200x630 PNG with the title; the
    Chinese, which no font could draw, is left out rather than drawn as boxes."""
    assert share_images.cjk_font_path() is None
    assert share_images.latin_font_path() is None
    png = draw_card(ShareCard("The Wandering Earth", "Film", "流浪地球"))
    image = Image.open(io.BytesIO(png))
    assert image.size == (1200, 630)
    plain = draw_card(ShareCard("The Wandering Earth", "Film"))
    assert png == plain
    blank = draw_card(ShareCard("", "Film"))
    assert png != blank


@pytest.mark.django_db
def test_share_image_served_without_any_font(sample_archive, client, no_fonts):
    """The view answers with a PNG on a machine with no fonts."""
    response = client.get(f"/og/{sample_archive.film.pk}.png")
    assert response.status_code == 200
    assert _image(response).size == (1200, 630)


@pytest.mark.django_db
def test_favicon_is_an_icon_of_the_usual_sizes(client):
    """/favicon.ico answers with an ICO holding 16, 32 and 48 pixel images."""
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    icon = _image(response)
    assert icon.format == "ICO"
    assert {(16, 16), (32, 32), (48, 48)} <= set(icon.info["sizes"])


@pytest.mark.django_db
def test_touch_icon_is_a_180_pixel_png(client):
    """/apple-touch-icon.png is the 180x180 PNG that phones ask for."""
    response = client.get("/apple-touch-icon.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert _image(response).size == (180, 180)


@pytest.mark.django_db
def test_pages_link_their_icons(sample_archive, client):
    """Every page links the SVG icon (a static file), the favicon and the touch
    icon."""
    html = client.get("/").content.decode()
    assert '<link rel="icon" href="/favicon.ico"' in html
    assert '<link rel="apple-touch-icon" href="/apple-touch-icon.png">' in html
    svg = re.search(
        r'<link rel="icon" href="([^"]+\.svg)" type="image/svg\+xml">', html
    )
    assert svg is not None
    assert svg.group(1) == static("icons/icon.svg")
    body = Path(finders.find("icons/icon.svg")).read_bytes()
    assert body.lstrip().startswith(b"<svg")


@pytest.mark.django_db
def test_share_image_names_no_hidden_page(sample_archive, client):
    """What a public page names as its image is never a hidden page's."""
    hidden = {f"/og/{page.pk}.png" for page in vars(sample_archive.hidden).values()}
    for url in ("/", "/films/", sample_archive.film.url, "/tags/soft-power/"):
        html = client.get(url).content.decode()
        assert not any(image in html for image in hidden)
        assert HIDDEN not in html


@pytest.mark.django_db
def test_share_image_shows_the_published_title_not_a_draft(sample_archive, client):
    """A live page with a newer draft keeps its published title in its image."""
    cabinet = sample_archive.cabinet
    png = client.get(f"/og/{cabinet.pk}.png").content
    assert png == draw_card(ShareCard(cabinet.title, "Policy event"))
    assert HIDDEN not in cabinet.title
