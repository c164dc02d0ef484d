"""Reaching back for a spread that cannot be evened out where it stands.

publish.pdf.typeset.spreads evens out a spread by setting a paragraph on it a line longer or
shorter, so that nothing else moves. Sometimes no paragraph there can be: the short page
holds a run of one- and two-line speeches, none of which takes another line without gaping
spaces, and the paragraph after it cannot be split (widows and orphans). A typesetter then
reaches back: a paragraph on the page before, or on the spread, or the one that would not
fit, is set a line longer or shorter, and the pages from there to the chapter's end break
anew.

Which one is reckoned here from the pages' lines alone, without laying anything out: how the
pages would break, as WeasyPrint breaks them (a paragraph split only with as many lines
left at a page's foot and carried over as its `orphans` and `widows` ask; a scene break
never a page's first or last line; a letter's margins kept at a page's top, dropped at its
foot), for each paragraph before the spread, on it, or just after it set a line longer or
shorter, then for each two of them, then each three; a change is worth trying if it leaves
fewer spreads that no paragraph on them can even out and no page ending in a hyphen.
publish.pdf.typeset.evening lays the unit out again with the best and keeps it only if it
came out so. The reckoning is only made where the pages hold nothing but paragraphs broken
here and what stands between them (the first page may have a heading above), and only if
it breaks the pages as they are as WeasyPrint broke them: else the unit is left as it is.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from publish.pdf.loops import REACH_TRIES, RECKONINGS
from publish.pdf.typeset.facing import facing_pairs, lines_apart
from publish.pdf.typeset.pagemap import Share, Space
from publish.pdf.typeset.paragraphs import Setting
from publish.pdf.typeset.spreads import Spread

KEEPS = (2, 2)
"""`orphans` and `widows` where the layout does not say: CSS's initial values."""
SLIP = 0.25
"""Of a line: what two depths may differ by and be the same."""
Part = tuple[int, int, int]
"""(paragraph, first line, end line) of a paragraph on a page."""


@dataclass(frozen=True)
class Reckoning:
    """A unit's pages as lines, as they are or would be broken."""

    pages: tuple[tuple[Part, ...], ...]
    depths: tuple[float, ...]
    """How far down each page's text goes, in lines."""


@dataclass(frozen=True)
class _Galley:
    """The unit's paragraphs in order, as lines, with what stands between them."""

    numbers: tuple[int, ...]
    lines: Mapping[int, int]
    """Each paragraph's lines."""
    spaces: Mapping[int, Space | None]
    """What stands above each paragraph but the first, in lines (None: not known)."""
    keeps: Mapping[int, tuple[int, int]]
    """Each paragraph's `orphans` and `widows`."""
    capacity: float
    """The lines a page holds."""


class _Token(NamedTuple):
    """A line of the galley, or the space between two paragraphs (`paragraph` -1)."""

    paragraph: int
    line: int
    height: float
    """In lines, within a page."""
    top: float
    """In lines, opening a page."""
    fixed: bool = False
    """A space a page may neither end nor begin with."""


def reach(found: Sequence[Share], first_right: bool, left: Sequence[Spread],
          setting: Callable[[int, int], Setting | None]) -> list[dict[int, int]]:
    """The changes (paragraph → lines longer, or shorter below 0) worth laying the unit
    out again with, best first: those reckoned to leave fewer than `left` uneven, the
    spreads of `found` (a unit's pages, publish.pdf.typeset.spreads) that could not be evened out
    where they stand. `setting(paragraph, lines)` says how a paragraph comes out set that
    many lines longer (None if it cannot be)."""
    galley = _galley(found)
    if galley is None or not left:
        return []
    now = _as_laid(found)
    pages = sorted({page for short, facing, _lines in left for page in (short, facing)})
    near = dict.fromkeys(n for page in now.pages[:pages[-1] + 2] for n, _start, _end in page)
    options = [(n, lines, made) for n in near for lines in (1, -1)
               if (made := setting(n, lines)) is not None]
    again = _rebreak(found, now, galley, {}, setting,
                     _first_page(now, {n for n, *_ in options})) if options else None
    if again is None or again.pages != now.pages:
        return []  # the pages do not break as reckoned here: leave them be
    ranked = []
    for size in (1, 2, 3):
        if math.comb(len(options), size) > RECKONINGS:
            break
        for chosen in itertools.combinations(options, size):
            if len({n for n, _lines, _made in chosen}) < size:
                continue
            changes = {n: made for n, _lines, made in chosen}
            after = _rebreak(found, now, galley, changes, setting, _first_page(now, changes))
            if after is None:
                continue
            stuck = _stuck(after, first_right, galley, setting, changes, now, left)
            if len(stuck) < len(left):
                ranked.append(((len(stuck), len(_spreads(after, first_right)),
                                sum(made.cost for made in changes.values())),
                               {n: lines for n, lines, _made in chosen}))
        if ranked:
            break
    ranked.sort(key=lambda pair: pair[0])
    return [changes for _score, changes in ranked[:REACH_TRIES]]


