"""One WeasyPrint layout: an HTML document and the book's sheets in, a Document out.

Files are read only through the sandboxed fetcher (publish.pdf.fetcher); a face the theme did
not declare is refused. The typesetting passes (publish.pdf.typeset) lay out through here,
and may ask for the same document to be laid out again once they have changed it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from weasyprint import CSS, HTML
from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration

from publish.diagnostics import ToolError
from publish.files import stamps
from publish.pdf.fetcher import RefusedFetch, SandboxFetcher


@dataclass(frozen=True)
class Layout:
    """What one layout needs, as plain data (it crosses into worker processes)."""

    html: str
    root: Path
    """The book's folder: the base of relative URLs, and (with `styles`) the sandbox."""
    styles: Path
    sheets: tuple[Path, ...]
    extra_css: str
    faces: frozenset[str]
    """The families the theme declares: any other is a fallback face, refused."""
    more_roots: tuple[Path, ...] = ()
    """Folders of the build's own making that may be read too (rasterised illustrations)."""
    fonts: str = ""
    """A digest of the font files the sheets load: a layout depends on their bytes."""


def render(layout: Layout, *, again: Callable[[Document, int], bool] | None = None,
           most: int = 0) -> Document:
    """Lay the document out. With `again`, lay the same document out anew, up to `most`
    times, while `again(document, attempt)` says it changed the document's elements (as
    setting a paragraph again does: publish.pdf.typeset.mending)."""
    html = HTML(string=layout.html, base_url=str(layout.root) + "/",
                url_fetcher=SandboxFetcher([layout.root, layout.styles, *layout.more_roots]))
    document = _render(html, layout)
    for attempt in range(most if again is not None else 0):
        if not again(document, attempt):
            break
        document = _render(html, layout)
    refuse_fallback_fonts(document, layout.faces)
    return document


def _render(html: HTML, layout: Layout) -> Document:
    fetcher = html.url_fetcher
    # WeasyPrint logs every CSS property it does not support; the author cannot act on it.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    roots = (layout.root, layout.styles, *layout.more_roots)
    try:  # a sheet's @import is fetched as the sheet is read, so both steps are guarded
        fonts, sheets = _sheets(tuple(layout.sheets), stamps(layout.sheets), roots)
        extra = CSS(string=layout.extra_css, url_fetcher=fetcher, font_config=fonts)
        return html.render(font_config=fonts, stylesheets=[*sheets, extra])
    except RefusedFetch as err:
        raise ToolError(str(err)) from None


@lru_cache(maxsize=4)
def _sheets(paths: tuple[Path, ...], _stamps: tuple[int, ...], roots: tuple[Path, ...]
            ) -> tuple[FontConfiguration, tuple[CSS, ...]]:
    """The book's sheets, parsed once per process with the faces their @font-face rules
    load: every unit of a book shares them (WeasyPrint lets documents share a font
    configuration), where loading the theme's eight or twelve faces for each unit cost a
    sixth of the layout time. Keyed by modification time too, for `publish watch`."""
    fonts = FontConfiguration()
    fetcher = SandboxFetcher(list(roots))
    return fonts, tuple(CSS(filename=path, url_fetcher=fetcher, font_config=fonts)
                        for path in paths)


def refuse_fallback_fonts(document: Document, faces: Sequence[str] | frozenset[str]) -> None:
    """Any family the theme did not declare is a face fontconfig fell back to."""
    used = {font.family for font in document.fonts.values()}
    strangers = sorted(str(f) for f in used if f not in faces)
    if strangers:
        raise ToolError(
            f"the PDF would use {', '.join(strangers)} for characters the book face lacks; "
            "install the book's fonts (see README) or remove those characters"
        )
