"""Paragraphs WeasyPrint broke early, found in a laid-out Document, and set again; and the
layout every typesetting pass makes (`render_mended`).

WeasyPrint sometimes ends a justified line early, leaving a word alone on it, when a later
line ends in an inline element at the very edge (`Not that <em>I</em>`; its issue #1158 is
of the kind). A hair less (or more) space between words or letters, invisible in justified
text, moves the line ends and avoids it; the last resort also leaves the paragraph
unhyphenated. (Setting the one-word inlines as inline blocks also avoids it, but opens a
wide gap before each of them in a justified line.)
"""

from __future__ import annotations

from collections.abc import Iterator

from weasyprint.document import Document

from publish.pdf import boxes
from publish.pdf.loops import MENDS
from publish.pdf.render import Layout, render
from publish.pdf.typeset import justify

SHORT_LINE = 0.5
"""A line, not its paragraph's last, holding less than this share of the paragraph's
typical line was broken early."""

_MENDS = ("word-spacing: -0.02em", "word-spacing: 0.02em", "letter-spacing: 0.004em",
          "word-spacing: -0.05em; hyphens: manual")


def render_mended(layout: Layout, mending: bool = True) -> Document:
    """`layout` laid out as the typesetting passes lay it out: the lines chosen here
    justified as they were reckoned (publish.pdf.typeset.justify), and, with `mending`,
    laid out again (up to `MENDS` times) while WeasyPrint breaks a paragraph early."""
    justify.install()
    return render(layout, again=mend_broken if mending else None, most=MENDS)


def mend_broken(document: Document, attempt: int) -> bool:
    """Give each paragraph of `document` with a line broken early the attempt-th remedy
    (on its element, so that the next layout of the same document sees it); whether any
    was."""
    broken = broken_lines(document)
    for paragraph in broken:
        paragraph.set("style", _MENDS[min(attempt, len(_MENDS) - 1)])
    return bool(broken)


def broken_lines(document: Document) -> list[boxes.Element]:
    """The paragraph elements in which a justified line, not the last, is left short."""
    fragments: dict[boxes.Element, list[boxes.Box]] = {}
    for page in boxes.pages(document):
        for block in _blocks(page):
            element = boxes.element(block)
            if boxes.tag(block) != "p" or block.style["text_align_all"] != "justify":
                continue
            if element is None or element.find(".//br") is not None:
                continue  # hard line breaks are the author's
            if element.get("class") == "set-lines":
                continue  # breaks chosen as a whole (publish.pdf.typeset.paragraphs) are meant
            fragments.setdefault(element, []).append(block)
    found = []
    for element, blocks in fragments.items():
        # Every line but the paragraph's very last: a page may end inside the paragraph.
        # Justification stretches a short line across the measure, so count its characters.
        lengths = [len(boxes.text_of(line)) for block in blocks for line in block.children
                   if boxes.is_line_box(line) and line.children]
        if len(lengths) > 2:
            typical = sorted(lengths)[len(lengths) // 2]
            if any(length < SHORT_LINE * typical for length in lengths[:-1]):
                found.append(element)
    return found


def _blocks(box: boxes.Box) -> Iterator[boxes.Box]:
    if boxes.is_block_container(box):
        yield box
    for child in boxes.children(box):
        if not boxes.is_line_box(child):
            yield from _blocks(child)
