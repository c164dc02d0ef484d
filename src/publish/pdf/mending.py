"""Paragraphs WeasyPrint broke early, found in a laid-out Document, and how to set them again.

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
from weasyprint.formatting_structure import boxes

SHORT_LINE = 0.5
"""A line, not its paragraph's last, holding less than this share of the paragraph's
typical line was broken early."""

_MENDS = ("word-spacing: -0.02em", "word-spacing: 0.02em", "letter-spacing: 0.004em",
          "word-spacing: -0.05em; hyphens: manual")


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
            if element.get("class") == "set-lines":
                continue  # breaks chosen as a whole (publish.pdf.linebreak) are meant
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


def mend(paragraph: object, attempt: int) -> None:
    """Set `paragraph` (an element of the laid-out document) with the attempt-th remedy."""
    paragraph.set("style", _MENDS[min(attempt, len(_MENDS) - 1)])


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
