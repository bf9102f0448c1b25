"""Share images and icons, drawn with Pillow.

A share image (``og:image``) is a 1200x630 PNG with the page's title, its
original title in a CJK font where the page has one, the kind of page and the
archive's name. Fonts are looked for when first needed: a CJK font (WenQuanYi
Zen Hei, Noto Sans CJK ...) and a Latin one (DejaVu, Liberation); without a
CJK font, Chinese text is left out and the Latin title is still drawn, in
Pillow's own font if no other is found. What the image shows is known before
it is drawn, so a drawn image is kept in the default cache under a key made
of what it shows (``image_key``): a new revision or title is a new key.

The favicon and the touch icon are the same drawing as ``static/icons/icon.svg``.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.core.cache import cache
from PIL import Image, ImageDraw, ImageFont

from .templatetags.archive_tags import _CJK_RUN

WIDTH, HEIGHT = 1200, 630
MARGIN = 80
DRAWING_VERSION = 1
"""Part of every cached image's key: raise it when the drawing changes."""
CACHE_SECONDS = 60 * 60 * 24 * 30

BACKGROUND = (31, 38, 48)  # the site header's --header-bg
TEXT = (245, 243, 238)  # --header-text, 13.7:1 on the background
MUTED = (201, 206, 214)  # --header-muted
ACCENT = (255, 210, 122)  # --header-current
EARTH = (79, 134, 217)

FONT_DIRS = [
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
    Path.home() / ".fonts",
]
CJK_FONTS = [
    "truetype/wqy/wqy-zenhei.ttc",
    "opentype/noto/NotoSansCJK-Bold.ttc",
    "opentype/noto/NotoSansCJK-Regular.ttc",
    "truetype/wqy/wqy-microhei.ttc",
]
CJK_PATTERNS = ["wqy-zenhei.tt?", "NotoSansCJK*.tt?", "*CJK*.tt?", "wqy*.tt?"]
LATIN_FONTS = [
    "truetype/dejavu/DejaVuSans-Bold.ttf",
    "truetype/liberation/LiberationSans-Bold.ttf",
]
LATIN_PATTERNS = ["DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf"]


def _find_font(paths: Iterable[str], patterns: Iterable[str]) -> Path | None:
    """The first of ``paths`` (under a font directory) that exists, else the
    first file any of ``patterns`` matches there."""
    dirs = [d for d in FONT_DIRS if d.is_dir()]
    for path in paths:
        for directory in dirs:
            if (directory / path).is_file():
                return directory / path
    for pattern in patterns:
        for directory in dirs:
            found = sorted(directory.rglob(pattern))
            if found:
                return found[0]
    return None


@lru_cache(maxsize=1)
def cjk_font_path() -> Path | None:
    return _find_font(CJK_FONTS, CJK_PATTERNS)


@lru_cache(maxsize=1)
def latin_font_path() -> Path | None:
    return _find_font(LATIN_FONTS, LATIN_PATTERNS) or cjk_font_path()


