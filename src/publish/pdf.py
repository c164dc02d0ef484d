"""Stage 4b: the print PDF, typeset by WeasyPrint from one HTML document of the whole book."""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import logging
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pydyf
from lxml import etree
from markupsafe import Markup
from weasyprint import CSS, HTML
from weasyprint.document import Document
from weasyprint.formatting_structure import boxes
from weasyprint.text.fonts import FontConfiguration

from publish.checks.typeface import theme_css, theme_families
from publish.diagnostics import ToolError
from publish.fetcher import RefusedFetch, SandboxFetcher
from publish.frontmatter import (
    around_contents,
    authors_line,
    body_start,
    copyright_page,
    titlepage,
)
from publish.markup import parse_fragment, serialize_children
from publish.model import Book, PageStart, RenderedChapter
from publish.pagestarts import page_starts
from publish.printing import PrintSettings, estimate_pages, geometry, kdp_gutter, page_css
from publish.templating import render

STYLESHEETS = ("base.css", "print.css")
"""Loaded in this order, then the theme's sheet, then the book's own style.css."""
_CHAPTER_LINK = re.compile(r'href="chapter-\d+\.xhtml#([^"]+)"')


def book_html(book: Book, chapters: Sequence[RenderedChapter],
              created: datetime.datetime, *, links: bool = True, opening: str = "none",
              notes_at_foot: bool = True) -> str:
    """The whole book as one HTML document, front matter first. Without `links` no element
    is a hyperlink (KDP wants no link annotations); the contents still find their pages."""
    meta = book.metadata
    bodies = {c.id: Markup(print_body(c.body, links=links, drop_cap=opening == "drop-cap",
                                      notes_at_foot=notes_at_foot))
              for c in chapters}
    before, after = around_contents(chapters)
    return render("pdf/book.html", meta=meta, authors=authors_line(meta),
                  titlepage=titlepage(meta), copyright=copyright_page(meta),
                  before_contents=before, after_contents=after, start=body_start(chapters),
                  bodies=bodies, links=links, opening=opening,
                  created=created.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))


def print_body(body: str, *, links: bool = True, drop_cap: bool = False,
               notes_at_foot: bool = True) -> str:
    """A chapter's XHTML as the print edition sets it: links within one document (or none),
    each footnote moved to where it is called, to float to the foot of that page, and the
    opening letter in a span of its own for a drop cap."""
    body = _CHAPTER_LINK.sub(r'href="#\1"', body)
    moves_notes = notes_at_foot and "doc-footnote" in body
    if not moves_notes and (links or "<a " not in body) and not drop_cap:
        return body
    root = parse_fragment(body)
    if drop_cap:
        _mark_drop_cap(root)
    if not links:
        for link in root.iter("a"):
            link.tag = "span"
            link.attrib.pop("href", None)
    for aside in root.xpath(".//aside[@role='doc-footnote']") if notes_at_foot else []:
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


_OPENING_LETTER = re.compile(r"^(\s*[“‘\"'(]*\w)")


def _mark_drop_cap(root: etree._Element) -> None:
    """Put the first letter of the chapter's first paragraph (with any opening quote) in
    `span.drop-cap`. (WeasyPrint sets a floated ::first-letter over the first line's text.)"""
    first = root.xpath("./h1[1]/following-sibling::*[1][self::p]")
    if not first or not first[0].text:
        return
    match = _OPENING_LETTER.match(first[0].text)
    if match:
        span = etree.Element("span", {"class": "drop-cap"})
        span.text = match.group(1).lstrip()
        span.tail = first[0].text[match.end():]
        first[0].text = None
        first[0].insert(0, span)


MAX_PASSES = 6
MAX_MENDS = 4
"""Typesetting passes at most: the gutter depends on the page count, which depends on the
gutter (a second pass settles it unless the count sits on a band's edge), and paragraphs
WeasyPrint broke badly are set again."""


@dataclass(frozen=True)
class PrintEdition:
    """What typesetting the print edition tells the other outputs."""

    pages: int
    starts: tuple[PageStart, ...]
    """Where each page opening inside a chapter begins (for the EPUB's page list)."""


def write_pdf(book: Book, chapters: Sequence[RenderedChapter], target: Path,
              *, styles: Path, created: datetime.datetime,
              settings: PrintSettings | None = None) -> PrintEdition:
    """Typeset the book into `target` as `settings` ask (else book.yaml's `print:`).

    Raises ToolError when the PDF would use a font other than the book face.
    """
    settings = settings or book.print_settings
    kdp = settings.profile == "kdp"
    document = typeset(book, chapters, styles=styles, created=created, settings=settings)
    identifier = hashlib.sha256(book.metadata.identifier.encode()).hexdigest()[:32]
    # KDP prefers whole fonts to subsets, and tools read a `ABCDEF+` name tag as "subset".
    document.write_pdf(target, pdf_identifier=identifier.encode(), full_fonts=kdp,
                       finisher=_untag_font_names if kdp else None)
    return PrintEdition(len(document.pages), page_starts(document, body_start(chapters).id))


