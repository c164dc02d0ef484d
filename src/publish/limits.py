"""How big a manuscript may be: limits that keep a hostile (or mistaken) input from exhausting
the machine. Each is reported as a finding at the line that crosses it, never met as a
crash, a hang or an out-of-memory kill. All of them in one place.
"""

from __future__ import annotations

MAX_CHAPTER_BYTES = 8 * 2**20
"""A chapter file (a whole long novel in one file is about 1 MB)."""

MAX_BOOK_BYTES = 40 * 2**20
"""All chapter files together."""

MAX_NESTING = 64
"""Elements inside one another in a chapter (quotes in quotes, lists in lists, raw HTML):
the renderers recurse once per level, and about 120 levels exhaust Python's stack."""

MAX_IMAGE_BYTES = 50 * 2**20
"""One image file (a 600 dpi full-bleed page in PNG stays well under it)."""

MAX_IMAGE_PIXELS = 64_000_000
"""One image's width × height: 8000 × 8000, a full page at more than 800 dpi. Decoding
costs 3–4 bytes a pixel, so a 40000 × 40000 image of a few kilobytes would need 6 GB."""

MAX_PAGES = 2000
"""Print pages (KDP binds at most 828, IngramSpark 1,200); laying out costs about 0.4 GB
of memory per 1,100 pages."""


def megabytes(size: int) -> str:
    """A byte count as an author reads it: `12.3 MB`."""
    return f"{size / 2**20:.1f} MB"
