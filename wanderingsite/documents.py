"""Source texts into essay bodies: the words kept, the markup made plain.

A document is plain text: paragraphs separated by blank lines. Some carry
markdown-style residue from the page they were copied from: ``[words](#)``
(a link whose target was lost) and ``*words*`` (emphasis). A ``Layout`` says,
explicitly, which lines are metadata rather than body, which are section
headings and which paragraphs a stray blank line broke in two; every
instruction must match the text, so a layout cannot silently drift from its
document.
"""

import html
import re
from dataclasses import dataclass, field

from django.utils.text import slugify

_LINK_RESIDUE = re.compile(r"\[([^\[\]\n]+)\]\(#\)")
_EMPHASIS = re.compile(r"\*([^*\n]+)\*")


class LayoutError(ValueError):
    """A layout instruction that does not match its document."""

    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field_name = field_name
        self.message = message


@dataclass(frozen=True)
class Layout:
    metadata: tuple[str, ...] = ()
    headings: tuple[str, ...] = ()
    join_after: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Block:
    kind: str
    text: str
    html: str
    anchor: str


@dataclass(frozen=True)
class Document:
    metadata: tuple[str, ...]
    blocks: tuple[Block, ...]

    @property
    def paragraphs(self) -> tuple[Block, ...]:
        return tuple(block for block in self.blocks if block.kind == "paragraph")


def plain_text(text: str) -> str:
    """The words of ``text`` with link residue and emphasis markers removed."""
    return _EMPHASIS.sub(r"\1", _LINK_RESIDUE.sub(r"\1", text))


def inline_html(text: str) -> str:
    """``text`` HTML-escaped, link residue as plain words, ``*emphasis*`` as <i>."""
    escaped = html.escape(_LINK_RESIDUE.sub(r"\1", text), quote=False)
    return _EMPHASIS.sub(r"<i>\1</i>", escaped)


def paragraphs_html(text: str) -> str:
    """Rich text HTML for plain text whose paragraphs are split by blank lines."""
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text.strip())]
    return "".join(f"<p>{inline_html(p)}</p>" for p in paragraphs if p)


def _leftover_markup(text: str) -> str | None:
    if "](" in text:
        return "](#"
    if "*" in text:
        return "*"
    return None


def _check_layout(lines: list[str], layout: Layout) -> None:
    stripped = [line.strip() for line in lines]
    for value in layout.metadata:
        if value.strip() not in stripped:
            raise LayoutError("metadata", f"{value!r} is not a line of the document")
    for value in layout.headings:
        if value.strip() not in stripped:
            raise LayoutError("headings", f"{value!r} is not a line of the document")
        if value.strip() in {m.strip() for m in layout.metadata}:
            raise LayoutError(
                "headings", f"{value!r} is also declared as a metadata line"
            )
    for value in layout.join_after:
        ends = [n for n, line in enumerate(stripped) if line and line.endswith(value)]
        if len(ends) != 1:
            where = "no line" if not ends else f"{len(ends)} lines"
            raise LayoutError("join_after", f"{value!r} ends {where} of the document")
        following = stripped[ends[0] + 1 :]
        if not following or following[0] != "" or not any(following):
            raise LayoutError(
                "join_after",
                f"the line ending {value!r} is not followed by a blank line "
                "and more text",
            )


def parse_document(text: str, layout: Layout | None = None) -> Document:
    """Split a source text into its metadata lines and its body blocks.

    Paragraph anchors are ``p1``, ``p2`` ... in document order; headings get
    the slug of their text. Raises ``LayoutError`` when the layout does not
    match the text or markup is left that the parser does not understand.
    """
    layout = layout or Layout()
    lines = text.splitlines()
    _check_layout(lines, layout)
    metadata_lines = {value.strip() for value in layout.metadata}
    heading_lines = {value.strip() for value in layout.headings}

    metadata: list[str] = []
    units: list[tuple[str, str]] = []
    current: list[str] = []
    joining = False

    def flush():
        if current:
            units.append(("paragraph", " ".join(current)))
            current.clear()

    for raw in lines:
        line = raw.strip()
        if not line:
            if not joining:
                flush()
            continue
        joining = False
        if line in metadata_lines:
            flush()
            metadata.append(line)
        elif line in heading_lines:
            flush()
            units.append(("heading", line))
        else:
            current.append(line)
            joining = any(line.endswith(value) for value in layout.join_after)
    flush()

    blocks: list[Block] = []
    used: set[str] = set()
    paragraph_number = 0
    for kind, source in units:
        words = plain_text(source)
        leftover = _leftover_markup(words)
        if leftover:
            raise LayoutError(
                "document", f"unrecognised markup {leftover!r} in {source[:60]!r}"
            )
        if kind == "paragraph":
            paragraph_number += 1
            anchor = f"p{paragraph_number}"
            markup = f"<p>{inline_html(source)}</p>"
        else:
            anchor = slugify(words) or "section"
            markup = html.escape(words, quote=False)
        base, suffix = anchor, 2
        while anchor in used:
            anchor, suffix = f"{base}-{suffix}", suffix + 1
        used.add(anchor)
        blocks.append(Block(kind=kind, text=words, html=markup, anchor=anchor))
    return Document(metadata=tuple(metadata), blocks=tuple(blocks))
