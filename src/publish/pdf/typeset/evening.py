"""Evening out the facing pages of a layout whose paragraphs' lines were chosen here
(publish.pdf.typeset.paragraphs).

First where each uneven spread stands (publish.pdf.typeset.spreads): a page is set again by itself
with a paragraph on it a line longer or shorter, and takes the old page's place. Then, for
the spreads that could not be evened out so, by reaching back (publish.pdf.typeset.reachback): the
layout is made again with a paragraph or two before or on them set a line longer or shorter,
and evened out where they stand once more. That is judged unit by unit (a unit: the pages
from one that opens a top-level element of the body to the next), so that a whole-book
layout comes out as its units laid out one by one do.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

from weasyprint.document import Document, Page

from publish.faces import resolver_for
from publish.pdf import boxes
from publish.pdf.invariants import line_breaches
from publish.pdf.render import Layout
from publish.pdf.typeset.mending import render_mended
from publish.pdf.typeset.notes import lost_notes
from publish.pdf.typeset.pageends import hyphens_ending_pages, overflowing
from publish.pdf.typeset.pagemap import Share, shares
from publish.pdf.typeset.paragraphs import (
    Measure,
    Setting,
    costs_longer,
    set_lines,
    settings_longer,
)
from publish.pdf.typeset.reachback import reach
from publish.pdf.typeset.spreads import (
    Patch,
    Spread,
    alone_css,
    fixes_for,
    matches,
    page_markup,
    uneven,
)


@dataclass(frozen=True)
class Lines:
    """How a layout's paragraphs are set: what evening out its spreads starts from."""

    layout: Layout
    measure: Measure
    source: str
    """The HTML before its lines were chosen."""
    no_hyphen: Mapping[int, frozenset[int]]
    leave: frozenset[int]
    first_right: bool
    mending: bool
    known: dict[tuple[int, int], Setting | None] = dataclasses.field(
        default_factory=dict, compare=False)

    def html(self, changes: Mapping[int, int]) -> str:
        """The document with its lines chosen, `changes` set so many lines longer."""
        return set_lines(self.source, self.measure, self.no_hyphen, self.leave,
                         looser=changes)

    def costs(self, changed: Collection[int]
              ) -> Callable[[Sequence[int], int, Mapping[int, frozenset[int]]],
                            Mapping[int, float]]:
        """What publish.pdf.typeset.spreads.plan prices paragraphs with (those in `changed`,
        already set otherwise, not again)."""
        def costs(numbers: Sequence[int], lines: int, ends: Mapping[int, frozenset[int]]
                  ) -> Mapping[int, float]:
            return costs_longer(self.source, self.measure,
                             [n for n in numbers if n not in changed], lines,
                             _joined(self.no_hyphen, ends))
        return costs

    def setting(self, number: int, change: int) -> Setting | None:
        """How paragraph `number` comes out set `change` lines longer (None if it cannot
        be): what publish.pdf.typeset.reachback reckons pages with."""
        if (number, change) not in self.known:
            self.known[number, change] = settings_longer(self.source, self.measure, [number],
                                                  change, self.no_hyphen).get(number)
        return self.known[number, change]


def even_spreads(document: Document, lines: Lines) -> Document:
    """`document` with its uneven spreads evened out where they can be."""
    found = shares(document)
    evened, left = _where_they_stand(document, found, lines, {})
    result = _reach_back(found, evened, left, lines) if left else evened
    if result is not document and _hyphened(result) > _hyphened(document):
        return document  # evened at the cost of a page ending in a hyphen: the worse harm
    return result


def _hyphened(document: Document) -> int:
    """How many pages of `document` end in a hyphen."""
    return sum(len(ends) for ends in hyphens_ending_pages(document).values())


