"""What a layout shows of the paragraphs whose lines were chosen here that must not ship: lines
other than the chosen ones, a page ending in a hyphen, a line running past the measure. The
typesetting passes (publish.pdf.typeset) set such paragraphs again, or leave them to
WeasyPrint's own breaking."""

from __future__ import annotations

from lxml import html as lxml_html
from weasyprint.document import Document

from publish.letters import ends_in_hyphen
from publish.pdf import boxes
from publish.pdf.typeset.paragraphs import number_blocks


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
        for line, measure in boxes.lines_in(page):
            element = boxes.element(line)
            number = element.get("data-paragraph") if element is not None else None
            if number is not None and boxes.right_edge(line) > measure + 1:  # CSS pixels
                found.add(int(number))
    return frozenset(found)


def not_as_reckoned(document: Document) -> frozenset[int]:
    """The paragraphs broken here whose laid-out lines are not the lines chosen for them:
    more or fewer lines, or a line that ran on past a chosen end (a plain space inside it:
    within a chosen line every space is a no-break space). WeasyPrint did not break where
    it was asked to, and squeezed or stretched what it had."""
    counts: dict[int, int] = {}
    expected: dict[int, int] = {}
    wrong = set()
    for page in boxes.pages(document):
        for box in boxes.descendants(page):
            element = boxes.element(box)
            if element is None or element.get("data-paragraph") is None \
                    or not boxes.is_line_box(box):
                continue
            number = int(element.get("data-paragraph"))
            counts[number] = counts.get(number, 0) + boxes.is_line(box)
            expected[number] = int(element.get("data-lines", "0"))
            if " " in boxes.line_text(box).strip(" "):
                wrong.add(number)
    wrong.update(n for n, count in counts.items() if count != expected[n])
    return frozenset(wrong)


def hyphened_blocks(document: Document) -> frozenset[int]:
    """The blocks (`data-block`, publish.pdf.typeset.paragraphs) that WeasyPrint broke —
    a list's item, a cell, a paragraph left to it — whose line ends a page in a hyphen."""
    found = set()
    for page in boxes.pages(document):
        last = None
        for box in boxes.descendants(page):
            if boxes.is_line(box) and boxes.element(box) is not None:
                last = box
        element = boxes.element(last) if last is not None else None
        if element is None or element.get("data-paragraph") is not None \
                or element.get("data-block") is None:
            continue
        if ends_in_hyphen(boxes.line_text(last)):
            found.add(int(element.get("data-block")))
    return frozenset(found)


def unhyphenated(html: str, blocks: frozenset[int]) -> str:
    """`html` with the blocks numbered `blocks` (as set_lines will number them) set without
    hyphenation of WeasyPrint's own, so that their lines break elsewhere."""
    root = lxml_html.document_fromstring(html)
    number_blocks(root)
    for element in root.iter():
        if element.get("data-block") is not None and int(element.get("data-block")) in blocks:
            element.set("style", "hyphens: manual; " + (element.get("style") or ""))
    return lxml_html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")
