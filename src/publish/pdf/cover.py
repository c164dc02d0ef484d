"""The printer's cover wrap (`<name>-cover.pdf`): back cover, spine and front cover on one
sheet, bleed on every side. Sizes follow KDP's formula:
width = 2 × trim width + spine + 2 × bleed, height = trim height + 2 × bleed, and the spine
is the page count times the paper's thickness per page."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from publish.frontmatter import authors_line
from publish.identifiers import isbn_of
from publish.model import Book
from publish.pdf.fetcher import SandboxFetcher
from publish.pdf.html import stylesheets
from publish.printing import BLEED, PrintSettings, spine_width
from publish.templating import render

SPINE_TEXT_FROM = 80
"""Pages from which the spine is wide enough (about 0.18 in) to carry the title."""
SAFETY = 0.375
"""Inches kept clear of the trim and the spine's folds."""


@dataclass(frozen=True)
class CoverSize:
    """The wrap's sheet and its panels, in inches."""

    width: float
    height: float
    spine: float
    panel: float
    """One cover's width, trim plus the outer bleed."""


def cover_size(settings: PrintSettings, pages: int) -> CoverSize:
    """The sheet for a book of `pages` pages on `settings.paper`."""
    trim_width, trim_height = settings.trim
    spine = spine_width(pages, settings.paper)
    return CoverSize(width=2 * trim_width + spine + 2 * BLEED, height=trim_height + 2 * BLEED,
                     spine=spine, panel=trim_width + BLEED)


def write_cover(book: Book, pages: int, target: Path, *, styles: Path,
                settings: PrintSettings, created: datetime.datetime) -> CoverSize:
    """Typeset the cover wrap for a book of `pages` pages into `target`."""
    size = cover_size(settings, pages)
    meta = book.metadata
    html = render("pdf/cover.html", meta=meta, authors=authors_line(meta),
                  isbn=isbn_of(meta.identifier), image=meta.cover_image or "",
                  spine_text=pages >= SPINE_TEXT_FROM,
                  created=created.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    fetcher = SandboxFetcher([book.root, styles])
    fonts = FontConfiguration()
    sheets = [CSS(filename=path, url_fetcher=fetcher, font_config=fonts)
              for path in stylesheets(book, styles, "cover.css")]
    sheets.append(CSS(string=_layout_css(size), font_config=fonts))
    document = HTML(string=html, base_url=str(book.root) + "/", url_fetcher=fetcher).render(
        font_config=fonts, stylesheets=sheets)
    document.write_pdf(target, pdf_identifier=b"cover" + meta.identifier.encode()[:27])
    return size


def _layout_css(size: CoverSize) -> str:
    inset = BLEED + SAFETY
    return f"""
@page {{ size: {size.width:.4f}in {size.height:.4f}in; }}
.back {{ width: {size.panel:.4f}in; padding: {inset:.3f}in {SAFETY:.3f}in {inset:.3f}in
         {inset:.3f}in; }}
.spine {{ left: {size.panel:.4f}in; width: {size.spine:.4f}in; }}
.spine p {{ left: {size.spine / 2 + 0.07:.4f}in; top: {inset + 0.5:.3f}in; }}
.front {{ width: {size.panel:.4f}in; padding: {inset + 1.2:.3f}in {inset:.3f}in
          {inset:.3f}in {SAFETY:.3f}in; }}
.front.with-image {{ padding: 0; }}
"""
