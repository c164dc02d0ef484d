"""Preflight: what a print shop checks in the PDF before it accepts it.

Each finding is a problem with the PDF publish made, not with the manuscript: page boxes
that are not the trim (plus the profile's bleed), fonts not embedded, text missing at the
end (WeasyPrint has been seen to stop long flows early), a blank page that is not blank, an
odd page count, a scene break alone at the top or foot of a page, and for KDP any link or
outline.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pikepdf

from publish.frontmatter import copyright_page, titlepage
from publish.model import Book, RenderedChapter
from publish.pdf import readback
from publish.printing import BLEED, PrintSettings, geometry
from publish.xhtml import parse_fragment, without_math

TOLERANCE = 0.01  # points
_STARS_APART = re.compile(r"^[ \t]*\*[ \t]*\n(?:\s*\n)*[ \t]*\*[ \t]*\n(?:\s*\n)*[ \t]*\*[ \t]*$",
                          re.MULTILINE)
_SCENE_BREAK = re.compile(r"^\s*\*\s*\*\s*\*\s*$")
_FOLIO_ONLY = re.compile(r"^\s*(?:\d+|[ivxlcdm]+)\s*$", re.IGNORECASE)


def preflight(pdf_path: Path, settings: PrintSettings, last_words: str,
              texts: Sequence[tuple[str, str]] = (), notes: Sequence[tuple[str, str]] = ()
              ) -> list[str]:
    """Every problem a printer would find in `pdf_path`, as sentences; with `texts` (each
    chapter's name and its running text) and `notes` (each note's), every word of those
    read back in order, and every line held to the build's invariants
    (publish.pdf.readback)."""
    problems: list[str] = []
    with pikepdf.open(pdf_path) as pdf:
        problems += _page_boxes(pdf, settings)
        problems += _fonts(pdf)
        count = len(pdf.pages)
        if count % 2:
            problems.append(f"{count} pages: a printed book has an even page count")
        if settings.profile == "kdp":
            problems += _kdp(pdf)
    printed = readback.read(pdf_path)
    geo = geometry(settings, count)
    ending = readback.missing_words(printed, geo, [("", last_words)])
    if ending:  # read as the text runs: a running head may stand inside the last sentence
        problems.append(f"the text stops early: the last words “{last_words[-60:]}” are "
                        "missing")
    if texts:
        problems += readback.layout_problems(printed, geo)
        problems += readback.missing_words(printed, geo, texts)
        problems += readback.missing_words(printed, geo, notes, window=NOTES_APART)
    pages = page_texts(pdf_path)
    for number, text in enumerate(pages, 1):
        if text.strip() and _FOLIO_ONLY.match(text):
            problems.append(f"page {number} is blank but for its folio")
        # pdftotext gives the ornament's three stars (set with em spaces) a line each.
        text = _STARS_APART.sub("* * *", text)
        lines = [line for line in text.splitlines() if line.strip()]
        # A page's first line may be its running head, its last its folio.
        edges = lines[:2] + lines[-2:]
        if any(_SCENE_BREAK.match(line) for line in edges):
            problems.append(f"page {number}: a scene break stands alone at its top or foot")
    return problems


def page_texts(pdf_path: Path) -> list[str]:
    """The text of each page (poppler's pdftotext)."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf_path), "-"],
                         capture_output=True, text=True, check=True).stdout
    return out.split("\f")[:-1] if out.endswith("\f") else out.split("\f")


def _page_boxes(pdf: pikepdf.Pdf, settings: PrintSettings) -> list[str]:
    width, height = (side * 72 for side in settings.trim)
    if settings.profile in ("kdp", "ingram"):
        expected = (width + BLEED * 72, height + 2 * BLEED * 72)
        box_name = "/MediaBox"
    else:
        expected = (width, height)
        box_name = "/TrimBox" if settings.profile in ("lulu", "proof") else "/MediaBox"
    problems = []
    for number, page in enumerate(pdf.pages, 1):
        box = page.obj.get(box_name, page.mediabox)
        size = (float(box[2]) - float(box[0]), float(box[3]) - float(box[1]))
        if any(abs(a - b) > TOLERANCE for a, b in zip(size, expected, strict=True)):
            problems.append(f"page {number}: {box_name[1:]} is {size[0]:.2f}×{size[1]:.2f} pt, "
                            f"not {expected[0]:.2f}×{expected[1]:.2f}")
    return problems


def _fonts(pdf: pikepdf.Pdf) -> list[str]:
    problems = set()
    for page in pdf.pages:
        for _name, font in page.resources.get("/Font", {}).items():
            parts = [font, *font.get("/DescendantFonts", [])]
            descriptors = [p.FontDescriptor for p in parts if "/FontDescriptor" in p]
            if not any(k in d for d in descriptors for k in ("/FontFile", "/FontFile2",
                                                              "/FontFile3")):
                problems.add(f"font {font.get('/BaseFont')} is not embedded")
    return sorted(problems)


def _kdp(pdf: pikepdf.Pdf) -> list[str]:
    problems = []
    if any("/Annots" in page for page in pdf.pages):
        problems.append("KDP: the file has link annotations")
    with pdf.open_outline() as outline:
        if list(outline.root):
            problems.append("KDP: the file has an outline (bookmarks)")
    return problems


NOTES_APART = 200_000
"""Letters of text that may stand between two notes in the PDF (they are printed at the foot
of the pages that call them, in the order they are called)."""


def notes_of(chapter: RenderedChapter) -> list[str]:
    """The text of each of a chapter's notes that its text calls, in the order called."""
    root = without_math(parse_fragment(chapter.body))
    asides = {aside.get("id"): aside for aside in root.xpath(".//aside")}
    made = []
    for call in root.xpath(".//a[@role='doc-noteref']"):
        aside = asides.pop((call.get("href") or "").lstrip("#"), None)
        if aside is not None:
            for number in aside.xpath(".//a[@role='doc-backlink']"):
                number.text = ""
            made.append(" ".join("".join(aside.itertext()).split()))
    return made


def front_matter_texts(book: Book) -> list[tuple[str, str]]:
    """The title page's and the copyright page's text (made from book.yaml), as they come
    before the chapters."""
    pages = [("the title page", titlepage(book.metadata)),
             ("the copyright page", copyright_page(book.metadata))]
    return [(f"{book.config_path} ({name})",
             " ".join("".join(parse_fragment(str(markup)).itertext()).split()))
            for name, markup in pages]


def running_text(chapter: RenderedChapter) -> str:
    """A chapter's text as a reader sees it running: its notes and captions left out (print
    sets them at a page's foot, and may float a figure past the text after it)."""
    root = without_math(parse_fragment(chapter.body))
    for element in root.xpath(".//aside | .//a[@role='doc-noteref'] | .//figcaption"):
        element.text = ""
        for child in list(element):
            element.remove(child)
    for link in root.xpath(".//a[contains(concat(' ', @class, ' '), ' page-ref ')]"):
        link.tail = " " + (link.tail or "")  # print sets its folio here: `…, page 42.`
    return " ".join("".join(root.itertext()).split())


def last_words(chapter: RenderedChapter) -> str:
    """The last sentence of a chapter's text as a reader sees it (its notes left out)."""
    root = without_math(parse_fragment(chapter.body))
    for aside in root.xpath(".//aside"):
        aside.getparent().remove(aside)
    text = " ".join("".join(root.itertext()).split())
    sentences = re.split(r"(?<=[.!?”])\s+", text)
    return sentences[-1] if sentences else text
