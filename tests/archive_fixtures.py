"""The archive's fixture files in tests: loading them, breaking a copy, reading
the sources the way a reader would, independently of the loader."""

import hashlib
import io
import re
import tomllib
from pathlib import Path

from django.core.management import call_command

from wanderingsite.quotes import normalise

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
DOCUMENTS = FIXTURES / "documents"
# A sentence ends at . ? or ! (or one followed by a closing quote) and a space.
SENTENCE_END = r"(?<=[.?!])\s+|(?<=[.?!]['\"])\s+"


def load_archive(fixtures: Path | None = None) -> str:
    """Run ``load_archive`` (on ``fixtures`` if given); what it printed."""
    output = io.StringIO()
    options = {"fixtures": fixtures} if fixtures else {}
    call_command("load_archive", stdout=output, **options)
    return output.getvalue()


def edit_fixture(fixtures: Path, filename: str, old: str, new: str) -> None:
    """Replace the one occurrence of ``old`` in ``fixtures/filename``."""
    path = fixtures / filename
    text = path.read_text("utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), "utf-8")


def edit_document(fixtures: Path, name: str, old: str, new: str) -> str:
    """Replace the first ``old`` in the document ``name`` of ``fixtures``, byte
    for byte otherwise; the document's new SHA-256."""
    path = fixtures / "documents" / name
    data = path.read_bytes()
    assert old.encode() in data, old
    data = data.replace(old.encode(), new.encode(), 1)
    path.write_bytes(data)
    return hashlib.sha256(data).hexdigest()


def essay_layout(document_name: str) -> dict:
    """The ``layout`` table essays.toml gives the essay of ``document_name``."""
    essays = tomllib.loads((FIXTURES / "essays.toml").read_text("utf-8"))["essay"]
    essay = next(e for e in essays if e["document"] == document_name)
    return essay.get("layout", {})


def source_sentences(document_name: str) -> list[str]:
    """The body sentences of a source text: metadata and headings left out,
    link residue and emphasis markers removed, spacing and quotes normalised."""
    layout = essay_layout(document_name)
    skipped = {
        line.strip()
        for line in (*layout.get("metadata", ()), *layout.get("headings", ()))
    }
    text = (DOCUMENTS / document_name).read_text("utf-8")
    lines = [line for line in text.splitlines() if line.strip() not in skipped]
    cleaned = re.sub(r"\[([^\]]+)\]\(#\)", r"\1", " ".join(lines)).replace("*", "")
    return [s for s in re.split(SENTENCE_END, normalise(cleaned)) if s]
