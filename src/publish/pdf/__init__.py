"""Stage 4b: the print editions, typeset by WeasyPrint.

The print PDF is assembled unit by unit (each chapter, and each page of the front matter that
opens on a page of its own), on every core, each unit's layout cached; then joined. The
package has two halves.

Assembling the edition (here):

    edition.py        the passes over the whole edition: geometry, contents' page numbers, join
    html.py           the book as units of HTML, and as one document
    units.py          laying out one unit in a worker process → PDF bytes and plain data
    render.py         one WeasyPrint layout in the sandbox, refusing fallback faces
    boxes.py          the one reader of WeasyPrint's laid-out boxes
    loops.py          every loop that lays something out again, and its limit
    cache.py          unit layouts kept under build/.cache/ by what they depend on
    furniture.py      running heads and folios for the whole book, in one light pass
    join.py           the units' pages with the furniture over them, outline, links
    fonts.py          one font object per face in the joined file
    pagestarts.py     where each page begins, for the EPUB's print page numbers
    illustrations.py  SVG rasterised once for print (resvg, 600 dpi)
    screen.py         the screen edition (the same, tagged as PDF/UA-1)
    fetcher.py        the only way WeasyPrint may read a file (the sandbox)
    cover.py          the printer's cover wrap
    preflight.py      the PDF checked as a printer would
    proof.py          the PDF as page spreads

Setting the type (typeset/: its `set_type` runs the passes in order):

    typeset/knuthplass.py  total-fit line breaking, free of markup and layout
    typeset/measure.py     the text block's measure; words measured with HarfBuzz, hyphenated
    typeset/paragraphs.py  each paragraph's lines chosen and written into the markup
    typeset/justify.py     those lines justified as they were reckoned
    typeset/mending.py     paragraphs WeasyPrint broke early, set again
    typeset/pageends.py    a page ending in a hyphen, a line past the measure
    typeset/floats.py      figures that float past the text that fills their page
    typeset/facing.py      which pages face, and when a spread is uneven
    typeset/pagemap.py     what each page shows, as plain data
    typeset/spreads.py     uneven spreads evened out where they stand
    typeset/reachback.py   reaching back for a spread that cannot be
    typeset/evening.py     both, unit by unit
    typeset/report.py      the typographic report
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from publish.model import Book, PageStart, RenderedChapter
from publish.pdf.cache import LayoutCache, code_version
from publish.pdf.cache import prune as prune_cache
from publish.pdf.edition import LAYOUT_DATE, typeset_print
from publish.pdf.html import STYLESHEETS, PrintOptions, book_html, stylesheets
from publish.pdf.screen import write_screen_pdf
from publish.pdf.typeset.report import Report
from publish.printing import PrintSettings, text_width
from publish.progress import Progress, silent

__all__ = ["LayoutCache", "PrintEdition", "layout_key", "print_pages", "prune_cache",
           "stylesheets", "write_pdf", "write_screen_pdf"]


@dataclass(frozen=True)
class PrintEdition:
    """What typesetting the print edition tells the other outputs."""

    pages: int
    starts: tuple[PageStart, ...]
    """Where each page opening inside a chapter begins (for the EPUB's page list)."""
    laid_out: int = 0
    """Units laid out for it (the rest came from the cache)."""
    report: Report | None = None
    """How well its pages are set (publish.pdf.typeset.report)."""


def write_pdf(book: Book, chapters: Sequence[RenderedChapter], target: Path,
              *, styles: Path, created: datetime.datetime,
              settings: PrintSettings | None = None, cache: LayoutCache | None = None,
              workers: int | None = None, progress: Progress = silent) -> PrintEdition:
    """Typeset the book into `target` as `settings` ask (else book.yaml's `print:`).

    Raises ToolError when the PDF would use a font other than the book face.
    """
    typeset = typeset_print(book, chapters, styles=styles, created=created,
                            settings=settings or book.print_settings,
                            cache=cache or LayoutCache(None), workers=workers,
                            progress=progress)
    target.write_bytes(typeset.pdf)
    return PrintEdition(typeset.pages, typeset.starts, typeset.laid_out, typeset.report)


def print_pages(book: Book, chapters: Sequence[RenderedChapter], *, styles: Path,
                created: datetime.datetime, cache: LayoutCache | None = None,
                workers: int | None = None, progress: Progress = silent
                ) -> tuple[PageStart, ...]:
    """Where the pages of book.yaml's print edition begin (from the cache when its units
    are there)."""
    return typeset_print(book, chapters, styles=styles, created=created,
                         settings=book.print_settings, cache=cache or LayoutCache(None),
                         workers=workers, progress=progress).starts


def layout_key(book: Book, chapters: Sequence[RenderedChapter], styles: Path,
               created: datetime.datetime) -> str:
    """A digest of everything book.yaml's print edition is laid out from: the book's HTML,
    the style sheets, the print settings, and the typesetting code and its version."""
    settings = book.print_settings
    options = PrintOptions(links=settings.profile != "kdp", opening=settings.opening,
                           chapter_start=settings.chapter_start,
                           measure=text_width(settings) * 72)
    parts = [book_html(book, chapters, LAYOUT_DATE, options).encode()]  # pages: no date
    parts += [sheet.read_bytes() for sheet in stylesheets(book, styles, *STYLESHEETS)]
    parts += [repr(settings).encode(), code_version().encode()]
    digest = hashlib.sha256()
    for part in parts:  # each part's own digest, so that no two splits of the bytes agree
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()
