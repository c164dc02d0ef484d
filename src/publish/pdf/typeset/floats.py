"""Figures that float as a book's do: a figure too tall for the rest of its page goes to the
top of the next page, and the text that follows it in the manuscript fills the gap.

WeasyPrint has no page floats: a figure that does not fit moves to the next page and leaves
its page part empty. After a layout, each figure that left more than a quarter of the page
before it empty is moved, in the markup, after as many of the paragraphs that follow it as
fill the gap; the unit is laid out again. Figures keep their order (a figure never passes
another, nor a heading) and land at most a page from where the text calls them.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping

from lxml import etree
from lxml import html as lxml_html
from weasyprint.document import Document

from publish.pdf import boxes
from publish.pdf.typeset.report import FIGURE_GAP

_STOPS = frozenset({"figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "section"})


def number_figures(html: str) -> str:
    """`html` with each figure numbered (`data-figure`), so that a layout can name it."""
    root = lxml_html.document_fromstring(html)
    for number, figure in enumerate(root.iter("figure")):
        figure.set("data-figure", str(number))
    return lxml_html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")


def gaps(document: Document) -> dict[int, int]:
    """For each figure that left its page before more than FIGURE_GAP empty (the report's
    measure): how many lines of the text after it would fill the gap (figure number →
    lines)."""
    found = {}
    for box, following in itertools.pairwise(boxes.pages(document)):
        figure = boxes.first_figure(following)
        if figure is None or figure.get("data-figure") is None:
            continue
        line = boxes.median_line(box)
        empty = box.height - boxes.text_depth(box)
        if line and empty > FIGURE_GAP * box.height:
            found[int(figure.get("data-figure"))] = int(empty // line)
    return found


def move_figures(html: str, moves: Mapping[int, int]) -> str:
    """`html` with each figure of `moves` (number → lines) put after the paragraphs that
    follow it and together hold about that many lines (a paragraph broken as a whole says
    how many it has; another is reckoned by its length)."""
    root = lxml_html.document_fromstring(html)
    for figure in list(root.iter("figure")):
        number = figure.get("data-figure")
        if number is None or int(number) not in moves:
            continue
        passed, anchor = 0.0, None
        for sibling in figure.itersiblings():
            if sibling.tag in _STOPS or passed >= moves[int(number)]:
                break
            passed += _lines_of(sibling)
            anchor = sibling
        if anchor is not None:
            figure.getparent().remove(figure)
            anchor.addnext(figure)
            figure.tail = "\n"
    return lxml_html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")


def _lines_of(element: etree._Element) -> float:
    counted = element.get("data-lines")
    if counted:
        return float(counted)
    text = "".join(element.itertext())
    return max(1.0, len(text) / 65)  # about a line's worth of characters

