"""Knuth and Plass's total-fit line breaking, as TeX does it: a paragraph as boxes, glue and
penalties in, the breaks that minimise its demerits out.

Badness comes from how far each line's spacing stretches or shrinks; penalties for hyphens,
and demerits for two hyphenated lines in a row (never three) and for lines of very different
tightness. Pure: no markup, no layout engine (publish.pdf.typeset.measure makes the items,
publish.pdf.typeset.paragraphs chooses among settings and writes them into the markup).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

LINE_PENALTY = 10
HYPHEN_PENALTY = 50
DOUBLE_HYPHEN_DEMERITS = 10_000
FITNESS_DEMERITS = 10_000
"""Added for a line whose tightness class is two or more from the line before's."""
MAX_HYPHENS_IN_ROW = 2
INFINITE = 10_000


@dataclass(frozen=True, slots=True)
class Item:
    """A box (a word or a piece of one), glue (a space) or a penalty (a place to break)."""

    kind: str  # box, glue, penalty
    width: float
    stretch: float = 0.0
    shrink: float = 0.0
    penalty: float = 0.0
    flagged: bool = False
    at: int = 0
    """For glue and penalties: the offset in the paragraph's text where the break falls."""


@dataclass
class _Node:
    position: int
    line: int
    fitness: int
    width: float
    stretch: float
    shrink: float
    demerits: float
    flagged: bool
    previous: _Node | None
    hyphens: int = 0
    """How many lines in a row, up to this one, end in a hyphen."""


def breaks(items: Sequence[Item], width: float, tolerance: float,
           no_hyphen: frozenset[int] = frozenset(), lines: int | None = None
           ) -> tuple[list[int], float] | None:
    """The item indices of the best set of breaks (Knuth and Plass) and its demerits, or
    None when no set keeps every line within `tolerance` (or has exactly `lines` lines,
    when given)."""
    sums = [(0.0, 0.0, 0.0)]
    for item in items:
        w, y, z = sums[-1]
        if item.kind != "penalty":  # a box's letters open and close as the spaces do
            sums.append((w + item.width, y + item.stretch, z + item.shrink))
        else:
            sums.append((w, y, z))
    active = [_Node(0, 0, 1, 0.0, 0.0, 0.0, 0.0, False, None)]
    # A line is within the tolerance while its stretch ratio is (badness = 100 r³): a
    # tight one always is, down to -1 (the passes' tolerances are 100 and more).
    limit = (tolerance / 100) ** (1 / 3)
    for index, item in enumerate(items):
        kind = item.kind
        if kind == "penalty":
            if item.penalty >= INFINITE:
                continue
            extra = item.width
        elif kind == "glue" and index and items[index - 1].kind == "box":
            extra = 0.0
        else:
            continue
        final = kind == "penalty" and item.penalty <= -INFINITE
        hyphen = kind == "penalty" and item.flagged and not final
        candidates: dict[object, _Node] = {}
        survivors = []
        w, y, z = sums[index]
        for node in active:
            natural = w - node.width + extra
            if natural < width:
                stretch = y - node.stretch
                ratio = (width - natural) / stretch if stretch > 0 else INFINITE
            elif natural > width:
                shrink = z - node.shrink
                ratio = (width - natural) / shrink if shrink > 0 else -INFINITE
            else:
                ratio = 0.0
            if ratio < -1:
                continue  # this line (and any longer one) is too tight: the node is done
            survivors.append(node)
            if ratio >= INFINITE:
                if tolerance < INFINITE:
                    continue
                badness = float(INFINITE)
            elif ratio > limit:
                continue
            else:
                badness = 100 * abs(ratio) ** 3
            line = node.line + 1
            if hyphen and (node.hyphens >= MAX_HYPHENS_IN_ROW or line in no_hyphen):
                continue  # never a ladder of three hyphens, nor a hyphen ending a page
            if lines is not None and (line > lines or (line == lines) != final):
                continue
            demerits = _demerits(item, badness, node.flagged)
            fitness = 0 if ratio < -0.5 else 1 if ratio <= 0.5 else 2 if ratio <= 1 else 3
            if abs(fitness - node.fitness) > 1:
                demerits += FITNESS_DEMERITS
            total = node.demerits + demerits
            # For a given number of lines, nodes on different lines must not compete.
            key = fitness if lines is None else (fitness, line)
            best = candidates.get(key)
            if best is None or total < best.demerits:
                candidates[key] = _Node(index, line, fitness, 0, 0, 0, total, hyphen, node,
                                        node.hyphens + 1 if hyphen else 0)
        if final:
            survivors = []
        active = survivors
        if candidates:
            after = _after(items, sums, index)
            for node in candidates.values():
                node.width, node.stretch, node.shrink = after
                active.append(node)
        if not active:
            return None
    finals = [n for n in active if n.position == len(items) - 1]
    if not finals:
        return None
    best = min(finals, key=lambda n: n.demerits)
    chosen = []
    node: _Node | None = best
    while node is not None and node.position:
        chosen.append(node.position)
        node = node.previous
    return list(reversed(chosen)), best.demerits


def _demerits(item: Item, badness: float, after_hyphen: bool) -> float:
    demerits = (LINE_PENALTY + badness) ** 2
    if item.kind == "penalty":
        if item.penalty >= 0:
            demerits += item.penalty ** 2
        elif item.penalty > -INFINITE:
            demerits -= item.penalty ** 2
        if item.flagged and after_hyphen and item.penalty > -INFINITE:
            demerits += DOUBLE_HYPHEN_DEMERITS
    return demerits


def _after(items: Sequence[Item], sums: Sequence[tuple[float, float, float]], index: int
           ) -> tuple[float, float, float]:
    """The totals just before the first box after a break at `index` (the glue and
    penalties there vanish at the line's start)."""
    for after in range(index, len(items)):
        item = items[after]
        if item.kind == "box" or (item.kind == "penalty" and item.penalty <= -INFINITE
                                  and after > index):
            return sums[after]
    return sums[len(items)]


def segments(items: Sequence[Item], chosen: Sequence[int]) -> list[tuple[list[Item], float]]:
    """Each chosen line's boxes and glue (none of the glue it begins with, where the break
    before it fell), and its natural width (a hyphen's included)."""
    made, first = [], 0
    for index in chosen:
        item = items[index]
        segment = [i for i in items[first:index] if i.kind != "penalty"]
        while segment and segment[0].kind == "glue":
            segment.pop(0)
        made.append((segment, sum(i.width for i in segment)
                     + (item.width if item.kind == "penalty" else 0)))
        first = index + 1
    return made

