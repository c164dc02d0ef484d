"""What each page of a WeasyPrint layout shows, as plain data: the paragraphs broken here
(paragraphs.py) and which of their lines it holds, what stands between them, how deep its
text goes, and whether it can be laid out again by itself. Evening out facing pages works
from it (spreads.py where they stand, reachback.py reaching back)."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from weasyprint.document import Document

from publish.pdf import boxes
from publish.pdf.boxes import Element


@dataclass(frozen=True)
class Share:
    """What one page of a laid-out document shows of it."""

    index: int
    blocks: frozenset[int]
    """The numbered blocks (`data-block`, publish.pdf.typeset.paragraphs) with a box on the page."""
    before: frozenset[int]
    """Those begun on an earlier page."""
    after: frozenset[int]
    """Those that go on to a later page."""
    lines: tuple[tuple[int, int, int], ...]
    """(paragraph number, first line, end line) for each paragraph broken here."""
    begins: frozenset[int]
    """The paragraphs broken here whose first line is on the page."""
    ends: frozenset[int]
    """Those whose last line is."""
    depth: float
    line_height: float
    text: tuple[str, str]
    """Its first and last lines' text."""
    alone: bool
    """Whether it can be laid out again by itself."""
    starts_unit: bool
    """Whether a unit (a top-level element: a chapter, a run of chapters) begins on it."""
    height: float = 0.0
    """The text block's height."""
    gaps: tuple[float, ...] = ()
    """For each of `lines`, the space or other matter (a heading, a scene break) between it
    and what is above it on the page."""
    margins: frozenset[int] = frozenset()
    """The blocks at its top that kept their top margin (a page break need not cut it)."""
    spaces: tuple[Space | None, ...] = ()
    """For each of `lines` the page shows the first line of, what stands between it and
    the paragraph before (None where that is not known, or there is none)."""
    keeps: tuple[tuple[int, int], ...] = ()
    """For each of `lines`, its paragraph's `orphans` and `widows` as the style sheets set
    them: the lines a page break must leave at the page's foot and carry over."""


@dataclass(frozen=True)
class Space:
    """What stands between two paragraphs broken here, one after the other, in points."""

    between: float
    """On one page: margins, or a scene break."""
    above: float
    """Above the second when it opens a page (the margins WeasyPrint keeps there)."""
    fixed: bool
    """Whether a page may not end between them (a scene break: `break-before` and
    `break-after: avoid`)."""


def shares(document: Document) -> list[Share]:
    """What each page of `document` shows."""
    pages = document.pages
    seen: dict[int, int] = {}
    styled: set[int] = set()  # paragraphs with a first line of their own style
    first_boxes: dict[Element, boxes.Box] = {}  # each element's first box
    keeps: dict[int, tuple[int, int]] = {}
    per_page = []
    for page in pages:
        box = boxes.page_box(page)
        blocks: set[int] = set()
        lines: list[tuple[Element, str, float, float]] = []
        for child in boxes.text_boxes(box):
            element = boxes.element(child)
            if element is None:
                continue
            first_boxes.setdefault(element, child)
            number = element.get("data-block")
            if number is not None:
                blocks.add(int(number))
            if boxes.is_line(child):
                lines.append((element, boxes.line_text(child).strip(), child.position_y,
                              child.position_y + child.height))
                if element.get("data-paragraph") is not None:
                    style = first_boxes[element].style
                    keeps.setdefault(int(element.get("data-paragraph")),
                                     (style["orphans"], style["widows"]))
            elif boxes.is_line_box(child) and element.get("data-paragraph"):
                styled.add(int(element.get("data-paragraph")))  # its ::first-line
        counted: dict[int, list[int]] = {}
        bottom, gaps = box.content_box_y(), []
        for element, _line, top, end in lines:
            number = element.get("data-paragraph")
            if number is not None:
                paragraph = int(number)
                index = seen.get(paragraph, 0)
                seen[paragraph] = index + 1
                if paragraph not in counted:
                    gaps.append(top - bottom)
                counted.setdefault(paragraph, []).append(index)
                bottom = end
        per_page.append((box, blocks, lines, counted, tuple(gaps)))
    spaces = _spaces([box for box, *_rest in per_page], first_boxes,
                     [[(element, top - box.content_box_y(), bottom - box.content_box_y())
                       for element, _text, top, bottom in lines]
                      for box, _blocks, lines, _counted, _gaps in per_page])
    made = []
    for index, (box, blocks, lines, counted, gaps) in enumerate(per_page):
        previous = per_page[index - 1][1] if index else set()
        following = per_page[index + 1][1] if index + 1 < len(per_page) else set()
        before, after = blocks & previous, blocks & following
        # Laid out by itself, a page must begin and end where it did: a paragraph running
        # onto or off it must be one whose lines were chosen here, and one running onto it
        # must not have a first line styled apart (it would style the page's first line).
        top, last = lines[0][0] if lines else None, lines[-1][0] if lines else None
        alone = bool(lines) and not boxes.has_notes_or_figures(box) and all(
            element.get("data-paragraph") is not None
            or int(element.get("data-block", -1)) not in straddled
            for element, straddled in ((top, before), (last, after))) and not (
            top.get("data-paragraph") is not None and int(top.get("data-block", -1)) in before
            and int(top.get("data-paragraph")) in styled)
        made.append(Share(
            index, frozenset(blocks), frozenset(before), frozenset(after),
            tuple((n, min(i), max(i) + 1) for n, i in counted.items()),
            frozenset(n for n, i in counted.items() if min(i) == 0),
            frozenset(n for n, i in counted.items() if max(i) + 1 == seen[n]),
            boxes.text_depth(box), boxes.median_line(box),
            (lines[0][1], lines[-1][1]) if lines else ("", ""), alone,
            _starts_unit(box, per_page[index - 1][0] if index else None),
            box.height, gaps, _kept_margins(box),
            tuple(spaces.get(n) if min(i) == 0 else None for n, i in counted.items()),
            tuple(keeps[n] for n in counted)))
    return made


