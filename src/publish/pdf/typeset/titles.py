"""A chapter title's lines, as laid out: odd or even.

A chapter title is set on one and a half lines of the text, so an odd number of its lines
would leave the text under it half a line off the page's grid; print.css pads such a title
by half a line (`h1[data-title-lines=odd]`). How many lines a title takes is reckoned before the
layout, from its letters (publish.pdf.html); here the layout says where the reckoning was
wrong, and the title is marked again.
"""

from __future__ import annotations

import html as html_text
import re
from collections.abc import Iterable

from weasyprint.document import Document

from publish.pdf import boxes
from publish.pdf.typeset.measure import PLAIN, Measure, width_of


def misjudged_titles(document: Document) -> frozenset[int]:
    """The titles (by their order among the marked ones in the unit) whose `data-title-lines`
    is not the parity of the lines they were laid out in."""
    lines: dict[int, int] = {}
    marks: dict[int, str] = {}
    seen: dict[int, int] = {}  # a title's element → its order, across pages
    for page in boxes.pages(document):
        for box in boxes.descendants(page):
            element = boxes.element(box)
            if boxes.tag(box) != "h1" or element is None or element.get("data-title-lines") is None:
                continue
            order = seen.setdefault(id(element), len(seen))
            marks[order] = element.get("data-title-lines")
            lines[order] = lines.get(order, 0) + sum(
                1 for child in boxes.children(box) if boxes.is_line_box(child))
    return frozenset(order for order, count in lines.items()
                     if marks[order] != ("odd" if count % 2 else "even"))


_MARK = re.compile(r'(<h1\b[^>]*?\bdata-title-lines=")(odd|even)(")')
_TITLE = re.compile(r'(<h1\b[^>]*?\bdata-title-lines=")(?:odd|even)("[^>]*>)(.*?)(</h1>)', re.S)
_TAG = re.compile(r"<[^>]+>")


def reckoned(html: str, measure: Measure) -> str:
    """`html` with each title's mark reckoned again from its words as HarfBuzz measures
    them in the text's face (filled line by line, as WeasyPrint fills a title's lines),
    when the measure knows how titles are set."""
    width, size = measure.title
    if not width:
        return html
    space = width_of(" ", PLAIN, measure) / measure.size * size

    def mark(match: re.Match[str]) -> str:
        words = html_text.unescape(_TAG.sub("", match.group(3))).split()
        lines, used = 1, -space
        for word in words:
            wide = width_of(word, PLAIN, measure) / measure.size * size
            if used > 0 and used + space + wide > width:
                lines, used = lines + 1, -space
            used += space + wide
        return (match.group(1) + ("odd" if lines % 2 else "even") + match.group(2)
                + match.group(3) + match.group(4))

    return _TITLE.sub(mark, html)


def remarked(html: str, titles: Iterable[int]) -> str:
    """`html` with the marks of `titles` (as misjudged_titles counts them) turned over."""
    turned = set(titles)
    count = -1

    def turn(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        if count not in turned:
            return match.group(0)
        return match.group(1) + ("even" if match.group(2) == "odd" else "odd") + match.group(3)

    return _MARK.sub(turn, html)
