"""An essay's body as its page shows it: the quoted words of each fact that
cites it marked with their ids, the films it names linked, and the facts
quoting each paragraph. Values and pure functions only; ``models`` reads
what they are given."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cached_property

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from wanderingsite.blocks import block_anchor
from wanderingsite.marking import RANK_QUOTE, Mark, mark_html, plain_text
from wanderingsite.quotes import (
    normalise,
    normalise_with_offsets,
    quote_id,
    quote_span,
)

FROM_PARAM = "from"
"""The query parameter of a citation's link that names the fact it supports."""
_FACT_KEY = re.compile(r"\A([0-9]{1,12})-([0-9a-f]{8})\Z")
SHORTEST_LINKED_TITLE = 3
"""Film titles shorter than this stay unlinked: too like ordinary words."""


def fact_digest(claim: str, quote: str) -> str:
    """Names a fact by its claim and quote: the same across reloads and
    revisions while they stay the same."""
    words = f"{normalise(claim)}\n{normalise(quote)}".encode()
    return hashlib.sha1(words, usedforsecurity=False).hexdigest()[:8]


BOX_OFFICE_ANCHOR = "box-office-heading"
"""The id of the box-office table's heading on a film's page."""


@dataclass(frozen=True)
class CitingFact:
    """A fact on a page the public may see that quotes an essay."""

    kind: str
    """"film", "event" or "box-office"."""
    page_id: int
    page_title: str
    page_url: str
    claim: str
    quote: str
    anchor: str
    order: tuple = ()

    KIND_LABELS = {
        "film": _("film"),
        "event": _("policy event"),
        "box-office": _("film, box office"),
    }

    @cached_property
    def digest(self) -> str:
        return fact_digest(self.claim, self.quote)

    @property
    def key(self) -> str:
        """What the ``from`` parameter of a link from the fact says."""
        return f"{self.page_id}-{self.digest}"

    @cached_property
    def quote_id(self) -> str:
        return quote_id(self.anchor, self.quote)

    @property
    def kind_label(self) -> str:
        return str(self.KIND_LABELS.get(self.kind, self.kind))

    @property
    def back_url(self) -> str:
        """The fact on its page."""
        anchor = f"fact-{self.digest}"
        if self.kind == "box-office":
            anchor = BOX_OFFICE_ANCHOR
        return f"{self.page_url}#{anchor}"


@dataclass(frozen=True)
class BodyPart:
    """One block of an essay's body as its page shows it."""

    block: object
    anchor: str
    number: int = 0
    """A paragraph's place among the paragraphs, from 1."""
    text: SafeString | None = None
    """A paragraph's words, its quoted words and the films it names marked."""
    facts: tuple[CitingFact, ...] = ()
    lost: tuple[str, ...] = ()
    """The ids of quotes cited here that the words no longer hold."""

    @property
    def is_paragraph(self) -> bool:
        return self.block.block_type == "paragraph"


@dataclass(frozen=True)
class CitedParagraph:
    anchor: str
    number: int
    facts: tuple[CitingFact, ...]


def _names_in(names: dict[str, str], text: str) -> re.Pattern | None:
    """A pattern for the ``names`` that occur in ``text`` as whole words,
    the longest first ("The Wandering Earth II" before "The Wandering Earth")."""
    present = sorted((name for name in names if name in text), key=len, reverse=True)
    if not present:
        return None
    return re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, present))})(?!\w)")


def _film_marks(text: str, pattern, names: dict[str, str]) -> list[Mark]:
    """A link on the first mention of each film in a paragraph's ``text``."""
    if pattern is None:
        return []
    marks, linked = [], set()
    for match in pattern.finditer(text):
        url = names[match.group(0)]
        if url in linked:
            continue
        linked.add(url)
        marks.append(
            Mark(
                match.start(),
                match.end(),
                "a",
                (("class", "film-link"), ("href", url)),
                not_inside=frozenset({"a"}),
                whole=True,
            )
        )
    return marks