def print_pages(book: Book, chapters: Sequence[RenderedChapter], *, styles: Path,
                created: datetime.datetime) -> tuple[PageStart, ...]:
    """Where the pages of book.yaml's print edition begin, without writing it."""
    document = typeset(book, chapters, styles=styles, created=created,
                       settings=book.print_settings)
    return page_starts(document, body_start(chapters).id)


def layout_key(book: Book, chapters: Sequence[RenderedChapter], styles: Path,
               created: datetime.datetime) -> str:
    """A digest of everything book.yaml's print edition is laid out from: the book's HTML,
    the style sheets, the print settings, and the typesetting code and its version."""
    import weasyprint

    settings = book.print_settings
    parts = [book_html(book, chapters, created, links=settings.profile != "kdp",
                       opening=settings.opening).encode()]
    parts += [sheet.read_bytes() for sheet in stylesheets(book, styles, *STYLESHEETS)]
    parts += [repr(settings).encode(), weasyprint.__version__.encode()]
    parts += [(Path(__file__).parent / module).read_bytes()
              for module in ("pdf.py", "printing.py", "pagestarts.py", "pagekey.py")]
    digest = hashlib.sha256()
    for part in parts:  # each part's own digest, so that no two splits of the bytes agree
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


def typeset(book: Book, chapters: Sequence[RenderedChapter], *, styles: Path,
            created: datetime.datetime, settings: PrintSettings) -> Document:
    """Lay the book out for print: as many passes as the gutter and the mending of badly
    broken paragraphs need, ending on an even page count."""
    kdp = settings.profile == "kdp"
    html = _html(book, book_html(book, chapters, created, links=not kdp,
                                 opening=settings.opening), styles)
    # A first guess at the page count, for the gutter.
    pages = estimate_pages(settings, sum(len(c.chapter.text) for c in chapters), len(chapters))
    document = _lay_out(book, html, styles, pages, kdp_gutter, lambda count: page_css(
        geometry(settings, count)) + (NO_OUTLINE_CSS if kdp else ""))
    _refuse_fallback_fonts(document, theme_families(styles, book.theme))
    return _even(document)


def _lay_out(book: Book, html: HTML, styles: Path, pages: int, band: Callable[[int], object],
             page_rules: Callable[[int], str]) -> Document:
    """Render until the page geometry fits the page count (`band` of the count decides the
    geometry, `page_rules` gives its CSS) and no paragraph is left broken early, within
    MAX_PASSES layouts and MAX_MENDS mendings."""
    mends = 0
    for _ in range(MAX_PASSES):
        document = _render(book, html, styles, page_rules(pages))
        if band(len(document.pages)) != band(pages):
            pages = len(document.pages)
            continue  # the gutter was wrong: lay out again before judging the lines
        broken = broken_lines(document) if mends < MAX_MENDS else []
        if not broken:
            break
        for paragraph in broken:
            _mend(paragraph, mends)
        mends += 1
    return document


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
                     *, styles: Path, created: datetime.datetime) -> int:
    """The screen edition: single-sided pages at trim size, hyperlinked contents and notes
    (kept at each chapter's end, linked both ways), an outline, tagged as PDF/UA-1."""
    settings = book.print_settings
    html = _html(book, book_html(book, chapters, created, notes_at_foot=False,
                                 opening=settings.opening), styles)
    extra = page_css(geometry(dataclasses.replace(settings, profile=""), 0)) + SCREEN_CSS
    # One geometry whatever the page count; paragraphs broken early are mended as in print.
    document = _lay_out(book, html, styles, 0, lambda _count: 0, lambda _count: extra)
    _refuse_fallback_fonts(document, theme_families(styles, book.theme))
    identifier = hashlib.sha256(b"screen" + book.metadata.identifier.encode()).hexdigest()
    document.write_pdf(target, pdf_identifier=identifier[:32].encode(), pdf_variant="pdf/ua-1")
    return len(document.pages)


def _even(document: Document) -> Document:
    """A printed book has an even number of pages: end on a blank verso when it would not.
    The half-title's verso is such a page (nothing on it, nothing pointing to it)."""
    if len(document.pages) % 2 == 0:
        return document
    blank = document.pages[1]
    if blank.anchors or blank.links or blank.bookmarks:
        raise ToolError("the page after the half-title is not blank; cannot end on a verso")
    return document.copy([*document.pages, blank])


