"""The screen edition: single-sided pages at the trim size, no blank pages, hyperlinked
contents and notes (kept at each chapter's end, linked both ways), an outline, tagged as
PDF/UA-1.

It is typeset unit by unit as the print edition is (publish.pdf.edition), each unit written
as PDF/UA-1; the join puts their structure trees under one Document element and marks the
running heads and folios as artifacts.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence
from pathlib import Path

from publish.model import Book, RenderedChapter
from publish.pdf.cache import LayoutCache
from publish.pdf.edition import typeset_screen
from publish.printing import geometry, page_css
from publish.progress import Progress, silent

SCREEN_CSS = """
/* The screen edition: one page after another, no facing pages, so no blank versos. */
.titlepage, .copyright, .toc, section.chapter, section.chapter.dedication,
section.chapter.epigraph, .run { break-before: page !important; }
.run > section.chapter { break-before: auto !important; }  /* chapter-start: continuous */
.half-title { display: none; }
@page :left { margin-left: 0.7in; margin-right: 0.7in; }
@page :right { margin-left: 0.7in; margin-right: 0.7in; }
aside.footnote { font-size: 9pt; }
section > aside.footnote:first-of-type { margin-top: 1.5em; padding-top: 0.4em;
  border-top: 0.5pt solid black; }
"""


def write_screen_pdf(book: Book, chapters: Sequence[RenderedChapter], target: Path,
                     *, styles: Path, created: datetime.datetime,
                     cache: LayoutCache | None = None, workers: int | None = None,
                     progress: Progress = silent) -> int:
    """Typeset the screen edition into `target`, unit by unit as the print edition is (the
    units written as PDF/UA-1 and their structure trees joined); return its page count."""
    extra = page_css(geometry(dataclasses.replace(book.print_settings, profile=""), 0))
    typeset = typeset_screen(book, chapters, styles=styles, created=created,
                             cache=cache or LayoutCache(None), extra_css=extra + SCREEN_CSS,
                             workers=workers, progress=progress)
    target.write_bytes(typeset.pdf)
    return typeset.pages
