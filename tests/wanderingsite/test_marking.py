"""Marks over rich text: elements added around words, the words and the text's
own markup kept."""

import pytest

from wanderingsite.marking import RANK_QUOTE, Mark, mark_html, plain_text
from wanderingsite.quotes import (
    normalise,
    normalise_with_offsets,
    quote_id,
    quote_span,
)

TEXT = "<p>In <i>The Wandering Earth II</i> (2023) &amp; after, the film.</p>"


def _quote(text: str, words: str, target: str = "q1") -> Mark:
    start = plain_text(text).index(words)
    return Mark(
        start,
        start + len(words),
        "span",
        (("id", target),),
        rank=RANK_QUOTE,
        continued=(("class", "more"),),
    )


def test_mark_html_keeps_every_character_of_the_text():
    """Whatever is marked, the text's words come out as they went in."""
    marks = [_quote(TEXT, "Earth II (2023) & after")]
    marked = mark_html(TEXT, marks)
    assert plain_text(marked) == plain_text(TEXT)
    assert "&amp;" in marked


def test_mark_html_closes_and_reopens_italics_around_a_quote():
    """A quote that starts inside italics splits the italics, not the quote."""
    marked = mark_html(TEXT, [_quote(TEXT, "Earth II (2023)")])
    assert marked == (
        '<p>In <i>The Wandering </i><span id="q1"><i>Earth II</i> (2023)</span>'
        " &amp; after, the film.</p>"
    )


def test_mark_html_puts_a_link_around_italics_of_the_same_words():
    """A title in italics is linked whole: the link outside, the italics kept."""
    words = "The Wandering Earth II"
    start = plain_text(TEXT).index(words)
    link = Mark(start, start + len(words), "a", (("href", "/films/ii/"),))
    assert '<a href="/films/ii/"><i>The Wandering Earth II</i></a>' in mark_html(
        TEXT, [link]
    )


def test_mark_html_nests_a_quote_inside_a_longer_one():
    """Two quotes of one paragraph, one within the other, nest."""
    text = "<p>It grossed $693 million, plus $7 million overseas.</p>"
    marked = mark_html(
        text,
        [
            _quote(text, "It grossed $693 million, plus $7 million", "long"),
            _quote(text, "$7 million", "short"),
        ],
    )
    assert (
        '<span id="long">It grossed $693 million, plus '
        '<span id="short">$7 million</span></span>'
    ) in marked


def test_mark_html_gives_the_id_of_a_split_quote_to_its_first_part_only():
    """Quotes that cross: the later one is split, its id on the first part."""
    text = "<p>one two three four</p>"
    marked = mark_html(
        text, [_quote(text, "one two three", "a"), _quote(text, "two three four", "b")]
    )
    assert marked.count('id="b"') == 1
    assert marked.index('id="b"') < marked.index('class="more"')
    assert plain_text(marked) == plain_text(text)


def test_mark_html_leaves_out_a_whole_mark_it_would_split():
    """A link that a quote would cut in two is left out."""
    text = "<p>Wolf Warrior 2 was a hit.</p>"
    link = Mark(0, 14, "a", (("href", "/w/"),), whole=True)
    marked = mark_html(text, [link, _quote(text, "Warrior 2 was a hit")])
    assert "<a" not in marked
    assert 'id="q1"' in marked


def test_mark_html_never_puts_a_link_inside_a_link():
    """A film named inside the text's own link stays as it is."""
    text = '<p>See <a href="https://example.com">Wolf Warrior 2</a>.</p>'
    link = Mark(4, 18, "a", (("href", "/w/"),), not_inside=frozenset({"a"}))
    assert mark_html(text, [link]) == text


@pytest.mark.parametrize(
    "markup",
    ["<p>Unclosed <b>bold</p>", "<p>Wrong</b> close</p>", "<p>a &amp b</p>"],
)
def test_mark_html_returns_markup_it_cannot_read_unmarked(markup):
    """Broken markup or an entity it cannot count comes back as it was."""
    assert mark_html(markup, [Mark(0, 1, "span")]) == markup


def test_mark_html_escapes_the_attributes_it_writes():
    """An attribute value never closes its element."""
    marked = mark_html("<p>word</p>", [Mark(0, 4, "a", (("href", '"><x>'),))])
    assert '"><x>' not in marked
    assert "&quot;&gt;&lt;x&gt;" in marked


@pytest.mark.parametrize(
    "text",
    ["  Two  spaces\u00a0and “curly” quotes — dash ", "plain", "", "\n\t"],
)
def test_normalise_with_offsets_gives_normalise_and_where_each_character_was(text):
    """The folded text is ``normalise``'s; each character maps back to its own."""
    folded, offsets = normalise_with_offsets(text)
    assert folded == normalise(text)
    assert len(offsets) == len(folded)
    for char, offset in zip(folded, offsets, strict=True):
        assert normalise(text[offset]) in (char, "")


def test_quote_span_finds_a_quote_typed_with_straight_quotes_and_one_space():
    """A quote matches loosely, and its span covers the text's own characters."""
    text = "He said “Earth   first” — twice."
    start, end = quote_span(text, 'said "Earth first" - twice')
    assert text[start:end] == "said “Earth   first” — twice"
    assert quote_span(text, "not there") is None


def test_quote_id_is_the_same_for_the_same_words_however_typed():
    """Curly or straight quotes, one space or two: one id."""
    assert quote_id("p2", "it’s  over") == quote_id("p2", "it's over")
    assert quote_id("p2", "it's over") != quote_id("p3", "it's over")
    assert quote_id("p2", "it's over").startswith("p2-q")
