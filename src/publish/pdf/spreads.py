"""Facing pages of equal depth.

Widow and orphan control moves a line to the next page, leaving its page a line short of
the page facing it. A typesetter evens the spread out without moving anything else: a
paragraph on the short page is set a line longer (TeX's `\\looseness`), the one that costs
least (publish.pdf.linebreak), so the page gains the line and still ends where it ended.
Since nothing after that page moves, only that page is laid out again, by itself, and takes
the old one's place in the layout (its running heads and folios carried over); a paragraph
it shares with the page before or after may be the one, and that page is laid out again too.
When no paragraph there can take the line, the facing page gives one up instead, if one of
its paragraphs can be set a line shorter: the spread then runs a line short on both pages.

A page is left as it is when it cannot be set again by itself: it holds footnotes or a
figure, or a paragraph not broken here runs onto or off it; and a unit's last page may be
short. A spread none of whose paragraphs can even it out is publish.pdf.reflow's: it
reaches back.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

from lxml import html as lxml_html

from publish.pdf.typography import is_line, line_text, median_line, text_boxes, text_depth

Spread = tuple[int, int, int]
"""(short page, facing page, lines short) of an uneven spread, its pages by index."""
MOST_LINES = 2
"""A page short of its facing page by more lines than this was not left short by widow and
orphan control alone (a scene break or a letter moved on with its first lines): it is not
evened out where it stands (publish.pdf.reflow may reach back for it)."""


@dataclass(frozen=True)
class Share:
    """What one page of a laid-out document shows of it."""

    index: int
    blocks: frozenset[int]
    """The numbered blocks (`data-block`, publish.pdf.linebreak) with a box on the page."""
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


@dataclass(frozen=True)
class Patch:
    """A page to lay out again by itself."""

    share: Share
    keep: tuple[tuple[int, int, int], ...]
    """(paragraph, first line, end line) of each paragraph the page shows only in part, its
    lines counted as it is to be set."""
    depth: float
    """The depth it should have."""


@dataclass(frozen=True)
class Fix:
    """Paragraphs to set a line longer or shorter, and the pages (one, or both of a spread)
    that then change."""

    longer: tuple[int, ...]
    shorter: tuple[int, ...]
    pages: tuple[Patch, ...]
    page_ends: tuple[tuple[int, int], ...] = ()
    """(paragraph, line from 1) of a paragraph set longer whose line ends a page."""

    def changes(self) -> dict[int, int]:
        """Paragraph → lines longer (or shorter, below 0)."""
        return {**{n: 1 for n in self.longer}, **{n: -1 for n in self.shorter}}


def shares(document: object) -> list[Share]:
    """What each page of `document` (a WeasyPrint layout) shows."""
    pages = document.pages  # type: ignore[attr-defined]
    seen: dict[int, int] = {}
    styled: set[int] = set()  # paragraphs with a first line of their own style
    per_page = []
    for page in pages:
        box = page._page_box
        blocks: set[int] = set()
        lines: list[tuple[object, str, float, float]] = []
        for child in text_boxes(box):
            element = getattr(child, "element", None)
            if element is None:
                continue
            number = element.get("data-block")
            if number is not None:
                blocks.add(int(number))
            if is_line(child):
                lines.append((element, line_text(child).strip(), child.position_y,
                              child.position_y + child.height))
            elif type(child).__name__ == "LineBox" and element.get("data-paragraph"):
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
        per_page.append((page, blocks, lines, counted, tuple(gaps)))
    spaces = _spaces(pages, [element for _page, _blocks, lines, _counted, _gaps in per_page
                             for element, *_rest in lines])
    made = []
    for index, (page, blocks, lines, counted, gaps) in enumerate(per_page):
        previous = per_page[index - 1][1] if index else set()
        following = per_page[index + 1][1] if index + 1 < len(per_page) else set()
        box = page._page_box
        before, after = blocks & previous, blocks & following
        # Laid out by itself, a page must begin and end where it did: a paragraph running
        # onto or off it must be one whose lines were chosen here, and one running onto it
        # must not have a first line styled apart (it would style the page's first line).
        top, last = lines[0][0] if lines else None, lines[-1][0] if lines else None
        alone = bool(lines) and not _has_notes_or_figures(box) and all(
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
            text_depth(box), median_line(box),
            (lines[0][1], lines[-1][1]) if lines else ("", ""), alone,
            _starts_unit(box, per_page[index - 1][0]._page_box if index else None),
            box.height, gaps, _kept_margins(box),
            tuple(spaces.get(n) if min(i) == 0 else None for n, i in counted.items())))
    return made


def _spaces(pages: Sequence[object], lines: Sequence[object]) -> dict[int, Space | None]:
    """What stands above each paragraph broken here (by number) that follows another,
    from the document's elements and the margins their boxes are given: known only where
    it is what the layout shows (the paragraphs are on one page, or the second opens one)."""
    boxes: dict[object, object] = {}
    # paragraph: the page and top of its first line, the page and bottom of its last
    placed: dict[int, tuple[int, float, int, float]] = {}
    for index, page in enumerate(pages):
        box = page._page_box  # type: ignore[attr-defined]
        for child in text_boxes(box):
            element = getattr(child, "element", None)
            if element is None:
                continue
            boxes.setdefault(element, child)
            if is_line(child) and element.get("data-paragraph") is not None:
                number = int(element.get("data-paragraph"))
                top = child.position_y - box.content_box_y()
                bottom = top + child.height
                was = placed.get(number)
                placed[number] = (*(was[:2] if was else (index, top)), index, bottom)
    paragraphs = list(dict.fromkeys(element for element in lines
                                    if element.get("data-paragraph") is not None))
    if not paragraphs or not pages:
        return {}
    # Pages laid out by themselves (publish.pdf.spreads) come from documents of their own.
    roots = dict.fromkeys(page._page_box.children[0].element  # type: ignore[attr-defined]
                          for page in pages)
    parents = {child: parent for root in roots for parent in root.iter() for child in parent}
    order = {element: index for root in roots for index, element in enumerate(root.iter())}
    flat = {root: list(root.iter()) for root in roots}

    def chain(element: object, stop: object) -> list[object]:
        made = []
        while element is not None and element is not stop:
            made.append(element)
            element = parents.get(element)
        return made

    def margin(element: object, side: str) -> float:
        value = boxes[element].style[side] if element in boxes else None  # type: ignore[attr-defined]
        return float(value.value) if getattr(value, "unit", None) == "px" else 0.0

    found: dict[int, Space | None] = {}
    for earlier, later in itertools.pairwise(paragraphs):
        number = int(later.get("data-paragraph"))  # type: ignore[attr-defined]
        above_later = chain(later, None)
        common = next((e for e in chain(earlier, None) if e in above_later), None)
        if common is None:
            found[number] = None
            continue
        closing, opening = chain(earlier, common), chain(later, common)
        end = max(order[e] for e in earlier.iter())  # type: ignore[attr-defined]
        standing = [e for e in flat[above_later[-1]][end + 1:order[later]]
                    if e not in above_later and e in boxes
                    and boxes[e].height]  # type: ignore[attr-defined]
        first, last = placed.get(number), placed.get(int(earlier.get("data-paragraph")))  # type: ignore[attr-defined]
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


def uneven(found: Sequence[Share], first_right: bool
           ) -> list[tuple[Share, int, Share]]:
    """(short page, lines short, its facing page) for each spread of `found` whose pages end
    at different depths, neither the last page of its unit."""
    ends = {share.index for share in found
            if share.index + 1 == len(found) or found[share.index + 1].starts_unit
            or not found[share.index + 1].lines}
    short = []
    for verso in range(0 if not first_right else 1, len(found) - 1, 2):
        left, right = found[verso], found[verso + 1]
        if verso in ends or verso + 1 in ends or not left.lines or not right.lines:
            continue
        height = left.line_height or right.line_height
        if not height:
            continue
        lines = round((right.depth - left.depth) / height)
        if lines:
            short.append((left, lines, right) if lines > 0 else (right, -lines, left))
    return short


def plan(found: Sequence[Share], first_right: bool,
         costs: Callable[[Sequence[int], int, Mapping[int, frozenset[int]]],
                         Mapping[int, float]]) -> list[Fix]:
    """How to even out each uneven spread. The short page gains a line for each paragraph
    on it set a line longer: one it holds whole, or one it shares with the page before or
    after only (that page keeps as many lines of it, and is laid out again too). If too few
    can be, the facing page loses one for each paragraph it holds whole set a line shorter
    (the spread then runs a line short, as a typesetter may let it). Those that cost least
    are chosen (`costs(numbers, lines, no_hyphen)` gives what setting each paragraph
    `lines` longer costs, by number, with no hyphen ending the lines named)."""
    fixes: list[Fix] = []
    spreads = uneven(found, first_right)
    # Pages another fix sets again, or will: a paragraph shared with one is not re-set.
    taken = {short.index for short, _lines, _facing in spreads}
    for short, lines, facing in spreads:
        if not short.alone or lines > MOST_LINES:
            continue
        before, after = (found[index] if 0 <= index < len(found) and index not in taken
                         else None for index in (short.index - 1, short.index + 1))
        # A shared paragraph's line that ends the first of its two pages: never a hyphen.
        ends: dict[int, int] = {}
        if before is not None and before.alone:
            ends.update({n: end for n, _start, end in before.lines
                         if n in before.begins and n in short.ends - short.begins})
        if after is not None and after.alone:
            ends.update({n: end + 1 for n, _start, end in short.lines
                         if n in short.begins - short.ends and n in after.ends})
        priced = dict(costs(sorted(short.begins & short.ends), 1, {}))
        for number, line in ends.items():
            priced.update(costs([number], 1, {number: frozenset({line})}))
        longer = sorted(priced, key=lambda n: (priced[n], n))[:lines]
        shorter: list[int] = []
        if len(longer) < lines and facing.alone and facing.index not in taken:
            priced = costs(sorted(facing.begins & facing.ends), -1, {})
            shorter = sorted(priced, key=lambda n: (priced[n], n))[:lines - len(longer)]
        if len(longer) + len(shorter) < lines:
            continue
        depth = facing.depth - len(shorter) * (short.line_height or facing.line_height)
        pages = [Patch(short, _keep(short, longer, 0), depth)]
        for page, side in ((before, -1), (after, 1)):
            if page is not None and (set(longer) & set(ends) & {n for n, *_ in page.lines}
                                     or (page is facing and shorter)):
                pages.append(Patch(page, _keep(page, longer, side),
                                   depth if page is facing else page.depth))
        fixes.append(Fix(tuple(sorted(longer)), tuple(sorted(shorter)), tuple(pages),
                         tuple((n, line) for n, line in ends.items() if n in longer)))
        taken.update(patch.share.index for patch in pages)
    return fixes


def _keep(share: Share, longer: Sequence[int], side: int
          ) -> tuple[tuple[int, int, int], ...]:
    """The lines of each paragraph `share`'s page shows in part once `longer` are set a
    line longer, the page being the short page (`side` 0), or the page before it (-1) or
    after it (1): the short page takes the line a shared paragraph gains, so on the page
    after, that paragraph's lines are counted from one further on."""
    kept = []
    for number, start, end in share.lines:
        if number in share.begins and number in share.ends:
            continue  # shown whole, however it is set
        if number in longer:
            start, end = (start, end + 1) if side == 0 else \
                (start + 1, end + 1) if side == 1 else (start, end)
        kept.append((number, start, end))
    return tuple(kept)


