"""How to cite a page of the archive: one reference, written out in plain
text, BibTeX, RIS and CSL-JSON, by the page's permalink (``/p/<id>/``), which
keeps leading to the page when its slug or place changes.

An essay is cited as the work it is (its author, publication and date, as
precise as the source) held by the archive; every other page as a page of the
archive. Names are given whole, never split into family and given names:
the sources do not say which part is which.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field

from django.urls import reverse

from .dates import DatePrecision, format_precise_date, iso_precise_date

SITE_NAME = "The Wandering Earth Archive"
SITE_NAME_SLUG = "wandering-earth-archive"
BIBTEX_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun")
BIBTEX_MONTHS += ("jul", "aug", "sep", "oct", "nov", "dec")
FORMATS = {
    # suffix: (label, content type)
    "bib": ("BibTeX", "application/x-bibtex"),
    "ris": ("RIS", "application/x-research-info-systems"),
    "json": ("CSL-JSON", "application/vnd.citationstyles.csl+json"),
}
_BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def permalink_path(page_id: int, suffix: str = "") -> str:
    """``/p/<id>/``, or one of its downloads (``suffix``: bib, ris, json)."""
    if suffix:
        return reverse("cite_download", kwargs={"page_id": page_id, "suffix": suffix})
    return reverse("permalink", kwargs={"page_id": page_id})


def _bibtex_text(text: str) -> str:
    return "".join(_BIBTEX_ESCAPES.get(char, char) for char in " ".join(text.split()))


def _bibtex_url(url: str) -> str:
    return url.replace("{", "%7B").replace("}", "%7D")


def _one_line(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class Download:
    label: str
    url: str
    filename: str


@dataclass(frozen=True)
class Reference:
    """What a citation of one page says; ``key`` names it in a bibliography."""

    key: str
    title: str
    url: str
    """The permalink, absolute."""
    genre: str
    """What the page is: "film", "policy event", "tag" ..."""
    updated: datetime.date | None = None
    """When the archive last published the page."""
    authors: tuple[str, ...] = ()
    publication: str = ""
    """Where an essay first appeared; empty for the archive's own pages."""
    published: datetime.date | None = None
    published_precision: str = DatePrecision.DAY
    original_url: str = ""
    path: str = ""
    """The permalink on this site, for links from the page itself."""
    slug: str = ""
    downloads_path: dict[str, str] = field(default_factory=dict)
    """suffix: path of the download of each format, if the page has them."""

    @property
    def is_essay(self) -> bool:
        return bool(self.publication)

    @property
    def published_display(self) -> str:
        return format_precise_date(self.published, self.published_precision)

    @property
    def updated_display(self) -> str:
        return format_precise_date(self.updated, DatePrecision.DAY)

    @property
    def _date_parts(self) -> list[int]:
        date = self.published
        parts = [date.year, date.month, date.day]
        if self.published_precision == DatePrecision.YEAR:
            return parts[:1]
        if self.published_precision == DatePrecision.MONTH:
            return parts[:2]
        return parts

    def _held(self) -> str:
        held = f"{SITE_NAME}, {self.url}"
        if self.updated:
            held += f" (page last updated {self.updated_display})"
        return held

    @property
    def plain_text(self) -> str:
        """One sentence a reader can paste: who, what, where, and the permalink."""
        title = _one_line(self.title)
        if not self.is_essay:
            return f"\u201c{title}\u201d, {self.genre} page. {self._held()}."
        if not title.endswith((".", "?", "!")):
            title += "."
        title = f"\u201c{title}\u201d"
        parts = []
        if self.authors:
            parts.append(f"{' and '.join(self.authors)}.")
        first = self.publication
        if self.published:
            first += f", {self.published_display}"
        parts.append(f"{title} {first}.")
        if self.original_url:
            parts.append(f"{self.original_url}.")
        parts.append(f"Full text in {self._held()}.")
        return " ".join(parts)

    def _note(self) -> str:
        if not self.is_essay:
            note = f"{self.genre.capitalize()} page"
        else:
            note = f"First published in {self.publication}"
            if self.published:
                note += f", {self.published_display}"
            if self.original_url:
                note += f", {self.original_url}"
            note += f". Full text in {SITE_NAME}"
        if self.updated:
            last = "last updated" if not self.is_essay else "page last updated"
            note += f"; {last} {self.updated.isoformat()}"
        return note + "."

    @property
    def bibtex(self) -> str:
        fields: list[tuple[str, str]] = []
        if self.authors:
            names = " and ".join(f"{{{_bibtex_text(a)}}}" for a in self.authors)
            fields.append(("author", f"{{{names}}}"))
        fields.append(("title", f"{{{{{_bibtex_text(self.title)}}}}}"))
        if self.is_essay:
            kind = "article"
            fields.append(("journal", f"{{{_bibtex_text(self.publication)}}}"))
            if self.published:
                parts = self._date_parts
                fields.append(("year", f"{{{parts[0]}}}"))
                if len(parts) > 1:
                    fields.append(("month", BIBTEX_MONTHS[parts[1] - 1]))
                iso = iso_precise_date(self.published, self.published_precision)
                fields.append(("date", f"{{{iso}}}"))
        else:
            kind = "misc"
            fields.append(("howpublished", f"{{{_bibtex_text(SITE_NAME)}}}"))
            if self.updated:
                fields.append(("year", f"{{{self.updated.year}}}"))
        fields.append(("url", f"{{{_bibtex_url(self.url)}}}"))
        fields.append(("note", f"{{{_bibtex_text(self._note())}}}"))
        body = ",\n".join(f"  {name} = {value}" for name, value in fields)
        return f"@{kind}{{{self.key},\n{body}\n}}\n"

    @property
    def ris(self) -> str:
        lines = [("TY", "GEN" if self.is_essay else "ELEC")]
        lines += [("AU", _one_line(author)) for author in self.authors]
        lines.append(("TI", _one_line(self.title)))
        if self.is_essay:
            lines.append(("T2", _one_line(self.publication)))
            if self.published:
                parts = self._date_parts + [None] * (3 - len(self._date_parts))
                year, month, day = parts
                lines.append(("PY", f"{year:04d}"))
                lines.append(
                    (
                        "DA",
                        f"{year:04d}/{'' if month is None else f'{month:02d}'}/"
                        f"{'' if day is None else f'{day:02d}'}/",
                    )
                )
        else:
            lines.append(("PB", SITE_NAME))
            if self.updated:
                lines.append(("PY", f"{self.updated.year:04d}"))
                lines.append(("DA", self.updated.strftime("%Y/%m/%d/")))
        lines.append(("UR", self.url))
        lines.append(("DB", SITE_NAME))
        lines.append(("N1", self._note()))
        lines.append(("ER", ""))
        return "".join(f"{tag}  - {value}\n" for tag, value in lines)

    @property
    def csl(self) -> dict:
        item: dict = {"id": self.key, "type": "article" if self.is_essay else "webpage"}
        item["title"] = _one_line(self.title)
        if self.authors:
            item["author"] = [{"literal": author} for author in self.authors]
        if self.is_essay:
            item["container-title"] = self.publication
            if self.published:
                item["issued"] = {"date-parts": [self._date_parts]}
            item["archive"] = SITE_NAME
        else:
            item["container-title"] = SITE_NAME
            item["genre"] = f"{self.genre} page"
            if self.updated:
                item["issued"] = {
                    "date-parts": [
                        [self.updated.year, self.updated.month, self.updated.day]
                    ]
                }
        item["URL"] = self.url
        item["note"] = self._note()
        return item

    @property
    def csl_json(self) -> str:
        """A CSL-JSON list of the one item, a field a line."""
        fields = ",\n".join(
            f"    {json.dumps(name)}: {json.dumps(value, ensure_ascii=False)}"
            for name, value in self.csl.items()
        )
        return f"[\n  {{\n{fields}\n  }}\n]\n"

    def render(self, suffix: str) -> str:
        """The reference in the format of the download ``suffix``."""
        return {"bib": self.bibtex, "ris": self.ris, "json": self.csl_json}[suffix]

    def download(self, suffix: str) -> Download:
        """The file of the format ``suffix`` (bib, ris, json)."""
        name = f"{SITE_NAME_SLUG}-{self.slug or self.key}.{suffix}"
        return Download(FORMATS[suffix][0], self.downloads_path[suffix], name)

    @property
    def downloads(self) -> list[Download]:
        return [self.download(suffix) for suffix in self.downloads_path]


def page_reference(page, request, **essay) -> Reference:
    """The reference of a live archive page, by its permalink; ``essay``
    gives an essay's authors, publication and dates."""
    parts = page.get_url_parts(request) if page.pk else None
    root = parts[1] if parts and parts[1] else ""
    updated = page.last_published_at.date() if page.last_published_at else None
    downloads = (
        {suffix: permalink_path(page.pk, suffix) for suffix in FORMATS}
        if page.pk
        else {}
    )
    return Reference(
        key=f"wea-{page.pk}" if page.pk else f"wea-{page.slug}",
        title=page.title,
        url=f"{root}{permalink_path(page.pk)}" if page.pk else "",
        path=permalink_path(page.pk) if page.pk else "",
        genre=str(page._meta.verbose_name),
        updated=updated,
        slug=page.slug,
        downloads_path=downloads,
        **essay,
    )


def listing_reference(*, title: str, url: str, genre: str, key: str) -> Reference:
    """The reference of a page that is no archive page (a tag's), by its URL."""
    return Reference(key=key, title=title, url=url, genre=genre, slug=key)


__all__ = [
    "FORMATS",
    "SITE_NAME",
    "Download",
    "Reference",
    "listing_reference",
    "page_reference",
    "permalink_path",
]