def _spaces(pages: Sequence[boxes.PageBox], first_boxes: Mapping[Element, boxes.Box],
            lines: Sequence[Sequence[tuple[Element, float, float]]]
            ) -> dict[int, Space | None]:
    """What stands above each paragraph broken here (by number) that follows another,
    from the document's elements and the margins their boxes (`first_boxes`, each
    element's first) are given: known only where it is what the layout shows (the
    paragraphs are on one page, or the second opens one). `lines` are each page's lines:
    (element, top, bottom) from the top of its text block."""
    # paragraph: the page and top of its first line, the page and bottom of its last
    placed: dict[int, tuple[int, float, int, float]] = {}
    for index, page_lines in enumerate(lines):
        for element, top, bottom in page_lines:
            if element.get("data-paragraph") is not None:
                number = int(element.get("data-paragraph"))
                was = placed.get(number)
                placed[number] = (*(was[:2] if was else (index, top)), index, bottom)
    paragraphs = list(dict.fromkeys(
        element for page_lines in lines for element, _top, _bottom in page_lines
        if element.get("data-paragraph") is not None))
    if not paragraphs or not pages:
        return {}
    # Pages laid out by themselves (publish.pdf.typeset.spreads) come from documents of
    # their own.
    roots = dict.fromkeys(boxes.root_element(page) for page in pages)
    parents = {child: parent for root in roots for parent in root.iter() for child in parent}
    order = {element: index for root in roots for index, element in enumerate(root.iter())}
    flat = {root: list(root.iter()) for root in roots}

    def chain(element: Element | None, stop: Element | None) -> list[Element]:
        made = []
        while element is not None and element is not stop:
            made.append(element)
            element = parents.get(element)
        return made

    def margin(element: Element, side: str) -> float:
        value = first_boxes[element].style[side] if element in first_boxes else None
        return float(value.value) if getattr(value, "unit", None) == "px" else 0.0

    found: dict[int, Space | None] = {}
    for earlier, later in itertools.pairwise(paragraphs):
        number = int(later.get("data-paragraph"))
        above_later = chain(later, None)
        common = next((e for e in chain(earlier, None) if e in above_later), None)
        if common is None:
            found[number] = None
            continue
        closing, opening = chain(earlier, common), chain(later, common)
        end = max(order[e] for e in earlier.iter())
        standing = [e for e in flat[above_later[-1]][end + 1:order[later]]
                    if e not in above_later and e in first_boxes and first_boxes[e].height]
        first, last = placed.get(number), placed.get(int(earlier.get("data-paragraph")))
        shown = first[1] - last[3] if first and last and first[0] == last[2] else None
        opens = first[1] if first and last and first[0] != last[2] else None
        if standing:  # a scene break: only ever seen on one page with both
            found[number] = Space(shown, 0.0, True) if shown is not None else None
            continue
        space = Space(max([0.0] + [margin(e, "margin_bottom") for e in closing]
                          + [margin(e, "margin_top") for e in opening]),
                      max([0.0] + [margin(e, "margin_top") for e in opening]), False)
        if (shown is not None and abs(shown - space.between) > 1) \
                or (opens is not None and abs(opens - space.above) > 1):
            found[number] = None  # the layout shows otherwise: not reckoned
        else:
            found[number] = space
    return found


def _kept_margins(page: boxes.PageBox) -> frozenset[int]:
    """The numbered blocks that open the page with a top margin."""
    kept = set()
    inner = page.children[0] if page.children else None
    while inner is not None and not boxes.is_line_box(inner):
        element = boxes.element(inner)
        if element is not None and element.get("data-block") is not None \
                and (inner.margin_top or 0) > 0:
            kept.add(int(element.get("data-block")))
        children = boxes.children(inner)
        inner = children[0] if children else None
    return frozenset(kept)


def _starts_unit(page: boxes.PageBox, previous: boxes.PageBox | None) -> bool:
    """Whether a top-level element of the body begins on this page."""
    def tops(box: boxes.PageBox | None) -> set[int]:
        if box is None:
            return set()
        root = box.children[0] if box.children else None
        body = root.children[0] if root is not None and root.children else None
        return {int(child.element.get("data-block"))
                for child in (boxes.children(body) if body is not None else ())
                if boxes.element(child) is not None
                and child.element.get("data-block") is not None}
    return bool(tops(page) - tops(previous))