def transplant(page: object, original: object) -> object:
    """`page` with the margin boxes (running heads, folios) of `original`, the page it
    stands in for: a page laid out by itself cannot know them."""
    box, old = page._page_box, original._page_box  # type: ignore[attr-defined]
    box.children = tuple(
        [child for child in box.children if type(child).__name__ != "MarginBox"]
        + [child for child in old.children if type(child).__name__ == "MarginBox"])
    return page


def page_markup(html: str, share: Share) -> str:
    """The document `html` (its lines set as for the page, publish.pdf.linebreak) showing
    only what `share`'s page shows: other blocks are not displayed, and the blocks the page
    begins or ends inside lose the margins, padding and borders a page break took away."""
    root = lxml_html.document_fromstring(html)
    first = None
    for element in list(root.iter()):
        number = element.get("data-block") if isinstance(element.tag, str) else None
        if number is None or element.getparent() is None:
            continue
        block = int(number)
        style = []
        if block not in share.blocks:
            style.append("display: none")
            # Kept (selectors such as `h1 + p` still see it), its content not: WeasyPrint
            # would parse and style it all for nothing.
            element.text = None
            for child in list(element):
                element.remove(child)
        else:
            if first is None and not any(child.get("data-block") is not None
                                         and int(child.get("data-block")) in share.blocks
                                         for child in element.iterchildren()
                                         if isinstance(child.tag, str)):
                first = element
            if block in share.before:  # its bookmark is on the page it began on
                style.append("padding-top: 0; border-top-width: 0; bookmark-level: none")
            if block in share.after:
                style.append("margin-bottom: 0; padding-bottom: 0; border-bottom-width: 0")
        if style:
            element.set("style", "; ".join([*style, element.get("style", "")]).rstrip("; "))
    # A page that begins after an unforced break has the margins above its first block cut
    # (where WeasyPrint cut them: not always).
    while first is not None and not share.starts_unit and first.tag not in ("body", "html"):
        if int(first.get("data-block", -1)) not in share.margins:
            first.set("style", "margin-top: 0; " + first.get("style", ""))
        first = first.getparent()
    return lxml_html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")


