"""The screen edition: single-sided pages at the trim size, no blank pages, hyperlinked
contents and notes (kept at each chapter's end, linked both ways), an outline, tagged as
PDF/UA-1.

It is laid out as one document, not unit by unit: its structure tree (the tagging) belongs
to the whole document, and WeasyPrint cannot join structure trees. The build's output cache
spares it when nothing changed.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
from collections.abc import Sequence
from pathlib import Path

from publish.checks.typeface import theme_families, theme_fonts
from publish.model import Book, RenderedChapter
from publish.pdf.html import STYLESHEETS, PrintOptions, book_html, stylesheets
from publish.pdf.illustrations import raster_markup
from publish.pdf.render import Layout, render
from publish.printing import geometry, page_css, text_width

SCREEN_CSS = """
/* The screen edition: one page after another, no facing pages, so no blank versos. */
.titlepage, .copyright, .toc, section.chapter, section.chapter.dedication,
section.chapter.epigraph { break-before: page !important; }
.half-title { display: none; }
@page :left { margin-left: 0.7in; margin-right: 0.7in; }
@page :right { margin-left: 0.7in; margin-right: 0.7in; }
aside.footnote { font-size: 9pt; }
section > aside.footnote:first-of-type { margin-top: 1.5em; padding-top: 0.4em;
  border-top: 0.5pt solid black; }
"""


def write_screen_pdf(book: Book, chapters: Sequence[RenderedChapter], target: Path,
                     *, styles: Path, created: datetime.datetime,
                     images: Path | None = None) -> int:
    """Typeset the screen edition into `target`; return its page count. With `images`, SVG
    illustrations are drawn from the rasters kept there (publish.pdf.illustrations)."""
    settings = book.print_settings
    options = PrintOptions(notes_at_foot=False, opening=settings.opening)
    extra = page_css(geometry(dataclasses.replace(settings, profile=""), 0)) + SCREEN_CSS
    html = book_html(book, chapters, created, options)
    if images is not None and ".svg" in html:
        html = raster_markup(html, book.root, text_width(settings, pages=1),
                             theme_fonts(styles, book.theme), images)
    layout = Layout(html, book.root, styles, tuple(stylesheets(book, styles, *STYLESHEETS)),
                    extra, theme_families(styles, book.theme),
                    (images,) if images is not None else ())
    document = render(layout)
    identifier = hashlib.sha256(b"screen" + book.metadata.identifier.encode()).hexdigest()
    document.write_pdf(target, pdf_identifier=identifier[:32].encode(), pdf_variant="pdf/ua-1")
    return len(document.pages)
