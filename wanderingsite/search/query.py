"""Reading a visitor's query: the text searched and the words in it."""

import re
import unicodedata

MAX_QUERY_LENGTH = 200
MAX_TERMS = 10
ROMAN = {"2": "ii", "3": "iii", "4": "iv", "5": "v", "6": "vi", "7": "vii"}
ROMAN |= {"8": "viii", "9": "ix"}
ARABIC = {roman: arabic for arabic, roman in ROMAN.items()}

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
WORD = re.compile(r"\w+")


def clean_query(raw: str | None) -> str:
    """The query as searched: control characters dropped, spaces collapsed, cut."""
    text = unicodedata.normalize("NFKC", _CONTROL.sub(" ", raw or ""))
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def query_terms(query: str) -> list[str]:
    """The words of ``query``: letters and digits of any script, no operators."""
    return WORD.findall(query)[:MAX_TERMS]


def numeral(term: str) -> str | None:
    """``term`` as a pattern matching both its arabic and roman forms, if it
    is a number from 2 to 9 written either way."""
    lowered = term.lower()
    arabic = lowered if lowered in ROMAN else ARABIC.get(lowered)
    return rf"\b(?:{arabic}|{ROMAN[arabic]})\b" if arabic else None