@lru_cache(maxsize=16)
def _font(path: Path | None, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    if path is None:
        return ImageFont.load_default(size)
    return ImageFont.truetype(str(path), size)


def forget_fonts() -> None:
    """Look for the fonts again when next needed (fonts installed, or tests)."""
    for cached in (cjk_font_path, latin_font_path, _font):
        cached.cache_clear()


def has_cjk(text: str) -> bool:
    return bool(_CJK_RUN.search(text))


@dataclass(frozen=True)
class ShareCard:
    """What a share image shows."""

    title: str
    eyebrow: str = ""
    original_title: str = ""
    footer: str = "The Wandering Earth Archive"

    def key(self, *, version: str = "") -> str:
        """The cache key of this card as drawn with the fonts found now."""
        fonts = f"{latin_font_path()}|{cjk_font_path()}"
        text = "\x1f".join(
            (self.title, self.eyebrow, self.original_title, self.footer, fonts)
        )
        digest = hashlib.sha256(text.encode()).hexdigest()[:32]
        return f"share-image:{DRAWING_VERSION}:{version}:{digest}"


def _font_for(text: str, size: int):
    """The CJK font for text with Chinese in it (when there is one), else the
    Latin font."""
    cjk = cjk_font_path()
    if has_cjk(text) and cjk is not None:
        return _font(cjk, size)
    return _font(latin_font_path(), size)


def _drawable(text: str) -> str:
    """``text`` without what no font found can draw: its Chinese without a CJK font."""
    if cjk_font_path() is None:
        text = " ".join(_CJK_RUN.sub(" ", text).split())
    return text


def _wrap(draw, text: str, size: int, width: int, max_lines: int) -> list[str]:
    font = _font_for(text, size)
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and draw.textlength(f"{last}…", font=font) > width:
            last = last[:-1].rstrip()
        lines[-1] = f"{last}…"
    return lines


def _planet(draw, cx: float, cy: float, r: float, scale: float = 1.0) -> None:
    """The archive's mark: the Earth pushed along by its engines' trails."""
    for n in range(3):
        offset = (n - 1) * r * 0.42
        start = (cx - r * 0.55 + offset, cy + r * 0.55 + offset)
        end = (cx - r * 1.75 + offset, cy + r * 1.75 + offset)
        draw.line([start, end], fill=ACCENT, width=max(1, round(r * 0.2)))
    draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=EARTH)
    arc = r * 1.45
    draw.arc(
        [cx - arc, cy - arc, cx + arc, cy + arc],
        start=200,
        end=340,
        fill=ACCENT,
        width=max(1, round(3 * scale)),
    )


def draw_card(card: ShareCard) -> bytes:
    """The card as a 1200x630 PNG."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, 16, HEIGHT], fill=ACCENT)
    _planet(draw, WIDTH - 130, 140, 60, scale=2)
    text_width = WIDTH - 2 * MARGIN - 220
    y = MARGIN
    eyebrow = _drawable(card.eyebrow).upper()
    if eyebrow:
        draw.text((MARGIN, y), eyebrow, font=_font_for(eyebrow, 30), fill=ACCENT)
        y += 60
    title = _drawable(card.title) or card.footer
    size = 68
    lines = _wrap(draw, title, size, text_width, 3)
    if len(lines) > 2:
        size = 56
        lines = _wrap(draw, title, size, text_width, 4)
    for line in lines:
        draw.text((MARGIN, y), line, font=_font_for(line, size), fill=TEXT)
        y += round(size * 1.22)
    original = _drawable(card.original_title)
    if original:
        y += 16
        for line in _wrap(draw, original, 60, text_width, 2):
            draw.text((MARGIN, y), line, font=_font_for(line, 60), fill=MUTED)
            y += 76
    footer_font = _font_for(card.footer, 30)
    draw.text((MARGIN, HEIGHT - MARGIN - 30), card.footer, font=footer_font, fill=MUTED)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def share_image(card: ShareCard, *, version: str = "") -> bytes:
    """The card's PNG, drawn once and then read from the cache."""
    key = card.key(version=version)
    png = cache.get(key)
    if png is None:
        png = draw_card(card)
        cache.set(key, png, CACHE_SECONDS)
    return png


def _icon(size: int) -> Image.Image:
    """The mark on its dark square at ``size`` pixels, drawn four times as large
    and scaled down for smooth edges."""
    big = size * 4
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle([0, 0, big - 1, big - 1], radius=big * 0.19, fill=BACKGROUND)
    _planet(draw, big * 0.58, big * 0.42, big * 0.24, scale=big / 64)
    return image.resize((size, size), Image.Resampling.LANCZOS)


@lru_cache(maxsize=1)
def favicon_ico() -> bytes:
    out = io.BytesIO()
    _icon(64).save(out, format="ICO", sizes=[(16, 16), (32, 32), (48, 48), (64, 64)])
    return out.getvalue()


@lru_cache(maxsize=1)
def touch_icon_png() -> bytes:
    out = io.BytesIO()
    icon = Image.new("RGB", (180, 180), BACKGROUND)
    icon.paste(_icon(180), (0, 0), _icon(180))
    icon.save(out, format="PNG", optimize=True)
    return out.getvalue()
