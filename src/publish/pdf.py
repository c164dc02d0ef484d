"""Stage 4b: the print PDF, typeset by WeasyPrint from one HTML document of the whole book."""

from __future__ import annotations

import datetime
import hashlib
import logging
import re
from collections.abc import Sequence
from pathlib import Path

from lxml import etree
from markupsafe import Markup
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from publish.diagnostics import ToolError
from publish.fetcher import SandboxError, SandboxFetcher
from publish.frontmatter import (
    around_contents,
    authors_line,
    body_start,
    copyright_page,
    titlepage,
)
from publish.markup import parse_fragment, serialize_children
from publish.model import Book, RenderedChapter
from publish.templating import render

STYLESHEETS = ("base.css", "print.css")
_CHAPTER_LINK = re.compile(r'href="chapter-\d+\.xhtml#([^"]+)"')
BOOK_FACES = frozenset({"Publish Garamond"})
"""Font families the print styles use; any other font in the PDF is a silent fallback."""


def book_html(book: Book, chapters: Sequence[RenderedChapter],
              created: datetime.datetime) -> str:
    """The whole book as one HTML document, front matter first."""
    meta = book.metadata
    bodies = {c.id: Markup(print_body(c.body)) for c in chapters}
    before, after = around_contents(chapters)
    return render("pdf/book.html", meta=meta, authors=authors_line(meta),
                  titlepage=titlepage(meta), copyright=copyright_page(meta),
                  before_contents=before, after_contents=after, start=body_start(chapters),
                  bodies=bodies,
                  created=created.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))


def print_body(body: str) -> str:
    """A chapter's XHTML as the print edition sets it: links within one document, and each
    footnote moved to where it is called, to float to the foot of that page."""
    body = _CHAPTER_LINK.sub(r'href="#\1"', body)
    if "doc-footnote" not in body:
        return body
    root = parse_fragment(body)
    for aside in root.xpath(".//aside[@role='doc-footnote']"):
        aside.getparent().remove(aside)
        call = root.xpath(".//a[@role='doc-noteref'][@href=$h]", h=f"#{aside.get('id')}")
        if not call:
            continue  # never referenced (reported as L006)
        note = etree.Element("span", {"class": "footnote", "id": aside.get("id", ""),
                                      "data-note": call[0].text or ""})
        for paragraph in aside.findall("p"):
            for number in paragraph.xpath("a[@role='doc-backlink']"):
                paragraph.text = (number.tail or "").lstrip()
                paragraph.remove(number)
            paragraph.tag = "span"
            paragraph.set("class", "note-para")
            note.append(paragraph)
        marker = call[0].getparent() if call[0].getparent().tag == "sup" else call[0]
        note.tail = marker.tail
        marker.getparent().replace(marker, note)
    return serialize_children(root)


def write_pdf(book: Book, chapters: Sequence[RenderedChapter], target: Path,
              *, styles: Path, created: datetime.datetime) -> int:
    """Typeset the book into `target`; return the number of pages.

    Raises ToolError when the PDF would use a font other than the book face.
    """
    fetcher = SandboxFetcher([book.root, styles])
    fonts = FontConfiguration()
    sheets = [CSS(filename=styles / name, url_fetcher=fetcher, font_config=fonts)
              for name in STYLESHEETS]
    html = HTML(string=book_html(book, chapters, created), base_url=str(book.root) + "/",
                url_fetcher=fetcher)
    # WeasyPrint logs every CSS property it does not support; the author cannot act on it.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    try:
        document = html.render(font_config=fonts, stylesheets=sheets)
        identifier = hashlib.sha256(book.metadata.identifier.encode()).hexdigest()[:32]
        document.write_pdf(target, pdf_identifier=identifier.encode())
    except SandboxError as err:
        raise ToolError(str(err)) from None
    used = {font.family for font in document.fonts.values()}
    strangers = sorted(str(f) for f in used if f not in BOOK_FACES)
    if strangers:
        raise ToolError(
            f"the PDF would use {', '.join(strangers)} for characters the book face lacks; "
            "install the book's fonts (see README) or remove those characters"
        )
    return len(document.pages)
