"""The print edition's HTML: the book as a list of units, each a top-level element that
opens on a new page (the half-title, the title page, the copyright page, the contents, each
chapter), and the whole book as those units in one document.

A unit is what the print stage lays out on its own (publish.pdf.units): every unit begins
on a page of its own, on a known side, so its layout depends on nothing before it.
"""

from __future__ import annotations

import datetime
import itertools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from lxml import etree
from markupsafe import Markup

from publish import bookindex
from publish.faces import book_sheets
from publish.frontmatter import (
    EM_PER_LETTER,
    HALF_TITLE_SIZE,
    HALF_TITLE_SPACING,
    TITLE_SIZE,
    around_contents,
    authors_line,
    balanced,
    body_start,
    copyright_page,
    titlepage,
)
from publish.model import Book, RenderedChapter
from publish.pdf.index import index_section
from publish.pdf.mathsvg import draw_math
from publish.templating import render
from publish.xhtml import MATHML_NS, PHRASING, parse_fragment, serialize_children

STYLESHEETS = ("base.css", "print.css")
"""Loaded in this order, then the theme's sheet, then the book's own style.css."""
CONTENTS = "toc"
"""The unit name (and element id) of the contents page."""
_CHAPTER_LINK = re.compile(r'href="chapter-\d+\.xhtml#([^"]+)"')
_ID = re.compile(r'\bid="([^"]+)"')
_SECTION = re.compile(r'<section id="([^"]+)" class="chapter\b')
_INTERNAL_LINK = re.compile(r'\bhref="#([^"]+)"')


@dataclass(frozen=True)
class Unit:
    """One top-level element of the print book, laid out on its own."""

    name: str
    """`half-title`, `titlepage`, `copyright`, `toc`, or the chapter's id."""
    markup: str
    side: str
    """The side of the spread its first page falls on: `right` or `left`."""

    @property
    def ids(self) -> frozenset[str]:
        return frozenset(_ID.findall(self.markup))

    @property
    def sections(self) -> tuple[str, ...]:
        """The ids of the chapters it sets, in order (several in a continuous run)."""
        return tuple(_SECTION.findall(self.markup))

    @property
    def outside_targets(self) -> tuple[str, ...]:
        """Ids this unit links to that another unit holds."""
        here = self.ids
        return tuple(sorted({t for t in _INTERNAL_LINK.findall(self.markup) if t not in here}))


@dataclass(frozen=True)
class PrintOptions:
    """How the print markup is made: links or none (KDP), the chapter opening, and where the
    notes go (the foot of the page, or each chapter's end in the screen edition)."""

    links: bool = True
    opening: str = "none"
    notes_at_foot: bool = True
    chapter_start: str = "recto"
    """recto, next-page or continuous (book.yaml's `print: chapter-start:`)."""
    measure: float = 0.0
    """The text block's width in points, to break titles into even lines (0: as they come)."""


def book_units(book: Book, chapters: Sequence[RenderedChapter], options: PrintOptions,
               numbers: Mapping[str, str] | None = None,
               sides: Mapping[str, str] | None = None) -> list[Unit]:
    """The book's units in reading order. `numbers` (chapter id → folio) writes the page
    numbers into the contents; without it the contents ask WeasyPrint for them
    (`target-counter`), which works only in a whole-book layout. `sides` (unit name →
    `left` or `right`) is where units that may open on either side fall (a chapter, with
    `chapter-start: next-page`); a unit not named there opens on a right-hand page.
    With `chapter-start: continuous` each run of body chapters is one unit, a `div.run`."""
    meta = book.metadata
    start = body_start(chapters)
    before, after = around_contents(chapters)
    sides = sides or {}

    def section(chapter: RenderedChapter) -> str:
        body = chapter_body(chapter, options, numbers or {}, meta.lang)
        return render("pdf/section.html", chapter=chapter, body=Markup(body),
                      start=chapter is start, book_title=meta.title)

    def units_of(group: Sequence[RenderedChapter]) -> Iterator[Unit]:
        if options.chapter_start != "continuous":
            for chapter in group:
                yield Unit(chapter.id, section(chapter), sides.get(chapter.id, "right"))
            return
        for matter, run in itertools.groupby(group, key=lambda c: c.role.matter):
            run = list(run)
            if matter != "body":
                yield from (Unit(c.id, section(c), "right") for c in run)
                continue
            opens = " body-start" if any(c is start for c in run) else ""
            markup = f'<div class="run{opens}">' + "".join(map(section, run)) + "</div>"
            yield Unit(f"run-{run[0].id}", markup, "right")

    index = []
    if bookindex.wanted(chapters, book.index):
        title = bookindex.title(meta.lang, book.index_title)
        groups = bookindex.gather(bookindex.marks_of(chapters), meta.lang)
        index = [Unit(bookindex.ID, index_section(groups, title, meta.lang, numbers or {},
                                                  options.links), "right")]
    contents = render("pdf/contents.html", chapters=[c for c in after if c.in_contents],
                      links=options.links, numbers=numbers,
                      extra=[(bookindex.ID, title)] if index else [])
    width = options.measure
    half_title = balanced(meta.title, width / HALF_TITLE_SIZE, HALF_TITLE_SPACING) \
        if width else None
    return [Unit("half-title", render("pdf/half-title.html", meta=meta, title=half_title),
                 "right"),
            Unit("titlepage", str(titlepage(meta, width / TITLE_SIZE if width else None)),
                 "right"),
            Unit("copyright", str(copyright_page(meta)), "left"),
            *(Unit(c.id, section(c), "right") for c in before),
            Unit(CONTENTS, contents, "right"),
            *units_of(after),
            *index]


