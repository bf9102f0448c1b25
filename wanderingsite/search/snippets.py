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


# Where a sentence ends: a stop, perhaps closing quotes or brackets, then
# space and what opens a sentence (a capital, a digit, an opening quote, a
# Chinese character). Not after a lone capital ("J. Smith") or a title.
_SENTENCE_END = re.compile(
    r"(?<![A-Z])(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSt)"
    r"[.!?\u2026][\"'\u201d\u2019)\]]*\s+"
    r"(?=[\"'\u201c\u2018(\[]?[A-Z0-9\u4e00-\u9fff])"
)


def sentences(paragraph: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``paragraph``, in order, end to start."""
    spans, start = [], 0
    for stop in _SENTENCE_END.finditer(paragraph):
        spans.append((start, stop.end()))
        start = stop.end()
    if start < len(paragraph):
        spans.append((start, len(paragraph)))
    return spans


def _cut(text: str, at: int, start: int, end: int) -> tuple[int, int]:
    """At most SNIPPET_LENGTH of ``text[start:end]`` around ``at``, cut at spaces."""
    if end - start <= SNIPPET_LENGTH:
        return start, end
    begin = max(start, at - SNIPPET_LENGTH // 3)
    if begin > start:
        space = text.find(" ", begin, at)
        begin = space + 1 if space != -1 else begin
    stop = min(end, begin + SNIPPET_LENGTH)
    if stop < end:
        space = text.rfind(" ", max(begin, stop - 30), stop)
        stop = space if space != -1 else stop
    return begin, stop


def _excerpt(paragraph: str, at: int) -> str:
    """The sentence of ``paragraph`` that holds offset ``at``, with as many
    whole sentences after it, then before it, as fit SNIPPET_LENGTH; only a
    sentence longer than that is cut, at spaces around ``at``. An ellipsis
    marks what is left out of the paragraph."""
    spans = sentences(paragraph)
    hit = next((n for n, (_, end) in enumerate(spans) if at < end), len(spans) - 1)
    first = last = hit
    start, end = spans[hit]
    while True:
        if last + 1 < len(spans) and spans[last + 1][1] - start <= SNIPPET_LENGTH:
            last += 1
            end = spans[last][1]
        elif first > 0 and end - spans[first - 1][0] <= SNIPPET_LENGTH:
            first -= 1
            start = spans[first][0]
        else:
            break
    start, end = _cut(paragraph, at, start, end)
    before = "\u2026 " if start else ""
    after = " \u2026" if end < len(paragraph) else ""
    return f"{before}{paragraph[start:end].strip()}{after}"


def _passages(page: Page, facts=()) -> list[tuple[str, bool]]:
    """The page's paragraphs (a passage's lines), white space collapsed, each
    flagged True for prose, False for a label: a snippet quotes one paragraph,
    never the end of one run into the start of the next. The claims of the
    page's ``facts`` (claim, quote) are prose, their quotes labels."""
    prose, labels = page.search_passages()
    prose = [*prose, *(claim for claim, _ in facts)]
    labels = [*labels, *(quote for _, quote in facts)]
    return [
        (" ".join(paragraph.split()), is_prose)
        for texts, is_prose in ((prose, True), (labels, False))
        for text in texts
        for paragraph in (text or "").splitlines()
        if paragraph.strip()
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


def snippet(page: Page, pattern: re.Pattern | None, facts=()) -> SafeString:
    """The passage of ``page`` (or of its cited ``facts``) richest in the
    terms, terms marked.

    A label is chosen only for terms the result's title does not already show.
    """
    texts = _passages(page, facts)
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
