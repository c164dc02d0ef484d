"""Setting the type: what the print edition refines in WeasyPrint's layout of a unit.

`set_type` runs the passes in this order (their limits are in publish.pdf.loops):

1. Each plain paragraph is broken as a whole (paragraphs.py): Knuth and Plass's total fit
   (knuthplass.py, free of markup and layout) on words measured with HarfBuzz in the faces
   that set them (measure.py); WeasyPrint justifies those lines as they were reckoned
   (justify.py).
2. The unit is laid out; a paragraph WeasyPrint broke early is set again (mending.py). A
   chapter title whose lines were reckoned odd and are even, or the other way, is marked
   again and the unit laid out once more (titles.py: the text under it on the grid).
3. It is laid out again while a paragraph's lines are not the lines chosen for it (WeasyPrint
   did not break where asked) or run past the measure — that paragraph is left to
   WeasyPrint's own breaking — or a page ends in a hyphen — that line is set without one
   (pageends.py), or, in a block WeasyPrint breaks (a list's item), that block is set without
   hyphenation —, or a figure leaves its page a quarter empty (floats.py: it floats past
   the text that fills it), or a note is lost (notes.py: its paragraph is kept whole).
4. Facing pages are evened out (evening.py): where each uneven spread stands, a page set
   again by itself with a paragraph a line longer or shorter (spreads.py, reading what each
   page shows: pagemap.py); else by reaching back to a paragraph before it (reachback.py).
   What an uneven spread is, is facing.py's.

report.py then counts how well the pages are set (the typographic report).

Where to look: a page ending in a hyphen — pageends.py finds it, paragraphs.py sets the line
without one (and spreads.py, reachback.py never make one); facing pages uneven — facing.py
says when they are, evening.py what was done; why a paragraph was set again — the passes
above, in order: mending (broken early), pageends (a hyphen at a page's end, an overflow),
evening (a spread).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from weasyprint.document import Document

from publish.faces import resolver_for
from publish.pdf.invariants import line_breaches
from publish.pdf.loops import MUST, RESETS
from publish.pdf.render import Layout
from publish.pdf.typeset.evening import Lines, even_spreads
from publish.pdf.typeset.floats import gaps, move_figures, number_figures
from publish.pdf.typeset.measure import Measure
from publish.pdf.typeset.mending import render_mended
from publish.pdf.typeset.notes import keep_whole, lost_notes
from publish.pdf.typeset.pageends import (
    hyphened_blocks,
    hyphens_ending_pages,
    not_as_reckoned,
    overflowing,
    unhyphenated,
)
from publish.pdf.typeset.paragraphs import set_lines
from publish.pdf.typeset.titles import misjudged_titles, reckoned, remarked

__all__ = ["Measure", "TypeSet", "set_type"]


@dataclass(frozen=True)
class TypeSet:
    """A unit laid out with its type set."""

    document: Document
    html: str
    """The markup laid out (its lines chosen, its figures moved): what the pages print."""
    fallbacks: int = 0
    """Paragraphs whose lines were chosen by total fit but had to be left to WeasyPrint's
    own breaking: their lines were not the chosen ones, or broke an invariant."""


def set_type(layout: Layout, measure: Measure | None, *, mending: bool = True,
             side: str = "right", resets: int = RESETS) -> TypeSet:
    """`layout` laid out with its type set: its paragraphs broken as a whole for `measure`
    (when given; else WeasyPrint's first fit), then the passes above (step 3 `resets` times
    at most, and `MUST` more for what must not ship), the first page being on `side`."""
    figures = "<figure" in layout.html
    source = number_figures(layout.html) if figures else layout.html
    if measure is not None and "data-title-lines=" in source:
        source = reckoned(source, measure)
    no_hyphen: dict[int, frozenset[int]] = {}
    leave: frozenset[int] = frozenset()
    moves: dict[int, int] = {}
    whole: set[str] = set()  # notes whose calling paragraph is kept on one page
    unhyphened: frozenset[int] = frozenset()  # blocks WeasyPrint breaks, set without hyphens

    def marked() -> str:
        moved = move_figures(source, moves) if moves else source
        kept = keep_whole(moved, whole)
        return unhyphenated(kept, unhyphened) if unhyphened else kept

    def html() -> str:
        return set_lines(marked(), measure, no_hyphen, leave) if measure is not None \
            else marked()

    document = render_mended(dataclasses.replace(layout, html=html()), mending)
    misjudged = misjudged_titles(document) if "data-title-lines=" in source else frozenset()
    if misjudged:
        source = remarked(source, misjudged)
        document = render_mended(dataclasses.replace(layout, html=html()), mending)
    for attempt in range(resets + MUST):
        # Past `resets`, only what must not ship is mended: a paragraph not as chosen or
        # breaking an invariant, a note lost; a hyphen or a gap is the lesser evil then.
        polish = attempt < resets
        found = hyphens_ending_pages(document) if measure is not None and polish else {}
        hyphened = hyphened_blocks(document) - unhyphened if measure is not None and polish \
            else frozenset()
        overflows = (overflowing(document) | not_as_reckoned(document)
                     | _breaking(document, layout) if measure is not None else frozenset())
        floating = {n: size for n, size in gaps(document).items() if n not in moves} \
            if figures and polish else {}
        lost = lost_notes(document) - whole
        if not found and not hyphened and not overflows and not floating and not lost:
            break
        for number, lines in found.items():
            no_hyphen[number] = no_hyphen.get(number, frozenset()) | lines
        leave |= overflows
        moves.update(floating)
        whole.update(lost)
        unhyphened |= hyphened
        document = render_mended(dataclasses.replace(layout, html=html()), mending)
    laid = html()
    if measure is None:
        return TypeSet(document, laid)
    return TypeSet(even_spreads(document, Lines(layout, measure, marked(), no_hyphen, leave,
                                                side != "left", mending)), laid, len(leave))


def _breaking(document: Document, layout: Layout) -> frozenset[int]:
    """The paragraphs set by total fit that break an invariant of publish.pdf.invariants
    (a line drawn over itself, too wide, spaced past the limits, off the page)."""
    resolver = resolver_for(layout.sheets, (layout.root, layout.styles),
                            extra_css=layout.extra_css)
    return frozenset(breach.paragraph for breach in line_breaches(document, resolver)
                     if breach.paragraph is not None)