def document_html(book: Book, units: Sequence[Unit | str], created: datetime.datetime,
                  options: PrintOptions) -> str:
    """An HTML document holding `units` (or raw markup) in order."""
    meta = book.metadata
    return render("pdf/book.html", meta=meta, authors=authors_line(meta),
                  units=[Markup(u.markup if isinstance(u, Unit) else u) for u in units],
                  opening=options.opening, chapter_start=options.chapter_start,
                  created=created.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))


def book_html(book: Book, chapters: Sequence[RenderedChapter], created: datetime.datetime,
              options: PrintOptions) -> str:
    """The whole book as one HTML document, front matter first."""
    return document_html(book, book_units(book, chapters, options), created, options)


def chapter_body(chapter: RenderedChapter, options: PrintOptions,
                 numbers: Mapping[str, str] | None = None, lang: str = "") -> str:
    """A chapter's body as `options` set it in print (see `print_body`), its page
    references given the folios in `numbers` (id → folio)."""
    title_measure = (options.measure - CHAPTER_TITLE_INSET) / CHAPTER_TITLE_SIZE \
        if options.measure else 0.0
    return print_body(chapter.body, links=options.links, drop_cap=options.opening == "drop-cap",
                      notes_at_foot=options.notes_at_foot, title_measure=title_measure,
                      page_numbers=(numbers or {}, lang) if chapter.page_refs else None)


CHAPTER_TITLE_SIZE = 16
CHAPTER_TITLE_INSET = 0.6 * 72
"""A chapter title's size and its margins left and right, in points (print.css)."""


def print_body(body: str, *, links: bool = True, drop_cap: bool = False,
               notes_at_foot: bool = True, title_measure: float = 0.0,
               page_numbers: tuple[Mapping[str, str], str] | None = None) -> str:
    """A chapter's XHTML as the print edition sets it: links within one document (or none),
    each footnote moved to where it is called, to float to the foot of that page, the
    opening letter in a span of its own for a drop cap, and (given `title_measure`, the
    title's line in its ems) the chapter's title marked with how many lines it is
    reckoned to take, odd or even (`data-title-lines`: print.css pads an odd one by half a line,
    so that the text under it stands on the page's grid; publish.pdf.typeset.titles
    corrects the reckoning from the layout)."""
    body = _CHAPTER_LINK.sub(r'href="#\1"', body)
    moves_notes = notes_at_foot and "doc-footnote" in body
    has_math = f'xmlns="{MATHML_NS}"' in body
    titled = bool(title_measure) and body.lstrip().startswith("<h1")
    if not moves_notes and (links or "<a " not in body) and not drop_cap and not has_math \
            and not titled and page_numbers is None:
        return body
    root = parse_fragment(body)
    if page_numbers is not None:
        _number_page_refs(root, *page_numbers)
    if titled:
        root[0].set("data-title-lines", "odd" if _reckoned_lines(
            "".join(root[0].itertext()), title_measure) % 2 else "even")
    draw_math(root)
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
        for number in aside.xpath("p/a[@role='doc-backlink']"):
            parent = number.getparent()
            if number.getprevious() is None:
                parent.text = (number.tail or "").lstrip()
            parent.remove(number)
        for child in list(aside):
            _inline_blocks(child)
            note.append(child)
        marker = call[0].getparent() if call[0].getparent().tag == "sup" else call[0]
        note.tail = marker.tail
        marker.getparent().replace(marker, note)
    return serialize_children(root)


PAGE = {"en": "page", "de": "Seite", "fr": "page", "es": "página", "it": "pagina",
        "nl": "pagina", "pt": "página", "sv": "sidan", "da": "side", "nb": "side",
        "fi": "sivu", "pl": "strona", "la": "pagina"}
"""The word before a page reference's folio, in the book's language."""


def _number_page_refs(root: etree._Element, numbers: Mapping[str, str], lang: str) -> None:
    """After each page reference (`a.page-ref`), the folio its target is printed on:
    `see the stores` → `see the stores, page 42`."""
    word = PAGE.get((lang or "en").split("-")[0].lower(), PAGE["en"])
    for link in root.iter("a"):
        if "page-ref" not in (link.get("class") or "").split():
            continue
        target = link.get("href", "").partition("#")[2]
        folio = etree.Element("span", {"class": "page-ref-folio"})
        folio.text = f", {word}\u00a0{numbers.get(target, '000')}"
        folio.tail, link.tail = link.tail, None
        link.addnext(folio)


def _reckoned_lines(text: str, measure: float) -> int:
    """How many lines `text` takes when filled line by line, as WeasyPrint fills them, into
    `measure` ems, each letter counted as EM_PER_LETTER: a reckoning, corrected from the
    layout where it was wrong."""
    capacity = max(int(measure / EM_PER_LETTER), 1)
    lines, used = 1, -1
    for word in text.split():
        if used >= 0 and used + 1 + len(word) > capacity:
            lines, used = lines + 1, -1
        used += 1 + len(word)
    return lines


def _inline_blocks(element: etree._Element) -> None:
    """A note's block (and every block inside it) as a span of class `note-<tag>`, its own
    classes kept: a note is set inside the paragraph that calls it, where an HTML parser
    would close the paragraph at a block. print.css displays them as blocks again."""
    for inner in element.iter():
        if isinstance(inner.tag, str) and inner.tag not in PHRASING:
            inner.set("class", " ".join(["note-para" if inner.tag == "p"
                                         else f"note-{inner.tag}",
                                         *(inner.get("class") or "").split()]))
            inner.tag = "span"


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


stylesheets = book_sheets
