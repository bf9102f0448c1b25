"""Elements laid over rich text by the offsets of its words: every character
and every element of the text kept, new ones added around runs of it.

Quoted words become an element with an id that a link can target, and a
film's title a link to its page. The new elements and the text's own must
nest; where they would cross, the one of lower ``rank`` is split in two at the
other's edge (an ``<i>`` closed and opened again around a quote, never the
quote). Markup this module cannot read for certain (a tag left open, an
entity it cannot count) is returned as it came, without marks.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.html import escape

from .quotes import html_to_text

RANK_INLINE = 0
"""The text's own inline elements (``<i>``, ``<b>``, ``<a>``): split first."""
RANK_LINK = 10
RANK_QUOTE = 20
RANK_BLOCK = 30
"""The text's own paragraphs and lists: never split, marks split at them."""

_BLOCK_TAGS = frozenset(
    ("p", "div", "ul", "ol", "li", "blockquote", "pre", "table", "tr", "td", "th")
    + ("h1", "h2", "h3", "h4", "h5", "h6")
)
_VOID_TAGS = frozenset(("br", "hr", "img", "wbr", "input", "source"))
_TOKEN = re.compile(r"<!--.*?-->|<[^>]*>|[^<]+", re.DOTALL)
_TAG_NAME = re.compile(r"</?\s*([a-zA-Z][a-zA-Z0-9]*)")
_ATOM = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);|[^&]+|&")


@dataclass(frozen=True)
class Mark:
    """An element to wrap around the text from ``start`` to ``end`` (offsets
    in the plain text, ``plain_text(markup)``)."""

    start: int
    end: int
    tag: str
    attrs: tuple[tuple[str, str], ...] = ()
    rank: int = RANK_LINK
    continued: tuple[tuple[str, str], ...] | None = None
    """The attributes of its second and later parts, if it must be split
    (an id belongs to the first part only); ``attrs`` when None."""
    not_inside: frozenset[str] = frozenset()
    """The text's own elements it must not touch (a link inside a link):
    a mark that would is left out."""
    whole: bool = False
    """Left out rather than split (a link cut in two by a quote)."""


@dataclass
class _Span:
    start: int
    end: int
    rank: int
    order: int
    open: str
    close: str
    tag: str
    first: bool = True
    continued_open: str = ""
    own: bool = False
    """One of the text's own elements."""
    whole: bool = False


@dataclass
class _Atom:
    raw: str
    length: int


@dataclass
class _Parsed:
    atoms: list[_Atom] = field(default_factory=list)
    spans: list[_Span] = field(default_factory=list)


class _Unreadable(ValueError):
    pass


def plain_text(markup: str) -> str:
    """The words of ``markup`` that marks count their offsets in."""
    return html_to_text(markup)


def _open_tag(tag: str, attrs: Iterable[tuple[str, str]]) -> str:
    rendered = "".join(f' {name}="{escape(value)}"' for name, value in attrs)
    return f"<{tag}{rendered}>"


def _pieces(text: str, position: int, cuts: list[int]):
    """``text`` (between tags, starting at word ``position``) as atoms: each
    entity one, the characters between them in runs cut at ``cuts``."""
    for atom in _ATOM.findall(text):
        if atom.startswith("&"):
            yield _Atom(atom, len(html.unescape(atom)))
            position += len(html.unescape(atom))
            continue
        end = position + len(atom)
        edge = bisect.bisect_right(cuts, position)
        offset = 0
        while edge < len(cuts) and cuts[edge] < end:
            cut = cuts[edge] - position
            if cut > offset:
                yield _Atom(atom[offset:cut], cut - offset)
            offset, edge = cut, edge + 1
        yield _Atom(atom[offset:], len(atom) - offset)
        position = end


