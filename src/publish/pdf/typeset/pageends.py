"""Page ends: what a layout shows of the paragraphs whose lines were chosen here that must not
ship — a page ending in a hyphen, a line running past the measure. The typesetting passes
(publish.pdf.typeset) set such paragraphs again."""

from __future__ import annotations

from weasyprint.document import Document

from publish.letters import ends_in_hyphen
from publish.pdf import boxes


def hyphens_ending_pages(document: Document) -> dict[int, frozenset[int]]:
    """The lines of paragraphs broken here (paragraph number → line numbers, from 1) that
    end a page of `document` in a hyphen."""
    found: dict[int, set[int]] = {}
    counts: dict[int, int] = {}
    for page in boxes.pages(document):
        last = None
        for box in boxes.descendants(page):
            element = boxes.element(box)
            if not boxes.is_line(box) or element is None:
                continue
            number = element.get("data-paragraph")
            if number is not None:
                counts[int(number)] = counts.get(int(number), 0) + 1
            last = (number, box, element)
        if last is None or last[0] is None:
            continue
        number, box, element = int(last[0]), last[1], last[2]
        if ends_in_hyphen(boxes.line_text(box)) and \
                counts[number] < int(element.get("data-lines", "0")):
            found.setdefault(number, set()).add(counts[number])
    return {number: frozenset(lines) for number, lines in found.items()}


def overflowing(document: Document) -> frozenset[int]:
    """The paragraphs broken here one of whose lines runs past the measure in `document`
    (a measuring slip: they are better left to WeasyPrint)."""
    found = set()
    for page in boxes.pages(document):
        for box in boxes.descendants(page):
            element = boxes.element(box)
            if not boxes.is_line(box) or element is None:
                continue
            number = element.get("data-paragraph")
            if number is None:
                continue
            if boxes.right_edge(box) > box.position_x + box.width + 1:  # CSS pixels
                found.add(int(number))
    return frozenset(found)
