import re

import pytest

from tests.archive_fixtures import DOCUMENTS, essay_layout, source_sentences
from wanderingsite.documents import (
    Layout,
    LayoutError,
    inline_html,
    paragraphs_html,
    parse_document,
    plain_text,
)
from wanderingsite.quotes import normalise

ESSAY_002 = "002_77ac2b0b79d48e72.txt"
HEADINGS_002 = [
    "China's global strategy",
    "Technology and humanity",
    "People and culture",
    "Diplomacy and geopolitics",
    "Reflection",
]


def _layout(document_name: str) -> Layout:
    table = essay_layout(document_name)
    return Layout(
        metadata=tuple(table.get("metadata", ())),
        headings=tuple(table.get("headings", ())),
        join_after=tuple(table.get("join_after", ())),
    )


def _parse(document_name: str):
    text = (DOCUMENTS / document_name).read_text("utf-8")
    return parse_document(text, _layout(document_name))


def test_parse_document_keeps_002_metadata_out_of_the_body():
    """Title, author, date line, note and biography of 002 are metadata, not body."""
    document = _parse(ESSAY_002)
    body = " ".join(block.text for block in document.blocks)
    assert len(document.metadata) == 5
    assert "February 24 2023" in document.metadata
    assert "Marina Zhang" in document.metadata
    assert "Note: This article appeared" not in body
    assert "Dr Marina Zhang is Associate Professor" not in body
    assert "Can hard Chinese science fiction be a source of soft power?" not in body
    assert document.blocks[0].text.startswith(
        "The Wandering Earth II (2023) is a prequel"
    )


def test_parse_document_makes_002_section_headings_heading_blocks():
    """Each declared section heading becomes a heading block with a slug anchor."""
    document = _parse(ESSAY_002)
    headings = [block for block in document.blocks if block.kind == "heading"]
    assert [block.text for block in headings] == HEADINGS_002
    assert headings[0].anchor == "chinas-global-strategy"
    assert not any(p.text in HEADINGS_002 for p in document.paragraphs)


def test_parse_document_joins_the_paragraph_broken_across_a_blank_line():
    """'... in scenes of drone' and 'swarm battles, ...' are one paragraph."""
    document = _parse(ESSAY_002)
    joined = [
        p for p in document.paragraphs if "scenes of drone swarm battles" in p.text
    ]
    assert len(joined) == 1
    assert joined[0].text.startswith("Liu's 'hard science' fiction")
    assert not any(p.text.startswith("swarm battles") for p in document.paragraphs)


def test_parse_document_removes_link_residue_and_emphasis_markers():
    """No '](#)' or '*' remains; emphasis is italics in the HTML."""
    document = _parse(ESSAY_002)
    for block in document.blocks:
        assert "](#" not in block.text and "](#" not in block.html
        assert "[" not in block.text
        assert "*" not in block.text and "*" not in block.html
    first = document.paragraphs[0]
    assert "<i>The Wandering Earth</i> (2019)" in first.html
    assert "recent Munich Security Conference." in first.text


def test_parse_document_keeps_the_typo_despidal():
    """The source's 'despidal' is quoted faithfully, not corrected."""
    document = _parse(ESSAY_002)
    assert any(
        "Liu's despidal of authoritarianism" in p.text for p in document.paragraphs
    )


@pytest.mark.parametrize(
    "document_name",
    ["000_322c40b3b1f5d411.txt", "001_1c143bf0ccc6c69d.txt"],
)
def test_parse_document_plain_texts_are_paragraphs_in_order(document_name):
    """000 and 001 are plain paragraphs: one block per blank-line-separated chunk."""
    text = (DOCUMENTS / document_name).read_text("utf-8")
    chunks = [c.strip() for c in re.split(r"\n\s*\n", text) if c.strip()]
    document = _parse(document_name)
    assert document.metadata == ()
    assert [p.text for p in document.blocks] == chunks
    assert [p.anchor for p in document.blocks] == [
        f"p{n}" for n in range(1, len(chunks) + 1)
    ]


@pytest.mark.parametrize(
    "document_name",
    ["000_322c40b3b1f5d411.txt", "001_1c143bf0ccc6c69d.txt", ESSAY_002],
)
def test_parse_document_keeps_every_sentence_in_order(document_name):
    """Every body sentence of the source is in the blocks, words unchanged, in order."""
    body = normalise(" ".join(block.text for block in _parse(document_name).blocks))
    position = 0
    for sentence in source_sentences(document_name):
        found = body.find(sentence, position)
        assert found >= 0, sentence
        position = found + len(sentence)


def test_parse_document_paragraph_anchors_are_sequential_across_headings():
    """Paragraphs are p1, p2 ... in document order, headings do not count."""
    document = _parse(ESSAY_002)
    anchors = [p.anchor for p in document.paragraphs]
    assert anchors == [f"p{n}" for n in range(1, len(anchors) + 1)]
    assert len(anchors) == 15


def test_inline_html_escapes_text_before_adding_italics():
    """Markup in a source is text, never HTML; *emphasis* becomes <i>."""
    assert inline_html("a <b> & *c*") == "a &lt;b&gt; &amp; <i>c</i>"
    assert inline_html("[words](#) stay") == "words stay"
    assert plain_text("*Title* and [link](#)") == "Title and link"
    assert paragraphs_html("one\n\n two <x>") == "<p>one</p><p>two &lt;x&gt;</p>"


@pytest.mark.parametrize(
    ("layout", "field_name"),
    [
        (Layout(headings=("Not a heading here",)), "headings"),
        (Layout(metadata=("Nobody",)), "metadata"),
        (Layout(join_after=("no such words",)), "join_after"),
        (Layout(join_after=("last line",)), "join_after"),
    ],
)
def test_parse_document_rejects_a_layout_that_does_not_match(layout, field_name):
    """A declared heading, metadata line or join that is not in the text is an error."""
    with pytest.raises(LayoutError) as caught:
        parse_document("First line\n\nSecond paragraph\n\nThe last line", layout)
    assert caught.value.field_name == field_name


def test_parse_document_rejects_unrecognised_markup():
    """A stray '*' or link residue with a real target is reported, not published."""
    with pytest.raises(LayoutError) as caught:
        parse_document("A footnote* here.")
    assert caught.value.field_name == "document"
    with pytest.raises(LayoutError):
        parse_document("See [the page](https://example.com).")