def _quote_mark(start: int, end: int, target: str) -> Mark:
    return Mark(
        start,
        end,
        "span",
        (("class", "cited"), ("id", target)),
        rank=RANK_QUOTE,
        continued=(("class", "cited cited--continued"),),
    )


def essay_body(body, facts: list[CitingFact], names: dict[str, str]):
    """The blocks of ``body`` as the page shows them, each paragraph's quoted
    words marked with their ids and the films it names linked, and the
    paragraphs ``facts`` quote, with them. Only elements are added: the
    words stay as they are."""
    blocks = list(body)
    paragraphs = []  # (block index, number, anchor, markup, text)
    for n, block in enumerate(blocks):
        if block.block_type == "paragraph":
            markup = str(block.value.get("text") or "")
            paragraphs.append(
                (
                    n,
                    len(paragraphs) + 1,
                    block_anchor(block),
                    markup,
                    plain_text(markup),
                )
            )
    by_anchor = {p[2]: p for p in paragraphs}

    folded: dict[str, tuple[str, list[int]]] = {}

    def span_in(paragraph, quote: str):
        anchor, text = paragraph[2], paragraph[4]
        if anchor not in folded:
            folded[anchor] = normalise_with_offsets(text)
        return quote_span(text, quote, folded[anchor])

    located: dict[str, tuple] = {}  # quote id: (paragraph, start, end) or (paragraph,)
    for fact in facts:
        if fact.quote_id in located:
            continue
        stored = by_anchor.get(fact.anchor)
        for paragraph in ([stored] if stored else []) + paragraphs:
            span = span_in(paragraph, fact.quote)
            if span is not None:
                located[fact.quote_id] = (paragraph, *span)
                break
        else:
            home = stored or (paragraphs[0] if paragraphs else None)
            if home is not None:
                located[fact.quote_id] = (home,)

    facts_in: dict[str, list[CitingFact]] = {}
    quotes_in: dict[str, list[Mark]] = {}
    lost_in: dict[str, list[str]] = {}

    def where(fact: CitingFact) -> int:
        place = located.get(fact.quote_id, ())
        return place[1] if len(place) == 3 else -1

    # Each paragraph's facts in the order their words come in it.
    for fact in sorted(facts, key=where):
        place = located.get(fact.quote_id)
        if place is None:
            continue
        anchor = place[0][2]
        facts_in.setdefault(anchor, []).append(fact)
        if len(place) == 3:
            marks = quotes_in.setdefault(anchor, [])
            if all(dict(m.attrs).get("id") != fact.quote_id for m in marks):
                marks.append(_quote_mark(place[1], place[2], fact.quote_id))
        elif fact.quote_id not in lost_in.get(anchor, []):
            lost_in.setdefault(anchor, []).append(fact.quote_id)

    pattern = _names_in(names, " ".join(p[4] for p in paragraphs))
    parts = []
    numbered = {p[0]: p for p in paragraphs}
    for n, block in enumerate(blocks):
        paragraph = numbered.get(n)
        if paragraph is None:
            prefix = "h" if block.block_type == "heading" else "p"
            parts.append(BodyPart(block, block_anchor(block, prefix)))
            continue
        _, number, anchor, markup, text = paragraph
        marks = [*quotes_in.get(anchor, ()), *_film_marks(text, pattern, names)]
        parts.append(
            BodyPart(
                block,
                anchor,
                number=number,
                text=mark_safe(mark_html(markup, marks, text=text)),  # noqa: S308 - rich text, marks escaped
                facts=tuple(facts_in.get(anchor, ())),
                lost=tuple(lost_in.get(anchor, ())),
            )
        )
    cited = [
        CitedParagraph(part.anchor, part.number, part.facts)
        for part in parts
        if part.facts
    ]
    return parts, cited


def arrived_from(facts: list[CitingFact], value: str | None) -> CitingFact | None:
    """The fact a ``from`` value names; None, unread, for what names none."""
    if not value or not _FACT_KEY.match(value):
        return None
    return next((fact for fact in facts if fact.key == value), None)