def reckon(found: Sequence[Share], changes: Mapping[int, int],
           setting: Callable[[int, int], Setting | None]
           ) -> tuple[tuple[Part, ...], ...] | None:
    """What each page of `found` would show with `changes` made (paragraph → lines longer,
    or shorter below 0): None if that cannot be reckoned, or a page would end in a hyphen."""
    galley = _galley(found)
    made = {n: setting(n, lines) for n, lines in changes.items()}
    if galley is None or not changes or any(m is None for m in made.values()):
        return None
    now = _as_laid(found)
    after = _rebreak(found, now, galley, made, setting,  # type: ignore[arg-type]
                     _first_page(now, made))
    return None if after is None else after.pages


def _as_laid(found: Sequence[Share]) -> Reckoning:
    return Reckoning(tuple(share.lines for share in found),
                     tuple(_lines(share, share.depth) for share in found))


def _lines(share: Share, height: float) -> float:
    return height / share.line_height if share.lines else 0.0


def _galley(found: Sequence[Share]) -> _Galley | None:
    """The unit's paragraphs, if its pages hold nothing else but what stands between
    paragraphs (and a heading above the first)."""
    lines: dict[int, int] = {}
    spaces: dict[int, Space | None] = {}
    keeps: dict[int, tuple[int, int]] = {}
    for share in found:
        if not share.lines:
            continue
        keeps.update(zip((n for n, _start, _end in share.lines), share.keeps, strict=False))
        if abs(sum(_lines(share, gap) for gap in share.gaps)
               + sum(end - start for _n, start, end in share.lines)
               - _lines(share, share.depth)) > SLIP:
            return None
        for (n, start, end), gap, space in zip(share.lines, share.gaps, share.spaces,
                                               strict=True):
            lines[n] = max(lines.get(n, 0), end)
            if start == 0 and lines.keys() - {n}:
                spaces[n] = None if space is None else Space(
                    _lines(share, space.between), _lines(share, space.above), space.fixed)
            elif start and _lines(share, gap) > SLIP and share.index:
                return None
    numbers = tuple(lines)  # in the order they are read (a letter's are numbered last)
    if not numbers:
        return None
    return _Galley(numbers, lines, spaces, keeps,
                   min(_lines(share, share.height) for share in found if share.lines))


def _first_page(now: Reckoning, numbers: Collection[int]) -> int:
    """The first page that may break otherwise once the paragraphs `numbers` are set
    otherwise: the page before the first they are on (where it ended turned on them)."""
    first = min(index for index, page in enumerate(now.pages)
                if any(n in numbers for n, _start, _end in page))
    return first - 1 if first and now.pages[first - 1] else first


