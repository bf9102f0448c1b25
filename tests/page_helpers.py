"""Reading rendered pages in tests: JSON-LD, meta tags, the main region, text."""

import html
import json
import re

_JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def json_ld(response) -> dict:
    """The page's one JSON-LD object."""
    blocks = _JSON_LD.findall(response.content.decode())
    assert len(blocks) == 1, blocks
    return json.loads(blocks[0])


def meta(response, attribute: str, name: str) -> str | None:
    """The content of ``<meta {attribute}="{name}">`` (or a link's href)."""
    page = response.content.decode()
    if attribute == "link":
        found = re.search(rf'<link rel="{name}" href="([^"]*)"', page)
    else:
        pattern = rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)"'
        found = re.search(pattern, page)
    return html.unescape(found.group(1)) if found else None


def main(response) -> str:
    """The page's ``<main>`` element, as markup."""
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def words(markup: str) -> str:
    """The words of ``markup``: tags become spaces, entities characters."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup))).strip()


def text(response) -> str:
    """The words of the whole page."""
    return words(response.content.decode())


def cites(essay: str, paragraph: str, html: str) -> bool:
    """``html`` links to quoted words in ``paragraph`` of the essay at ``essay``
    (the quoted-words link: ``?from=<fact>#<paragraph>-q<digest>``)."""
    return (
        re.search(rf'href="{re.escape(essay)}\?from=[\w-]+#{paragraph}-q\w+"', html)
        is not None
    )
