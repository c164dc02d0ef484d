"""The e-book's cover image when the book has none of its own: a typographic cover drawn
with Pillow in the theme's text face, in the colours of the printed cover's front panel,
at the 1600 × 2560 px that retailers ask for (a JPEG, as KDP prefers).

Pillow rather than WeasyPrint: WeasyPrint writes only PDF, and turning a PDF into pixels
would need Poppler at build time.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

SIZE = (1600, 2560)
BACKGROUND = (0x2F, 0x3E, 0x46)  # as styles/cover.css's front panel
INK = (0xF3, 0xEF, 0xE6)
MARGIN = 170
TITLE_TOP = 520
AUTHOR_BOTTOM = 400


@dataclass(frozen=True)
class CoverText:
    """What the typographic cover says."""

    title: str
    subtitle: str
    author: str


def typographic_cover(text: CoverText, face: Path) -> bytes:
    """A JPEG cover with the title (and subtitle) high on the page and the author low,
    centred, set in the font file `face`."""
    image = Image.new("RGB", SIZE, BACKGROUND)
    draw = ImageDraw.Draw(image)
    width = SIZE[0] - 2 * MARGIN
    title_font = _fit(face, text.title, width, start=120, smallest=72)
    y = TITLE_TOP
    for line in _wrap(draw, text.title, title_font, width):
        y = _centred(draw, line, title_font, y, spacing=1.25)
    if text.subtitle:
        subtitle_font = ImageFont.truetype(str(face), 62)
        y += 60
        for line in _wrap(draw, text.subtitle, subtitle_font, width):
            y = _centred(draw, line, subtitle_font, y, spacing=1.3)
    author_font = _fit(face, text.author.upper(), width, start=58, smallest=36)
    lines = _wrap(draw, text.author.upper(), author_font, width)
    y = SIZE[1] - AUTHOR_BOTTOM - len(lines) * author_font.size * 1.3
    for line in lines:
        y = _centred(draw, line, author_font, y, spacing=1.3)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, optimize=True)
    return out.getvalue()


def describe(text: CoverText) -> str:
    """The cover page's alt text: what the typographic cover shows, in words."""
    title = f"“{text.title}”" + (f", with the subtitle “{text.subtitle}”" if text.subtitle
                                 else "")
    by = f", and the author's name, {text.author}," if text.author else ""
    return f"The book's cover: the title {title}{by} in cream letters on slate blue."


def describe_title(text: CoverText) -> str:
    """`“Title” by Author`, for an author's own cover image that has no description."""
    return f"“{text.title}”" + (f" by {text.author}" if text.author else "")


def _fit(face: Path, text: str, width: int, *, start: int, smallest: int
         ) -> ImageFont.FreeTypeFont:
    """The largest size from `start` down at which no single word is wider than `width`."""
    size = start
    while True:
        font = ImageFont.truetype(str(face), size)
        if size <= smallest or all(font.getlength(w) <= width for w in text.split()):
            return font
        size -= 4


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont,
          width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(candidate, font=font) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines


def _centred(draw: ImageDraw.ImageDraw, line: str, font: ImageFont.FreeTypeFont, y: float,
             *, spacing: float) -> float:
    x = (SIZE[0] - draw.textlength(line, font=font)) / 2
    draw.text((x, y), line, font=font, fill=INK)
    return y + font.size * spacing