def _rebreak(found: Sequence[Share], now: Reckoning, galley: _Galley,
             changes: Mapping[int, Setting], setting: Callable[[int, int], Setting | None],
             start: int) -> Reckoning | None:
    """The pages with `changes` made, broken anew from page `start` (no changed paragraph
    is on a page before it) as WeasyPrint breaks them; None if a page would end in a
    hyphen, or could not be broken as reckoned here."""
    first, *_ = now.pages[start]
    lines = {n: changes[n].lines if n in changes else galley.lines[n]
             for n in galley.numbers[galley.numbers.index(first[0]):]}
    tokens: list[_Token] = []
    for n, count in lines.items():
        if n == first[0]:
            if first[1] == 0:  # a heading, or a page top's margins, above it
                above = _lines(found[start], found[start].gaps[0])
                tokens.append(_Token(-1, 0, above, above, True))
        else:
            space = galley.spaces.get(n)
            if space is None:
                return None
            if space.fixed or space.between > SLIP or space.above > SLIP:
                tokens.append(_Token(-1, 0, space.between, space.above, space.fixed))
        tokens.extend(_Token(n, line, 1.0, 1.0)
                      for line in range(first[1] if n == first[0] else 0, count))
    pages: list[list[Part]] = []
    depths: list[float] = []
    at = 0
    while at < len(tokens):
        used, end, fits = tokens[at].top - tokens[at].height, at, at
        while end < len(tokens):
            used += tokens[end].height
            if used > galley.capacity + 0.01:
                break
            end += 1
            if end == len(tokens) or _may_break(tokens, end, at, lines, galley.keeps):
                fits = end
        if fits == at:
            return None  # nothing fits before an allowed break: WeasyPrint does otherwise
        page = tokens[at:fits]
        parts: dict[int, list[int]] = {}
        for token in page:
            if token.paragraph >= 0:
                parts.setdefault(token.paragraph, []).append(token.line)
        pages.append([(n, found_lines[0], found_lines[-1] + 1)
                      for n, found_lines in parts.items()])
        depths.append(page[0].top - page[0].height + sum(token.height for token in page))
        last = page[-1]
        if fits < len(tokens) and last.line + 1 < lines[last.paragraph]:
            made = changes.get(last.paragraph) or setting(last.paragraph, 0)
            if made is None or last.line + 1 in made.hyphens:
                return None
        at = fits
    return Reckoning(now.pages[:start] + tuple(tuple(page) for page in pages),
                     now.depths[:start] + tuple(depths))


def _may_break(tokens: Sequence[_Token], at: int, top: int, lines: Mapping[int, int],
               keeps: Mapping[int, tuple[int, int]]) -> bool:
    """Whether a page that began at `tokens[top]` may end before `tokens[at]`."""
    before, after = tokens[at - 1], tokens[at]
    if before.paragraph < 0:
        return False
    if after.paragraph < 0:
        return not after.fixed
    if before.paragraph != after.paragraph:
        return True
    # Inside a paragraph: orphans at the page's foot, widows at the next page's head.
    opened = tokens[top]
    on_page = after.line - (opened.line if opened.paragraph == after.paragraph else 0)
    orphans, widows = keeps.get(after.paragraph, KEEPS)
    return on_page >= orphans and lines[after.paragraph] - after.line >= widows


def _spreads(reckoning: Reckoning, first_right: bool) -> list[Spread]:
    """(short page, facing page, lines short) for each uneven spread, the last page
    apart (as publish.pdf.typeset.spreads.uneven)."""
    last = max(index for index, depth in enumerate(reckoning.depths) if depth)
    made = []
    for verso, recto in facing_pairs(last, first_right):
        left, right = reckoning.depths[verso], reckoning.depths[recto]
        lines = lines_apart(left, right, 1.0)  # the depths are in lines
        if left and right and lines:
            made.append((verso, recto, lines) if lines > 0 else (recto, verso, -lines))
    return made


def _stuck(reckoning: Reckoning, first_right: bool, galley: _Galley,
           setting: Callable[[int, int], Setting | None], changes: Mapping[int, Setting],
           now: Reckoning, left: Sequence[Spread]) -> list[Spread]:
    """The uneven spreads too few of whose paragraphs can be set a line longer (on the
    short page) or shorter (on the facing page) to even them out where they stand, or
    that are as they were when they could not be (`left`, of the pages `now`)."""
    def whole(page: int) -> list[int]:
        return [n for n, start, end in reckoning.pages[page] if n not in changes
                and start == 0 and end == galley.lines[n]]

    def unchanged(spread: Spread) -> bool:
        return spread in left and all(
            page < len(reckoning.pages) and reckoning.pages[page] == now.pages[page]
            for page in spread[:2])

    return [(short, facing, lines)
            for short, facing, lines in _spreads(reckoning, first_right)
            if unchanged((short, facing, lines))
            or sum(setting(n, 1) is not None for n in whole(short))
            + sum(setting(n, -1) is not None for n in whole(facing)) < lines]
