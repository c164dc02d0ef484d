"""Print settings (`print:` in book.yaml) and the page geometry they give.

Trim sizes, printer profiles and KDP's gutter table are facts from the printers' guides (see
`../shared/FIELD.md`); the margins around them are this project's design.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TRIMS: dict[str, tuple[float, float]] = {
    "5x8": (5.0, 8.0),
    "5.25x8": (5.25, 8.0),
    "5.5x8.5": (5.5, 8.5),
    "6x9": (6.0, 9.0),
    "a5": (5.83, 8.27),
}
DEFAULT_TRIM = "5.5x8.5"
PROFILES = ("kdp", "ingram", "lulu", "proof")
PAPERS = ("white", "cream")
OPENINGS = ("none", "small-caps", "drop-cap")
"""How a chapter's first paragraph begins in print."""
LINE_BREAKS = ("total-fit", "first-fit")
"""How the print edition breaks a paragraph into lines: as a whole (publish.pdf.typeset.paragraphs)
or WeasyPrint's own way, a line at a time."""
CHAPTER_STARTS = ("recto", "next-page", "continuous")
"""Where a chapter begins in print: on a right-hand page (a blank verso before it when need
be), on the next page, or on the same page after a section break."""
BLEED = 0.125
"""Inches of bleed the printers ask for."""

# KDP's minimum inside margin by page count: (last page count of the band, inches).
KDP_GUTTER = ((150, 0.375), (300, 0.5), (500, 0.625), (700, 0.75), (828, 0.875))
COMFORT = 0.3
"""What the design adds to the printer's minimum gutter, so text never sinks in the fold."""
TOP, BOTTOM, OUTER = 0.75, 0.8, 0.6
INGRAM_MIN_MARGIN = 0.5

_CUSTOM = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*x\s*(\d+(?:\.\d+)?)\s*(in|mm)?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class PrintSettings:
    """What book.yaml asks of the print edition."""

    trim: tuple[float, float] = TRIMS[DEFAULT_TRIM]
    profile: str = ""
    """kdp, ingram, lulu, proof, or '' for a plain PDF."""
    paper: str = "white"
    opening: str = "none"
    chapter_start: str = "recto"
    line_breaks: str = "total-fit"


def text_width(settings: PrintSettings, pages: int = 200) -> float:
    """The text block's width in inches for a book of `pages` pages (by default one of
    middling length: the gutter grows with the page count, so this is a fair estimate)."""
    geo = geometry(settings, pages)
    return geo.width - geo.inner - geo.outer


def parse_trim(value: str) -> tuple[float, float] | None:
    """`6x9`, `A5`, `152x229mm` or `6.14x9.21in` → (width, height) in inches."""
    key = value.strip().lower().replace(" ", "")
    if key in TRIMS:
        return TRIMS[key]
    match = _CUSTOM.match(value)
    if not match:
        return None
    scale = 1 / 25.4 if (match.group(3) or "in").lower() == "mm" else 1.0
    width, height = float(match.group(1)) * scale, float(match.group(2)) * scale
    if not (3 <= width <= 12 and 4 <= height <= 15 and width < height):
        return None
    return round(width, 3), round(height, 3)


def kdp_gutter(pages: int) -> float:
    """KDP's minimum inside margin for a book of `pages` pages."""
    for last, inches in KDP_GUTTER:
        if pages <= last:
            return inches
    return KDP_GUTTER[-1][1]


@dataclass(frozen=True)
class Geometry:
    """The page box and margins, in inches."""

    width: float
    height: float
    top: float
    bottom: float
    inner: float
    outer: float
    bleed: str
    """The CSS `bleed` value ('' for none)."""
    marks: str = ""
    grow_outer: bool = False
    """KDP and IngramSpark want bleed on the top, bottom and outer edge only: the page box
    grows on those sides instead of all round."""


def geometry(settings: PrintSettings, pages: int) -> Geometry:
    """Page geometry for a book of `pages` pages printed as `settings` say."""
    width, height = settings.trim
    inner = kdp_gutter(pages) + COMFORT
    top, bottom, outer = TOP, BOTTOM, OUTER
    if settings.profile in ("ingram", "lulu"):
        outer = max(outer, INGRAM_MIN_MARGIN)
    if settings.profile in ("kdp", "ingram"):
        # One-sided bleed: the page grows by the bleed at top, bottom and outer edge, and
        # the margins grow with it so the text block stays where the trim puts it.
        return Geometry(width + BLEED, height + 2 * BLEED, top + BLEED, bottom + BLEED,
                        inner, outer + BLEED, bleed="", grow_outer=True)
    if settings.profile == "lulu":
        return Geometry(width, height, top, bottom, inner, outer, bleed=f"{BLEED}in")
    if settings.profile == "proof":
        return Geometry(width, height, top, bottom, inner, outer, bleed=f"{BLEED}in",
                        marks="crop")
    return Geometry(width, height, top, bottom, inner, outer, bleed="")


COPYRIGHT_CLEARANCE = 0.15
"""Inches the copyright page's text keeps from the foot of the text block."""


def page_css(geo: Geometry) -> str:
    """The @page rules for `geo` (they override the size and margins in print.css), and the
    copyright page's height: its text stands at the foot of the text block, whatever the
    trim (a fixed height taller than a small trim's text block would push it off the
    page)."""
    lines = [
        "@page {",
        f"  size: {geo.width:.3f}in {geo.height:.3f}in;",
        f"  margin: {geo.top:.3f}in {geo.outer:.3f}in {geo.bottom:.3f}in {geo.inner:.3f}in;",
    ]
    if geo.bleed:
        lines.append(f"  bleed: {geo.bleed};")
    if geo.marks:
        lines.append(f"  marks: {geo.marks};")
    lines.append("}")
    lines.append(f"@page :left {{ margin-left: {geo.outer:.3f}in; "
                 f"margin-right: {geo.inner:.3f}in; }}")
    lines.append(f"@page :right {{ margin-left: {geo.inner:.3f}in; "
                 f"margin-right: {geo.outer:.3f}in; }}")
    block = geo.height - geo.top - geo.bottom
    lines.append(f".copyright {{ height: {block - COPYRIGHT_CLEARANCE:.3f}in; }}")
    return "\n".join(lines) + "\n"


CHARS_PER_SQUARE_INCH = 67
"""Characters of Markdown an 11-point text block holds per square inch (measured on Pride
and Prejudice: 686,098 characters, 61 chapters, 440 pages at 5.5 × 8.5 in)."""


def estimate_pages(settings: PrintSettings, characters: int, chapters: int) -> int:
    """A first guess at the page count, so that the first typesetting pass usually has the
    right gutter: front matter, about a page per chapter for recto openings, and the text."""
    width, height = settings.trim
    block = (width - OUTER - kdp_gutter(200) - COMFORT) * (height - TOP - BOTTOM)
    return 8 + chapters + round(characters / (CHARS_PER_SQUARE_INCH * block))


def spine_width(pages: int, paper: str) -> float:
    """Spine width in inches: KDP's per-page thickness for white or cream paper."""
    return pages * (0.0025 if paper == "cream" else 0.002252)
