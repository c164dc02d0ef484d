"""The one door to WeasyPrint's laid-out boxes.

WeasyPrint keeps the box tree of a laid-out page behind a private attribute
(`Page._page_box`) and its own classes. Every module of the print stage that reads a layout
reads it through this module, which is the only one that names them: an upgrade of
WeasyPrint that changes them breaks here, loudly, and nowhere else. What it hands out are
WeasyPrint's boxes, typed, and plain values read off them.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterator, Sequence

from lxml import etree
from weasyprint.document import Document, Page
from weasyprint.formatting_structure import boxes as wp

Box = wp.Box
PageBox = wp.PageBox
LineBox = wp.LineBox
TextBox = wp.TextBox
InlineBox = wp.InlineBox
Element = etree._Element

PX = 0.75
"""Points per CSS pixel (WeasyPrint's boxes are in CSS pixels)."""


def page_box(page: Page) -> wp.PageBox:
    """The box tree of a laid-out page."""
    return page._page_box


def pages(document: Document) -> list[wp.PageBox]:
    """The box tree of each page of `document`."""
    return [page._page_box for page in document.pages]


def element(box: Box) -> Element | None:
    """The element `box` was made for (None for an anonymous box)."""
    return getattr(box, "element", None)


def tag(box: Box) -> str:
    """The element's tag, with WeasyPrint's `::before`-like suffix for generated boxes ('' for
    none)."""
    return getattr(box, "element_tag", None) or ""


def children(box: Box) -> Sequence[Box]:
    return getattr(box, "children", ())


def descendants(box: Box) -> Iterator[Box]:
    """`box` and every box inside it, in document order."""
    return box.descendants()


def is_line(box: Box) -> bool:
    """Whether `box` is a line of text (a `::first-line` is a line box inside its line)."""
    return isinstance(box, wp.LineBox) and "::" not in tag(box)


def is_line_box(box: Box) -> bool:
    """Whether `box` is a line box, `::first-line` ones included."""
    return isinstance(box, wp.LineBox)


def is_text(box: Box) -> bool:
    return isinstance(box, wp.TextBox)


def is_block_container(box: Box) -> bool:
    return isinstance(box, wp.BlockContainerBox)


def is_block(box: Box) -> bool:
    return isinstance(box, wp.BlockBox)


def is_margin(box: Box) -> bool:
    """Whether `box` is a margin box: a running head, a folio."""
    return isinstance(box, wp.MarginBox)


def is_footnote_area(box: Box) -> bool:
    return isinstance(box, wp.FootnoteAreaBox)


def is_replaced(box: Box) -> bool:
    """Whether `box` is an image (or another replaced element)."""
    return isinstance(box, wp.ReplacedBox)


def text_of(box: Box) -> str:
    """The text a box shows (its text boxes' text, in order)."""
    if isinstance(box, wp.TextBox):
        return box.text
    return "".join(b.text for b in box.descendants() if isinstance(b, wp.TextBox))


line_text = text_of


def text_boxes(box: wp.PageBox) -> Iterator[Box]:
    """The boxes of a page's text block: not its running heads and folios (margin boxes)."""
    for child in box.children:
        if not isinstance(child, wp.MarginBox):
            yield from child.descendants()


def text_depth(box: wp.PageBox) -> float:
    """How far down a page's text (or image) goes, in CSS pixels from its content's top."""
    top = box.content_box_y()
    bottom = top
    for inner in text_boxes(box):
        if isinstance(inner, wp.LineBox | wp.ReplacedBox):
            bottom = max(bottom, inner.position_y + inner.height)
    return bottom - top


def median_line(box: wp.PageBox) -> float:
    """The height of a page's typical line of text, in CSS pixels (0 for none)."""
    heights = [inner.height for inner in text_boxes(box) if is_line(inner)]
    return statistics.median(heights) if heights else 0.0


def first_figure(box: wp.PageBox) -> Element | None:
    """The figure element a page begins with (before any line of text), if it does."""
    for inner in box.descendants():
        if tag(inner) == "figure":
            return inner.element
        if isinstance(inner, wp.LineBox):
            return None
    return None


def has_notes_or_figures(box: wp.PageBox) -> bool:
    """Whether a page holds footnotes, a figure or an image."""
    if any(isinstance(child, wp.FootnoteAreaBox) and child.children for child in box.children):
        return True
    return any(tag(inner) in ("figure", "img") or isinstance(inner, wp.ReplacedBox)
               for inner in box.descendants())


def root_element(box: wp.PageBox) -> Element:
    """The document element a page was laid out from."""
    return box.children[0].element


def lines_in(box: Box) -> Iterator[tuple[wp.LineBox, float]]:
    """Each line under `box` (not a `::first-line`), with where its measure ends: the right
    edge of the block that holds it, in CSS pixels. (A line's own box widens to hold what
    runs past the measure.)"""
    if isinstance(box, wp.BlockContainerBox):
        limit = box.content_box_x() + box.width
        for child in box.children:
            if is_line(child):
                yield child, limit
    for child in children(box):
        if not isinstance(child, wp.LineBox):
            yield from lines_in(child)


def right_edge(line: Box) -> float:
    """Where a line's last text box ends, in CSS pixels (0 for none)."""
    return max((b.position_x + b.width for b in line.descendants()
                if isinstance(b, wp.TextBox)), default=0.0)


def with_margins_of(page: Page, original: Page) -> Page:
    """`page` with the margin boxes (running heads, folios) of `original`, the page it stands
    in for: a page laid out by itself cannot know them."""
    box, old = page._page_box, original._page_box
    box.children = tuple(
        [child for child in box.children if not isinstance(child, wp.MarginBox)]
        + [child for child in old.children if isinstance(child, wp.MarginBox)])
    return page