def _reach_back(found: Sequence[Share], evened: Document, left: Sequence[Spread],
                lines: Lines) -> Document:
    """`evened` (the layout of `found`, its spreads evened out where they stand but for
    `left`), or the layout made again with the changes publish.pdf.typeset.reachback names for each
    unit, kept for the units they leave fewer spreads uneven in and no page ending in a
    hyphen or a line overflowing."""
    ranges = _units(found)
    options: list[list[dict[int, int]]] = []
    before: list[int] = []
    for start, end in ranges:
        mine = [(short - start, facing - start, by) for short, facing, by in left
                if start <= short < end]
        before.append(len(mine))
        options.append(reach(found[start:end], (start % 2 == 0) == lines.first_right,
                             mine, lines.setting) if mine else [])
    # Each unit tries its options in turn until one does better; the rest keep their own.
    trying = dict.fromkeys((unit for unit, made in enumerate(options) if made), 0)
    kept: dict[int, dict[int, int]] = {}
    while trying:
        changes = {n: by for unit, index in trying.items()
                   for n, by in options[unit][index].items()}
        for made in kept.values():
            changes.update(made)
        again = render_mended(dataclasses.replace(lines.layout, html=lines.html(changes)),
                              lines.mending)
        found_again = shares(again)
        tried, still = _where_they_stand(again, found_again, lines, changes)
        ranges_again = _units(found_again)
        if len(ranges_again) != len(ranges) or lost_notes(again):
            break  # units do not line up, or a note was lost: leave it as it was
        spoilt = set(hyphens_ending_pages(again)) | overflowing(again) \
            | _breaking(again, lines)
        done = True
        for unit, index in list(trying.items()):
            start, end = ranges_again[unit]
            numbers = {n for share in found_again[start:end] for n, *_ in share.lines}
            if not spoilt & numbers and \
                    sum(start <= short < end for short, *_ in still) < before[unit]:
                kept[unit] = options[unit][index]
            else:
                done = False
                if index + 1 < len(options[unit]):
                    trying[unit] = index + 1
                    continue
            del trying[unit]
        if done:
            return tried
    if not kept:
        return evened
    changes = {n: by for made in kept.values() for n, by in made.items()}
    again = render_mended(dataclasses.replace(lines.layout, html=lines.html(changes)),
                          lines.mending)
    if lost_notes(again):
        return evened
    return _where_they_stand(again, shares(again), lines, changes)[0]


def _units(found: Sequence[Share]) -> list[tuple[int, int]]:
    """The page ranges [start, end) of the layout's units."""
    starts = [share.index for share in found if share.index == 0 or share.starts_unit]
    return list(zip(starts, [*starts[1:], len(found)], strict=True))


def _where_they_stand(document: Document, found: Sequence[Share], lines: Lines,
                      changed: Mapping[int, int]) -> tuple[Document, list[Spread]]:
    """`document` (its pages `found`) with each page a line or two short of its facing
    page, or that page, laid out again by itself with paragraphs on it set a line longer or
    shorter (publish.pdf.typeset.spreads; `changed` are paragraphs already set so many lines
    longer); and the spreads left uneven."""
    fixes = fixes_for(found, lines.first_right, lines.costs(changed))
    pages = list(document.pages)
    evened = set()
    for fix in fixes:
        ends = _joined(lines.no_hyphen, {n: frozenset({line}) for n, line in fix.page_ends})
        made = [_patch(lines, ends, {**changed, **fix.changes()}, patch)
                for patch in fix.pages]
        if all(page is not None for page in made):
            for patch, page in zip(fix.pages, made, strict=True):
                pages[patch.share.index] = boxes.with_margins_of(page, pages[patch.share.index])
            evened.add(fix.pages[0].share.index)
    left = [(short.index, facing.index, short_by)
            for short, short_by, facing in uneven(found, lines.first_right)
            if short.index not in evened]
    return (document.copy(pages) if evened else document), left


def _joined(*maps: Mapping[int, frozenset[int]]) -> dict[int, frozenset[int]]:
    joined: dict[int, frozenset[int]] = {}
    for lines in maps:
        for number, found in lines.items():
            joined[number] = joined.get(number, frozenset()) | found
    return joined


def _patch(lines: Lines, no_hyphen: Mapping[int, frozenset[int]],
           changes: Mapping[int, int], patch: Patch) -> Page | None:
    """The page `patch` asks for, laid out by itself; None if it does not come out so."""
    share = patch.share
    html = set_lines(lines.source, lines.measure, no_hyphen, lines.leave, looser=changes,
                     keep={number: (start, end) for number, start, end in patch.keep},
                     only=frozenset(number for number, _start, _end in share.lines))
    right = (share.index % 2 == 0) == lines.first_right
    layout = lines.layout
    document = render_mended(dataclasses.replace(
        layout, html=page_markup(html, share),
        extra_css=layout.extra_css + alone_css("right" if right else "left")),
        lines.mending)
    if len(document.pages) != 1 or overflowing(document) \
            or not matches(document.pages[0], patch, changes) or _breaking(document, lines):
        return None
    return document.pages[0]


def _breaking(document: Document, lines: Lines) -> set[int]:
    """The paragraphs set here that break an invariant in `document` (a word space
    squeezed past its limit, say): such a setting is not used."""
    layout = lines.layout
    resolver = resolver_for(layout.sheets, (layout.root, layout.styles),
                            extra_css=layout.extra_css)
    return {breach.paragraph for breach in line_breaches(document, resolver)
            if breach.paragraph is not None}