def _parse(markup: str, cuts: list[int]) -> _Parsed:
    """The text as atoms (runs of characters cut where marks begin and end,
    an entity, or markup that holds no words) and its elements as spans of
    atoms."""
    parsed = _Parsed()
    stack: list[tuple[str, str, int]] = []
    position = 0
    for token in _TOKEN.findall(markup):
        if not token.startswith("<"):
            for atom in _pieces(token, position, cuts):
                parsed.atoms.append(atom)
                position += atom.length
            continue
        name_match = _TAG_NAME.match(token)
        if token.startswith("<!--") or name_match is None:
            parsed.atoms.append(_Atom(token, 0))
            continue
        name = name_match.group(1).lower()
        if token.startswith("</"):
            if not stack or stack[-1][0] != name:
                raise _Unreadable(token)
            _, opening, first = stack.pop()
            if not any(a.length for a in parsed.atoms[first:]):
                # An element without words is kept whole, as one atom.
                inner = "".join(a.raw for a in parsed.atoms[first:])
                del parsed.atoms[first:]
                parsed.atoms.append(_Atom(f"{opening}{inner}{token}", 0))
                parsed.spans = [s for s in parsed.spans if s.start < first]
                continue
            rank = RANK_BLOCK if name in _BLOCK_TAGS else RANK_INLINE
            parsed.spans.append(
                _Span(
                    first,
                    len(parsed.atoms),
                    rank,
                    len(parsed.spans),
                    opening,
                    token,
                    name,
                    continued_open=opening,
                    own=True,
                )
            )
        elif name in _VOID_TAGS or token.endswith("/>"):
            parsed.atoms.append(_Atom(token, 0))
        else:
            stack.append((name, token, len(parsed.atoms)))
    if stack:
        raise _Unreadable(stack[-1][1])
    return parsed


def _atom_range(starts: list[int], ends: list[int], start: int, end: int):
    """The atoms holding the words from ``start`` to ``end``, as a range
    (atoms without words at its edges left out)."""
    first = bisect.bisect_right(ends, start)
    last = bisect.bisect_left(starts, end) - 1
    while first <= last and ends[first] == starts[first]:
        first += 1
    while last >= first and ends[last] == starts[last]:
        last -= 1
    if first > last:
        return None
    return first, last + 1


def _crosses(a: _Span, b: _Span) -> bool:
    return a.start < b.start < a.end < b.end or b.start < a.start < b.end < a.end


def _nested(spans: list[_Span]) -> list[_Span]:
    """``spans`` cut where they cross, the lower rank at the higher's edges."""
    placed: list[_Span] = []
    for span in sorted(spans, key=lambda s: (-s.rank, s.order)):
        cuts = sorted(
            {
                edge
                for other in placed
                if _crosses(span, other)
                for edge in (other.start, other.end)
                if span.start < edge < span.end
            }
        )
        if cuts and span.whole:
            continue
        edges = [span.start, *cuts, span.end]
        for n, (start, end) in enumerate(zip(edges, edges[1:], strict=False)):
            part = _Span(**{**span.__dict__, "start": start, "end": end})
            if n:
                part.first = False
            placed.append(part)
    return placed


def mark_html(markup: str, marks: Iterable[Mark], text: str | None = None) -> str:
    """``markup`` with ``marks`` wrapped around their words; ``text``, if
    given, is ``plain_text(markup)``, already worked out."""
    marks = list(marks)
    if not marks:
        return markup
    cuts = sorted({edge for mark in marks for edge in (mark.start, mark.end)})
    try:
        parsed = _parse(markup, cuts)
    except _Unreadable:
        return markup
    atoms = parsed.atoms
    words = plain_text(markup) if text is None else text
    if "".join(html.unescape(a.raw) for a in atoms if a.length) != words:
        return markup
    starts, ends, position = [], [], 0
    for atom in atoms:
        starts.append(position)
        position += atom.length
        ends.append(position)
    spans = list(parsed.spans)
    for mark in marks:
        found = _atom_range(starts, ends, mark.start, mark.end)
        if found is None:
            continue
        start, end = found
        if any(
            s.tag in mark.not_inside and s.start < end and start < s.end
            for s in parsed.spans
        ):
            continue
        spans.append(
            _Span(
                start,
                end,
                mark.rank,
                len(spans),
                _open_tag(mark.tag, mark.attrs),
                f"</{mark.tag}>",
                mark.tag,
                continued_open=_open_tag(
                    mark.tag, mark.attrs if mark.continued is None else mark.continued
                ),
                whole=mark.whole,
            )
        )
    ordered = sorted(_nested(spans), key=lambda s: (s.start, -s.end, -s.rank, s.order))
    opening: dict[int, list[_Span]] = {}
    for span in ordered:
        opening.setdefault(span.start, []).append(span)
    out: list[str] = []
    stack: list[_Span] = []
    for n in range(len(atoms) + 1):
        while stack and stack[-1].end == n:
            out.append(stack.pop().close)
        if n == len(atoms):
            break
        for span in opening.get(n, ()):
            out.append(span.open if span.first else span.continued_open)
            stack.append(span)
        out.append(atoms[n].raw)
    return "".join(out)
