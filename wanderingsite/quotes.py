"""Matching quotes against essay text, whatever its quotes and spacing."""

import hashlib
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


def normalise_with_offsets(text: str) -> tuple[str, list[int]]:
    """``normalise(text)``, and for each of its characters the offset in
    ``text`` of the character it stands for (a run of spaces: its first)."""
    folded = text.translate(_TYPOGRAPHIC)
    chars: list[str] = []
    offsets: list[int] = []
    position = 0
    for space in _SPACE.finditer(folded):
        chars.extend(folded[position : space.start()])
        offsets.extend(range(position, space.start()))
        chars.append(" ")
        offsets.append(space.start())
        position = space.end()
    chars.extend(folded[position:])
    offsets.extend(range(position, len(folded)))
    start, end = 0, len(chars)
    while start < end and chars[start].isspace():
        start += 1
    while end > start and chars[end - 1].isspace():
        end -= 1
    return "".join(chars[start:end]), offsets[start:end]


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


def quote_span(
    text: str, quote: str, folded: tuple[str, list[int]] | None = None
) -> tuple[int, int] | None:
    """Where ``quote`` first occurs in ``text``, as ``find_anchor`` matches it:
    the start and end offsets of its words in ``text``. ``folded``, if given,
    is ``normalise_with_offsets(text)``, worked out once for many quotes."""
    wanted = normalise(quote)
    if not wanted:
        return None
    folded, offsets = folded or normalise_with_offsets(text)
    found = folded.find(wanted)
    if found < 0:
        return None
    return offsets[found], offsets[found + len(wanted) - 1] + 1


def quote_id(anchor: str, quote: str) -> str:
    """The id of the quoted words on their essay page: the paragraph's anchor
    and a digest of the words, the same for the same words however typed."""
    digest = hashlib.sha1(normalise(quote).encode(), usedforsecurity=False)
    return f"{anchor or 'p'}-q{digest.hexdigest()[:6]}"
