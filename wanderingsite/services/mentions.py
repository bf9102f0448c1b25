"""Which pages name a person or institution in their own text, and the
sentence that does: the ``PersonMention`` rows a person's page lists.

Rebuilt whole by ``load_archive`` (and ``manage.py update_mentions``), and for
one page each time it is published, as the search lexicon is. A name is
found as the sources write it, case included, as whole words: a person's
name, original name and aliases, quotes and spacing normalised. A page
links to the paragraph that holds the sentence where it has paragraphs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from wagtail.models import Page
from wagtail.signals import page_published

from ..blocks import block_anchor
from ..models import Person, PersonMention
from ..page_types import archive_types
from ..quotes import block_text, normalise
from ..visibility import visible_q

MAX_PASSAGE = 400
"""Characters of a passage kept around the name; longer sentences are cut."""
# A full stop (with any closing quotes) before the next sentence's capital.
_SENTENCE_END = re.compile(r"[.!?。！？][\"'”’)\]]*(?=\s+[\"'“‘(A-Z0-9]|\s*$)")


@dataclass(frozen=True)
class _Unit:
    """A piece of a page's text: a paragraph (with its anchor) or a field."""

    text: str
    anchor: str = ""


def _name_pattern(people: Iterable[tuple[int, str]]) -> tuple[re.Pattern, dict]:
    """One pattern for every name (longest first), and the people each names."""
    owners: dict[str, set[int]] = {}
    for pk, name in people:
        name = normalise(name)
        if len(name) >= (3 if name.isascii() else 2):
            owners.setdefault(name, set()).add(pk)
    pieces = []
    for name in sorted(owners, key=len, reverse=True):
        escaped = re.escape(name)
        # A Latin name is a whole word; a Chinese one needs no spaces around it.
        pieces.append(rf"(?<!\w){escaped}(?!\w)" if name.isascii() else escaped)
    pattern = re.compile("|".join(pieces)) if pieces else re.compile(r"(?!x)x")
    return pattern, owners


def _people_names() -> tuple[re.Pattern, dict]:
    rows = Person.objects.values_list("pk", "name", "original_name", "aliases")
    return _name_pattern(
        (pk, name)
        for pk, *names, aliases in rows
        for name in [*names, *aliases.splitlines()]
        if name.strip()
    )


def _units(page) -> list[_Unit]:
    """The page's text: its body's blocks with their anchors first (the
    source's words on an essay), then its other prose."""
    units = []
    body = getattr(page, "body", None) or []
    for block in body:
        anchor = block_anchor(block) if block.block_type == "paragraph" else ""
        units.append(_Unit(normalise(block_text(block)), anchor))
    in_body = {unit.text for unit in units}
    prose, _labels = page.search_passages()
    units += [_Unit(t) for t in map(normalise, prose) if t and t not in in_body]
    return units


def _passage(text: str, start: int, end: int) -> str:
    """The sentence of ``text`` that holds ``start:end``, cut to about
    MAX_PASSAGE characters around it."""
    sentence_start = 0
    for match in _SENTENCE_END.finditer(text):
        if match.end() > start:
            break
        sentence_start = match.end()
    following = _SENTENCE_END.search(text, end)
    sentence_end = following.end() if following else len(text)
    sentence = text[sentence_start:sentence_end]
    offset = sentence_start + len(sentence) - len(sentence.lstrip())
    sentence = sentence.strip()
    if len(sentence) <= MAX_PASSAGE:
        return sentence
    left = max(0, min(start - offset - MAX_PASSAGE // 2, len(sentence) - MAX_PASSAGE))
    cut = sentence[left : left + MAX_PASSAGE].strip()
    before = "…" if left else ""
    after = "…" if left + MAX_PASSAGE < len(sentence) else ""
    return f"{before}{cut}{after}"


def mentions_in(page, pattern: re.Pattern, owners: dict) -> list[PersonMention]:
    """A mention of each person whose name ``page``'s text holds: the first."""
    found: dict[int, PersonMention] = {}
    for unit in _units(page):
        for match in pattern.finditer(unit.text):
            for pk in owners.get(match.group(0), ()):
                if pk not in found:
                    found[pk] = PersonMention(
                        person_id=pk,
                        page_id=page.pk,
                        passage=_passage(unit.text, match.start(), match.end()),
                        anchor=unit.anchor,
                    )
    return list(found.values())


def rebuild_mentions() -> int:
    """Make the mentions those of the visible pages, changing only the rows
    that differ (a second run changes nothing); their number."""
    pattern, owners = _people_names()
    found = {}
    for archive_type in archive_types:
        pages = archive_type.model.objects.filter(visible_q()).order_by("pk")
        for page in pages.iterator(chunk_size=500):
            for mention in mentions_in(page, pattern, owners):
                found[mention.person_id, mention.page_id] = mention
    fields = ("person_id", "page_id", "passage", "anchor")
    with transaction.atomic():
        stale = []
        for pk, *stored in PersonMention.objects.values_list("pk", *fields):
            wanted = found.get((stored[0], stored[1]))
            if wanted is not None and [getattr(wanted, f) for f in fields] == stored:
                del found[stored[0], stored[1]]
            else:
                stale.append(pk)
        PersonMention.objects.filter(pk__in=stale).delete()
        PersonMention.objects.bulk_create(found.values(), batch_size=2000)
    return PersonMention.objects.count()


def update_page_mentions(page: Page) -> None:
    """Replace the mentions of ``page`` with those its text now holds."""
    page = page.specific
    if archive_types.for_model(type(page)) is None:
        return
    pattern, owners = _people_names()
    with transaction.atomic():
        PersonMention.objects.filter(page_id=page.pk).delete()
        PersonMention.objects.bulk_create(mentions_in(page, pattern, owners))


def _published(sender, instance, **kwargs) -> None:
    update_page_mentions(instance)


def connect_mentions() -> None:
    """Find the people each page names as it is published."""
    page_published.connect(_published, dispatch_uid="person-mentions")
