"""What a result shows: its title and a passage of its page, terms marked.

Each searchable page type says which passages it offers, through
``search_passages()``: prose to quote, and labels (other titles, the source
work, the publication) quoted only for terms the result's title lacks.
"""

import re

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from wagtail.models import Page

from .query import numeral

SNIPPET_LENGTH = 240


def _stem(term: str) -> str:
    """A rough English stem, so that 'wandering' also marks 'wanders'."""
    lowered = term.lower()
    for suffix in ("ing", "es", "ed", "s"):
        if lowered.endswith(suffix) and len(lowered) - len(suffix) >= 4:
            return lowered[: -len(suffix)]
    return lowered


def highlighter(terms: list[str]) -> re.Pattern | None:
    """One pattern for every term, each in its own group ``t0``, ``t1`` ..."""
    pieces = []
    for n, term in enumerate(sorted(set(terms), key=len, reverse=True)):
        if numeral(term):
            piece = numeral(term)
        elif not term.isascii():
            piece = re.escape(term)
        elif len(term) < 3:
            piece = rf"\b{re.escape(term)}\b"
        else:
            piece = rf"\b{re.escape(_stem(term))}\w*"
        pieces.append(f"(?P<t{n}>{piece})")
    return re.compile("|".join(pieces), re.IGNORECASE) if pieces else None


def highlight(text: str, pattern: re.Pattern | None) -> SafeString:
    """``text`` escaped, with each match of ``pattern`` inside ``<mark>``.

    Matches are found in the plain text and every piece is escaped on its own,
    so a term can never match inside an entity such as ``&amp;``.
    """
    if pattern is None:
        return escape(text)
    parts, last = [], 0
    for match in pattern.finditer(text):
        if match.end() == match.start():
            continue
        parts.append(escape(text[last : match.start()]))
        parts.append(format_html("<mark>{}</mark>", match.group()))
        last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308 - every part escaped above


def _excerpt(text: str, at: int) -> str:
    if len(text) <= SNIPPET_LENGTH:
        return text
    start = max(0, at - SNIPPET_LENGTH // 3)
    if start:
        space = text.find(" ", start, at)
        start = space + 1 if space != -1 else start
    end = min(len(text), start + SNIPPET_LENGTH)
    if end < len(text):
        space = text.rfind(" ", max(start, end - 30), end)
        end = space if space != -1 else end
    before = "… " if start else ""
    after = " …" if end < len(text) else ""
    return f"{before}{text[start:end].strip()}{after}"


def _passages(page: Page) -> list[tuple[str, bool]]:
    """The page's passages, white space collapsed, each flagged True for
    prose, False for a label."""
    prose, labels = page.search_passages()
    return [
        (" ".join(text.split()), is_prose)
        for texts, is_prose in ((prose, True), (labels, False))
        for text in texts
        if text and text.strip()
    ]


def _window(text: str, pattern: re.Pattern, known=frozenset()) -> tuple[int, int]:
    """(terms, offset) of the stretch of ``text`` richest in terms not ``known``."""
    matches = list(pattern.finditer(text))
    reach = SNIPPET_LENGTH * 2 // 3
    best = (0, 0)
    for i, first in enumerate(matches):
        terms = {m.lastgroup for m in matches[i:] if m.start() < first.start() + reach}
        best = max(best, (len(terms - known), -first.start()))
    return best[0], -best[1]


def snippet(page: Page, pattern: re.Pattern | None) -> SafeString:
    """The passage of ``page`` richest in the terms, terms marked.

    A label is chosen only for terms the result's title does not already show.
    """
    texts = _passages(page)
    if not texts:
        return mark_safe("")
    best_text, best_terms, best_at = texts[0][0], 0, 0
    if pattern is not None:
        shown = f"{page.title}\n{getattr(page, 'original_title', '')}"
        in_title = frozenset(m.lastgroup for m in pattern.finditer(shown))
        for text, is_prose in texts:
            terms, at = _window(text, pattern, frozenset() if is_prose else in_title)
            if terms > best_terms:
                best_text, best_terms, best_at = text, terms, at
    return highlight(_excerpt(best_text, best_at), pattern)
