"""Facing pages of equal depth.

Widow and orphan control moves a line to the next page, leaving its page a line short of
the page facing it. A typesetter evens the spread out without moving anything else: a
paragraph on the short page is set a line longer (TeX's `\\looseness`), the one that costs
least (publish.pdf.typeset.paragraphs), so the page gains the line and still ends where it ended.
Since nothing after that page moves, only that page is laid out again, by itself, and takes
the old one's place in the layout (its running heads and folios carried over); a paragraph
it shares with the page before or after may be the one, and that page is laid out again too.
When no paragraph there can take the line, the facing page gives one up instead, if one of
its paragraphs can be set a line shorter: the spread then runs a line short on both pages.

A page is left as it is when it cannot be set again by itself: it holds footnotes or a
figure, or a paragraph not broken here runs onto or off it; and a unit's last page may be
short. A spread none of whose paragraphs can even it out is publish.pdf.typeset.reachback's: it
reaches back.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

from lxml import html as lxml_html
from weasyprint.document import Page

from publish.pdf import boxes
from publish.pdf.typeset.facing import facing_pairs, lines_apart
from publish.pdf.typeset.pagemap import Share

Spread = tuple[int, int, int]
"""(short page, facing page, lines short) of an uneven spread, its pages by index."""
MOST_LINES = 2
"""A page short of its facing page by more lines than this was not left short by widow and
orphan control alone (a scene break or a letter moved on with its first lines): it is not
evened out where it stands (publish.pdf.typeset.reachback may reach back for it)."""


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


def uneven(found: Sequence[Share], first_right: bool
           ) -> list[tuple[Share, int, Share]]:
    """(short page, lines short, its facing page) for each spread of `found` whose pages end
    at different depths, neither the last page of its unit."""
    ends = {share.index for share in found
            if share.index + 1 == len(found) or found[share.index + 1].starts_unit
            or not found[share.index + 1].lines}
    short = []
    for verso, recto in facing_pairs(len(found), first_right):
        left, right = found[verso], found[recto]
        if verso in ends or recto in ends or not left.lines or not right.lines:
            continue
        lines = lines_apart(left.depth, right.depth, left.line_height or right.line_height)
        if lines:
            short.append((left, lines, right) if lines > 0 else (right, -lines, left))
    return short


def fixes_for(found: Sequence[Share], first_right: bool,
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


def page_markup(html: str, share: Share) -> str:
    """The document `html` (its lines set as for the page, publish.pdf.typeset.paragraphs) showing
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


def alone_css(side: str) -> str:
    """What a page laid out by itself needs beside the unit's sheets: its side, and no
    forced break (what precedes it is not shown)."""
    return (f"html {{ break-before: {side}; }}\n"
            "body, body * { break-before: auto !important; break-after: auto !important; }\n")


def matches(page: Page, patch: Patch, changed: Collection[int]) -> bool:
    """Whether `page` (the only page of a layout of `page_markup`) is the page `patch` asks
    for: as deep as it should be, beginning and ending where the old one did."""
    box = boxes.page_box(page)
    lines = [boxes.line_text(line).strip() for line in boxes.text_boxes(box)
             if boxes.is_line(line)]
    share = patch.share
    if not lines or not share.lines:
        return False
    # A paragraph set again may begin or end the page: its line there reads otherwise.
    if share.lines[0][0] not in changed and lines[0] != share.text[0]:
        return False
    if share.lines[-1][0] not in changed and lines[-1] != share.text[1]:
        return False
    return abs(boxes.text_depth(box) - patch.depth) < 0.5 * (share.line_height or 1)