NO_OUTLINE_CSS = "section.chapter, section.chapter h2 { bookmark-level: none !important; }\n"


def stylesheets(book: Book, styles: Path, *names: str) -> list[Path]:
    """The sheets `names` from styles/, then the book's theme, then its own style.css."""
    sheets = [styles / name for name in names]
    sheets.append(theme_css(styles, book.theme))
    if book.style_override is not None:
        sheets.append(book.style_override)
    return sheets


def _html(book: Book, html_text: str, styles: Path) -> HTML:
    return HTML(string=html_text, base_url=str(book.root) + "/",
                url_fetcher=SandboxFetcher([book.root, styles]))


def _render(book: Book, html: HTML | str, styles: Path, extra_css: str) -> Document:
    if isinstance(html, str):
        html = _html(book, html, styles)
    fetcher = html.url_fetcher
    fonts = FontConfiguration()
    # WeasyPrint logs every CSS property it does not support; the author cannot act on it.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    try:  # a sheet's @import is fetched as the sheet is read, so both steps are guarded
        sheets = [CSS(filename=path, url_fetcher=fetcher, font_config=fonts)
                  for path in stylesheets(book, styles, *STYLESHEETS)]
        sheets.append(CSS(string=extra_css, url_fetcher=fetcher, font_config=fonts))
        return html.render(font_config=fonts, stylesheets=sheets)
    except RefusedFetch as err:
        raise ToolError(str(err)) from None


SHORT_LINE = 0.5
"""A line, not its paragraph's last, holding less than this share of the paragraph's
typical line was broken early."""


def broken_lines(document: Document) -> list:
    """The paragraph elements in which a justified line, not the last, is left short."""
    fragments: dict[object, list[boxes.BlockContainerBox]] = {}
    for page in document.pages:
        for block in _blocks(page._page_box):
            element = block.element
            if block.element_tag != "p" or block.style["text_align_all"] != "justify":
                continue
            if element is None or element.find(".//br") is not None:
                continue  # hard line breaks are the author's
            fragments.setdefault(element, []).append(block)
    found = []
    for element, blocks in fragments.items():
        # Every line but the paragraph's very last: a page may end inside the paragraph.
        # Justification stretches a short line across the measure, so count its characters.
        lengths = [len(_line_text(line)) for block in blocks for line in block.children
                   if isinstance(line, boxes.LineBox) and line.children]
        if len(lengths) > 2:
            typical = sorted(lengths)[len(lengths) // 2]
            if any(length < SHORT_LINE * typical for length in lengths[:-1]):
                found.append(element)
    return found


def _mend(paragraph: object, attempt: int) -> None:
    """WeasyPrint sometimes ends a line early, leaving a word alone on it, when a later line
    ends in an inline element at the very edge (`Not that <em>I</em>`; its issue #1158 is of
    the kind). A hair less (or more) space between words or letters, invisible in justified
    text, moves the line ends and avoids it; the last resort also leaves the paragraph
    unhyphenated. (Setting the one-word inlines as inline blocks also avoids it, but opens a
    wide gap before each of them in a justified line.)"""
    paragraph.set("style", _MENDS[min(attempt, len(_MENDS) - 1)])


_MENDS = ("word-spacing: -0.02em", "word-spacing: 0.02em", "letter-spacing: 0.004em",
          "word-spacing: -0.05em; hyphens: manual")


def _blocks(box: boxes.Box) -> Iterator[boxes.BlockContainerBox]:
    if isinstance(box, boxes.BlockContainerBox):
        yield box
    for child in getattr(box, "children", ()):
        if not isinstance(child, boxes.LineBox):
            yield from _blocks(child)


def _line_text(box: boxes.Box) -> str:
    if isinstance(box, boxes.TextBox):
        return box.text
    return "".join(_line_text(child) for child in getattr(box, "children", ()))


_SUBSET_TAG = re.compile(rb"^/[A-Z]{6}\+")


def _untag_font_names(_document: Document, pdf: pydyf.PDF) -> None:
    """Drop the subset tag from font names: the fonts embedded are whole."""
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Dictionary):
            for key in ("BaseFont", "FontName"):
                value = obj.get(key)
                if isinstance(value, bytes) and _SUBSET_TAG.match(value):
                    obj[key] = b"/" + value[8:]


def _refuse_fallback_fonts(document: Document, faces: frozenset[str]) -> None:
    """Any family the theme did not declare is a face fontconfig fell back to."""
    used = {font.family for font in document.fonts.values()}
    strangers = sorted(str(f) for f in used if f not in faces)
    if strangers:
        raise ToolError(
            f"the PDF would use {', '.join(strangers)} for characters the book face lacks; "
            "install the book's fonts (see README) or remove those characters"
        )