def page_css(side: str) -> str:
    """What a page laid out by itself needs beside the unit's sheets: its side, and no
    forced break (what precedes it is not shown)."""
    return (f"html {{ break-before: {side}; }}\n"
            "body, body * { break-before: auto !important; break-after: auto !important; }\n")


def matches(page: object, patch: Patch, changed: Collection[int]) -> bool:
    """Whether `page` (the only page of a layout of `page_markup`) is the page `patch` asks
    for: as deep as it should be, beginning and ending where the old one did."""
    box = page._page_box  # type: ignore[attr-defined]
    lines = [line_text(line).strip() for line in text_boxes(box) if is_line(line)]
    share = patch.share
    if not lines or not share.lines:
        return False
    # A paragraph set again may begin or end the page: its line there reads otherwise.
    if share.lines[0][0] not in changed and lines[0] != share.text[0]:
        return False
    if share.lines[-1][0] not in changed and lines[-1] != share.text[1]:
        return False
    return abs(text_depth(box) - patch.depth) < 0.5 * (share.line_height or 1)


def _has_notes_or_figures(page_box: object) -> bool:
    if any(type(child).__name__ == "FootnoteAreaBox" and child.children
           for child in page_box.children):  # type: ignore[attr-defined]
        return True
    return any(getattr(box, "element_tag", None) in ("figure", "img")
               or type(box).__name__.endswith("ReplacedBox")
               for box in page_box.descendants())  # type: ignore[attr-defined]


def _kept_margins(page_box: object) -> frozenset[int]:
    """The numbered blocks that open the page with a top margin."""
    kept = set()
    box = page_box.children[0] if page_box.children else None  # type: ignore[attr-defined]
    while box is not None and type(box).__name__ != "LineBox":
        element = getattr(box, "element", None)
        if element is not None and element.get("data-block") is not None \
                and (box.margin_top or 0) > 0:
            kept.add(int(element.get("data-block")))
        children = getattr(box, "children", ())
        box = children[0] if children else None
    return frozenset(kept)


def _starts_unit(page_box: object, previous: object | None) -> bool:
    """Whether a top-level element of the body begins on this page."""
    def tops(box: object | None) -> set[int]:
        if box is None:
            return set()
        root = box.children[0] if box.children else None  # type: ignore[attr-defined]
        body = root.children[0] if root is not None and root.children else None
        return {int(child.element.get("data-block")) for child in
                getattr(body, "children", ())
                if getattr(child, "element", None) is not None
                and child.element.get("data-block") is not None}
    return bool(tops(page_box) - tops(previous))
