"""Matching quotes against essay text, whatever its quotes and spacing."""

import html
import re

from django.utils.html import strip_tags

from .blocks import block_anchor

_TYPOGRAPHIC = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u00a0": " ",
        "\u2013": "-",
        "\u2014": "-",
    }
)
_SPACE = re.compile(r"\s+")
# Where one block of rich text ends and the next begins: stripping the tags
# must not run "...with Jupiter.</p><p>The astronaut..." together.
_BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|blockquote|div)>|<br\s*/?>", re.IGNORECASE)


def normalise(text: str) -> str:
    """Fold typographic quotes, dashes and runs of white space."""
    return _SPACE.sub(" ", text.translate(_TYPOGRAPHIC)).strip()


def html_to_text(markup: str) -> str:
    """The words of ``markup``, one line for each of its blocks."""
    return html.unescape(strip_tags(_BLOCK_END.sub("\\g<0>\n", markup))).strip()


def block_text(block) -> str:
    """The plain words of a paragraph, heading or quote block."""
    value = block.value
    text = value.get("text") if hasattr(value, "get") else value
    if text is None:
        return ""
    source = getattr(text, "source", None)
    return html_to_text(source if source is not None else str(text))


def find_anchor(body, quote: str) -> str | None:
    """The anchor of the first paragraph of ``body`` that holds ``quote``."""
    wanted = normalise(quote)
    if not wanted:
        return None
    for block in body:
        if block.block_type == "paragraph" and wanted in normalise(block_text(block)):
            return block_anchor(block)
    return None
