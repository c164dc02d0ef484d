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
import statistics
from collections.abc import Mapping

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
    measure): how many letters of the text after it would fill the gap (figure number →
    letters: the empty lines times the letters of that page's median line)."""
    found = {}
    for box, following in itertools.pairwise(boxes.pages(document)):
        figure = boxes.first_figure(following)
        if figure is None or figure.get("data-figure") is None:
            continue
        line = boxes.median_line(box)
        empty = box.height - boxes.text_depth(box)
        if line and empty > FIGURE_GAP * box.height:
            found[int(figure.get("data-figure"))] = int(empty // line) * _letters_per_line(box)
    return found


def _letters_per_line(box: boxes.PageBox) -> int:
    counts = [len(boxes.text_of(inner)) for inner in boxes.text_boxes(box)
              if boxes.is_line(inner)]
    return int(statistics.median(counts)) if counts else LETTERS_PER_LINE


LETTERS_PER_LINE = 65
"""A line's letters where a page shows none to count."""


def move_figures(html: str, moves: Mapping[int, int]) -> str:
    """`html` with each figure of `moves` (number → letters) put after the paragraphs that
    follow it and together hold about that many letters: not past one that would run over
    the page when less than half the gap is left to fill (the figure would then follow that
    paragraph's tail on the next page, and might not fit there)."""
    root = lxml_html.document_fromstring(html)
    for figure in list(root.iter("figure")):
        number = figure.get("data-figure")
        if number is None or int(number) not in moves:
            continue
        gap = moves[int(number)]
        passed, anchor = 0, None
        for sibling in figure.itersiblings():
            if sibling.tag in _STOPS or passed >= gap:
                break
            more = len("".join(sibling.itertext()))
            if passed + more > gap and gap - passed < gap / 2:
                break
            passed += more
            anchor = sibling
        if anchor is not None:
            figure.getparent().remove(figure)
            anchor.addnext(figure)
            figure.tail = "\n"
    return lxml_html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")
