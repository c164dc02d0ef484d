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
from pathlib import Path

import pikepdf

from publish.letters import squeeze
from publish.model import RenderedChapter
from publish.printing import BLEED, PrintSettings
from publish.xhtml import parse_fragment

TOLERANCE = 0.01  # points
_STARS_APART = re.compile(r"^[ \t]*\*[ \t]*\n(?:\s*\n)*[ \t]*\*[ \t]*\n(?:\s*\n)*[ \t]*\*[ \t]*$",
                          re.MULTILINE)
_SCENE_BREAK = re.compile(r"^\s*\*\s*\*\s*\*\s*$")
_FOLIO_ONLY = re.compile(r"^\s*(?:\d+|[ivxlcdm]+)\s*$", re.IGNORECASE)


def preflight(pdf_path: Path, settings: PrintSettings, last_words: str) -> list[str]:
    """Every problem a printer would find in `pdf_path`, as sentences."""
    problems: list[str] = []
    with pikepdf.open(pdf_path) as pdf:
        problems += _page_boxes(pdf, settings)
        problems += _fonts(pdf)
        if len(pdf.pages) % 2:
            problems.append(f"{len(pdf.pages)} pages: a printed book has an even page count")
        if settings.profile == "kdp":
            problems += _kdp(pdf)
    pages = page_texts(pdf_path)
    if squeeze(last_words) not in squeeze(" ".join(pages)):
        problems.append(f"the text stops early: the last words “{last_words[-60:]}” are "
                        "missing")
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


def last_words(chapter: RenderedChapter) -> str:
    """The last sentence of a chapter's text as a reader sees it (its notes left out)."""
    root = parse_fragment(chapter.body)
    for aside in root.xpath(".//aside"):
        aside.getparent().remove(aside)
    text = " ".join("".join(root.itertext()).split())
    sentences = re.split(r"(?<=[.!?”])\s+", text)
    return sentences[-1] if sentences else text
