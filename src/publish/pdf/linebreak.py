"""Line breaks chosen as TeX chooses them, for the print edition's paragraphs.

WeasyPrint breaks a paragraph one line at a time (first fit). Here each plain paragraph of a
chapter (and of a block quotation in one) is broken as a whole, by Knuth and Plass's total
fit: its words are measured with HarfBuzz in the faces that will set them, and the breaks
that minimise the paragraph's demerits are chosen — badness from how far each line's spacing
stretches or shrinks, penalties for hyphens and for two hyphenated lines in a row, never
three, and demerits for lines of very different tightness. As in TeX a paragraph is first
tried without hyphenation, and hyphenated only when it cannot be set well otherwise.
Hyphenation is Pyphen's (WeasyPrint's own) with limits: words of six letters or more, three
before and after the break, none in a capitalised word or, but as a last resort, in the
paragraph's last word; the last two words are kept together.

A line takes its slack in its word spaces first (within `SPACES_FIRST`), then in its letter
spacing (within 0.02 em a letter: the room pdfTeX's font expansion gives a line). EB
Garamond's word space is 0.2 em where Computer Modern's is 0.33: without the letters, it
hyphenates several times as often as TeX to keep its spaces even.

The breaks are handed to WeasyPrint in the markup, the paragraph staying one paragraph:
within a chosen line every space becomes a no-break space (which justification stretches like
a space) and a word joiner follows each hyphen, dash or slash (where WeasyPrint would
otherwise break); a plain space, or a hyphen, stands only at the chosen breaks, under
`hyphens: manual` (the hyphen itself, not a soft one: WeasyPrint draws the hyphen at a soft
hyphen's break on some of its paths only). Each line's spacing is worked out again as it
is justified (publish.pdf.justify); only the line before a short last line carries its own
in a span, or WeasyPrint would pull the last line up onto it. A paragraph this module
cannot measure (other markup, another face) is left to WeasyPrint.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree
from lxml import html as lxml_html

from publish.pdf.typography import is_line, line_text

SPACE_STRETCH = 0.5
SPACE_SHRINK = 1 / 3
"""How far a word space may stretch and shrink, as shares of its width (TeX's for its
text fonts)."""
LETTER_STRETCH = 0.02
LETTER_SHRINK = 0.015
"""How far a line's letter spacing may open or close, in ems per character: the room
pdfTeX's font expansion (microtype) gives a line, taken in spacing instead of glyph width.
Without it a face with a narrow word space (EB Garamond's is 0.2 em, Computer Modern's
0.33) must hyphenate several times as often as TeX to keep its spaces even."""
LINE_PENALTY = 10
HYPHEN_PENALTY = 50
DOUBLE_HYPHEN_DEMERITS = 10_000
FITNESS_DEMERITS = 10_000
"""Added for a line whose tightness class is two or more from the line before's."""
SPACES_FIRST = (-0.25, 0.4)
"""How far a line's word spaces shrink and stretch (shares of their width) before its
letters take the rest: most lines need no letter spacing at all."""
MAX_HYPHENS_IN_ROW = 2
PASSES = ((False, False, 100), (True, False, 400), (True, True, 400), (True, True, 10_000))
"""(hyphenate, the last word too, the worst badness a line may have) for each try at a
paragraph, in order. TeX's are 100 without hyphens, 200 with; higher here, where the
letters share the stretch and a hyphen is the greater evil."""
LOOSER_PASSES = ((False, False, 100), (True, False, 400), (True, False, 1000))
"""The passes for a paragraph set a line longer or shorter than is best (to even out a
spread: publish.pdf.spreads): its last word never hyphenated, no line looser than a
paragraph set as well as it can be may have."""
SAFETY = 0.6
"""Points kept free at each line's end, so that a measuring difference never overflows."""
STRAINED = 10**9
"""What a line stretched past its stretch adds to the cost of setting a paragraph longer:
more than any demerits do."""
MOST_STRAINED = 2
"""Lines stretched past their stretch a paragraph set longer may gain: beyond that, facing
pages of unequal depth are the lesser evil."""
MIN_WORD, LEFT, RIGHT = 6, 3, 3
"""Hyphenation: words of at least 6 letters, 3 before the break and 3 after."""

NBSP, SHY, WJ, HYPHEN = "\u00a0", "\u00ad", "\u2060", "\u2010"
INLINE = frozenset({"em", "i", "strong", "b", "a", "cite", "abbr", "span"})
"""Elements a paragraph may hold and still be broken here (a `span` without a class)."""


@dataclass(frozen=True)
class Measure:
    """What a paragraph is set in: its width, the first-line indent, the size, the faces."""

    width: float
    """The text block's width in points."""
    indent: float
    """An indented paragraph's first-line indent in points."""
    size: float
    """The text size in points."""
    faces: tuple[tuple[bool, bool, str], ...]
    """(bold, italic, font file) for each style of the text family."""
    features: tuple[tuple[str, int], ...]
    lang: str
    quote: tuple[float, float, float] | None = None
    """A block quotation's (width, indent, size), when it has paragraphs."""

    def face(self, bold: bool, italic: bool) -> str | None:
        return _face(self.faces, bold, italic)


@lru_cache(maxsize=64)
def _face(faces: tuple[tuple[bool, bool, str], ...], bold: bool, italic: bool) -> str | None:
    return next((path for b, i, path in faces if (b, i) == (bold, italic)), None)


@dataclass(frozen=True, slots=True)
class _Item:
    kind: str  # box, glue, penalty
    width: float
    stretch: float = 0.0
    shrink: float = 0.0
    penalty: float = 0.0
    flagged: bool = False
    at: int = 0
    """For glue and penalties: the offset in the paragraph's text where the break falls."""


INFINITE = 10_000


PHRASING = frozenset({"a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "dfn",
                      "em", "i", "img", "kbd", "mark", "q", "s", "samp", "small", "span",
                      "strong", "sub", "sup", "time", "u", "var", "wbr", "svg", "math",
                      "ruby", "rt", "rp", "del", "ins"})
"""Inline elements; every other element of the body is numbered (`data-block`), so that a
page's share of the document can be found again in its layout (publish.pdf.spreads)."""


def set_lines(html: str, measure: Measure,
              no_hyphen: Mapping[int, frozenset[int]] | None = None,
              leave: frozenset[int] = frozenset(), *,
              looser: Mapping[int, int] | None = None,
              keep: Mapping[int, tuple[int, int]] | None = None,
              only: frozenset[int] | None = None) -> str:
    """The document `html` with each paragraph of a chapter it can measure broken into
    lines chosen as a whole (the rest untouched), and each block numbered.
    `no_hyphen` (paragraph number → line numbers, from 1) forbids a hyphen at the end of
    those lines: they ended a page; the paragraphs numbered in `leave` are left to
    WeasyPrint (a line overflowed). To set one page again (publish.pdf.spreads): `looser`
    sets a paragraph that many lines longer (or shorter), `keep` keeps only lines [start,
    end) of a paragraph, and `only` names the paragraphs to break (the others are not
    shown)."""
    root = lxml_html.document_fromstring(html)
    _number_blocks(root)
    for number, (paragraph, its_measure) in enumerate(_paragraphs(root, measure)):
        if number in leave or (only is not None and number not in only):
            continue
        if _set_paragraph(paragraph, its_measure,
                          (no_hyphen or {}).get(number, frozenset()),
                          (looser or {}).get(number, 0), (keep or {}).get(number)):
            paragraph.set("data-paragraph", str(number))
    return lxml_html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")


_CHAPTERS = "//section[contains(concat(' ', @class, ' '), ' chapter ')]"


def _number_blocks(root: etree._Element) -> None:
    number = 0
    body = root.find("body")
    for element in body.iterdescendants() if body is not None else ():
        if isinstance(element.tag, str) and element.tag not in PHRASING \
                and element.get("class") != "link-targets":
            element.set("data-block", str(number))
            number += 1


def _paragraphs(root: etree._Element, measure: Measure
                ) -> list[tuple[etree._Element, Measure]]:
    """The paragraphs this module may break, in the order that numbers them."""
    paragraphs = [(p, measure) for p in root.xpath(f"{_CHAPTERS}/p[not(@class)]")]
    if measure.quote is not None:
        width, indent, size = measure.quote
        quoted = dataclasses.replace(measure, width=width, indent=indent, size=size)
        paragraphs += [(p, quoted) for p in root.xpath(
            f"{_CHAPTERS}/blockquote[not(@class)]/p[not(@class)]")]
    return paragraphs


@dataclass(frozen=True)
class Setting:
    """How a paragraph comes out set some way: what publish.pdf.reflow reckons pages with."""

    lines: int
    hyphens: frozenset[int]
    """Its lines (from 1) that end in a hyphen."""
    cost: float = 0.0
    """Over its best setting: demerits, and STRAINED for each line left looser than its
    stretch."""


def settings(html: str, measure: Measure, numbers: Sequence[int], lines: int,
             no_hyphen: Mapping[int, frozenset[int]] | None = None) -> dict[int, Setting]:
    """Each paragraph numbered in `numbers` set `lines` lines longer (shorter, below 0; as
    it is, at 0), if it can be with no more than MOST_STRAINED lines looser than their
    stretch (the others are left out)."""
    paragraphs = _parsed(html, measure)
    made = {}
    for number in numbers:
        if number >= len(paragraphs):
            continue
        paragraph, its_measure = paragraphs[number]
        banned = (no_hyphen or {}).get(number, frozenset())
        found = _choose(paragraph, its_measure, banned)
        if found is None:
            continue
        other = _choose(paragraph, its_measure, banned, lines) if lines else found
        if other is None or len(other[3]) != len(found[3]) + lines:
            continue
        # Lines stretched past their stretch count before any demerits: each is a line
        # the eye sees as loose.
        strained = (_strained(other[2], other[3], its_measure)
                    - _strained(found[2], found[3], its_measure))
        if strained <= MOST_STRAINED:
            items, chosen = other[2], other[3]
            made[number] = Setting(
                len(chosen),
                frozenset(line for line, index in enumerate(chosen[:-1], 1)
                          if items[index].kind == "penalty" and items[index].width > 0),
                max(strained, 0) * STRAINED + other[4] - found[4])
    return made


def resetting(html: str, measure: Measure, numbers: Sequence[int], lines: int,
              no_hyphen: Mapping[int, frozenset[int]] | None = None) -> dict[int, float]:
    """What setting each paragraph numbered in `numbers` `lines` lines longer (shorter,
    below 0) costs (`settings`'s cost; a paragraph that cannot be so set is left out)."""
    return {number: setting.cost for number, setting
            in settings(html, measure, numbers, lines, no_hyphen).items()}


@lru_cache(maxsize=2)
def _parsed(html: str, measure: Measure) -> list[tuple[etree._Element, Measure]]:
    """The paragraphs of `html` as `set_lines` numbers them, parsed once for all the
    pricing of one unit's spreads (read only: `set_lines` parses its own copy)."""
    return _paragraphs(lxml_html.document_fromstring(html), measure)


def _strained(items: Sequence[_Item], chosen: Sequence[int], measure: Measure) -> int:
    """How many lines of a setting, the last apart, stretch past their stretch."""
    return sum(measure.width - SAFETY - natural > sum(i.stretch for i in segment)
               for segment, natural in _segments(items, chosen)[:-1])


def _segments(items: Sequence[_Item], chosen: Sequence[int]
              ) -> list[tuple[list[_Item], float]]:
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


def _set_paragraph(paragraph: etree._Element, measure: Measure,
                   no_hyphen: frozenset[int] = frozenset(), looser: int = 0,
                   keep: tuple[int, int] | None = None) -> bool:
    """Break `paragraph` as a whole if it can be measured (`looser` lines longer than is
    best, if it can be; only lines [start, end) of it kept when `keep` says so); whether
    it was."""
    found = _choose(paragraph, measure, no_hyphen, looser)
    if found is None:
        return False
    slots, text, items, chosen, _demerits = found
    lines = _lines(items, chosen, measure)
    _rewrite(paragraph, slots, text, lines, measure, keep)
    if keep is not None:  # a page's share of the paragraph, laid out by itself
        style = []
        if keep[0] > 0:
            style.append("text-indent: 0")
            paragraph.set("class", "set-lines continued")
        if keep[1] < len(lines):
            style.append("text-align-last: justify")
        if style:
            paragraph.set("style", "; ".join(style))
    return True


def _choose(paragraph: etree._Element, measure: Measure,
            no_hyphen: frozenset[int] = frozenset(), looser: int = 0
            ) -> tuple[list, str, Sequence[_Item], Sequence[int], float] | None:
    """(slots, text, items, chosen breaks, demerits) of the best setting of `paragraph`
    (`looser` lines longer, or shorter below 0, when it can be), or None if it cannot be
    measured."""
    slots = list(_slots(paragraph))
    if not slots or any(s is None for s in slots):
        return None
    text = "".join(s[3] for s in slots)
    if not text.strip() or SHY in text:
        return None
    runs: list[tuple[bool, bool]] = []
    for _node, _attr, style, piece in slots:
        runs.extend([style] * len(piece))
    styles = tuple(runs)
    if any(measure.face(*style) is None for style in set(styles)):
        return None
    previous = paragraph.getprevious()
    indented = previous is not None and previous.tag not in (
        "h1", "h2", "h3", "h4", "h5", "h6", "hr", "blockquote")
    if paragraph.getparent().tag == "blockquote" and previous is None:
        indented = False
    found = _settle(text, styles, measure, measure.indent if indented else 0.0, no_hyphen,
                    looser)
    return None if found is None else (slots, text, *found)


@lru_cache(maxsize=8192)
def _settle(text: str, styles: tuple[tuple[bool, bool], ...], measure: Measure, indent: float,
            no_hyphen: frozenset[int], looser: int
            ) -> tuple[tuple[_Item, ...], tuple[int, ...], float] | None:
    """(items, chosen breaks, demerits) of the best setting of a paragraph's text, kept per
    process: a page set again by itself (publish.pdf.spreads) sets the same paragraphs."""
    hyphenator = _hyphenator(measure.lang)
    # As TeX: without hyphens if that sets it well, with them if need be; then letting the
    # last word break too (a hyphen is the lesser evil beside a line of gaping spaces); at
    # worst the least bad set there is (a word wider than the line leaves it to WeasyPrint).
    best = None
    for hyphenate, last_word, tolerance in PASSES:
        items = _items(text, styles, measure, hyphenator if hyphenate else None, indent,
                       last_word)
        found = _breaks(items, measure.width - SAFETY, tolerance, no_hyphen)
        if found is not None:
            best = (tuple(items), tuple(found[0]), found[1])
            break
    if best is None or not looser:
        return best
    # TeX's \looseness: a setting that many lines longer (shorter, below 0).
    for hyphenate, last_word, tolerance in LOOSER_PASSES:
        items = _items(text, styles, measure, hyphenator if hyphenate else None, indent,
                       last_word)
        found = _breaks(items, measure.width - SAFETY, tolerance, no_hyphen,
                        len(best[1]) + looser)
        if found is not None:
            return tuple(items), tuple(found[0]), found[1]
    return best


def _slots(paragraph: etree._Element) -> Iterator[tuple | None]:
    """(node, 'text' or 'tail', (bold, italic), string) for each piece of the paragraph's
    text in order; None for markup this module does not measure."""
    if paragraph.text:
        yield paragraph, "text", (False, False), paragraph.text
    for child in paragraph.iterdescendants():
        if not isinstance(child.tag, str) or child.tag not in INLINE \
                or (child.tag == "span" and child.get("class")):
            yield None
            return
        tags = {a.tag for a in child.iterancestors() if a is not paragraph} | {child.tag}
        style = (bool(tags & {"strong", "b"}), bool(tags & {"em", "i", "cite"}))
        if child.text:
            yield child, "text", style, child.text
        if child.tail:
            parent = child.getparent()
            ptags = {a.tag for a in parent.iterancestors() if a is not paragraph}
            ptags = ptags | ({parent.tag} if parent is not paragraph else set())
            yield child, "tail", (bool(ptags & {"strong", "b"}),
                                  bool(ptags & {"em", "i", "cite"})), child.tail


def _items(text: str, styles: Sequence[tuple[bool, bool]], measure: Measure,
           hyphenator: object | None, indent: float, last_word: bool = False) -> list[_Item]:
    """The paragraph as boxes, glue and penalties."""
    items = [_Item("box", indent)] if indent else []
    open_, close = LETTER_STRETCH * measure.size, LETTER_SHRINK * measure.size
    glues: dict[tuple[bool, bool], tuple[float, float, float]] = {}
    words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    last = len(words) - 1
    for number, (start, end) in enumerate(words):
        if number:
            style = styles[start - 1]
            if style not in glues:
                space = _width(" ", style, measure)
                glues[style] = (space, space * SPACE_STRETCH + open_,
                                space * SPACE_SHRINK + close)
            # Tie the last two words (a paragraph never ends on a line of one word), and a
            # spaced dash to the word before it (no line begins with one).
            if number == last or text[start] in "\u2013\u2014":
                items.append(_Item("penalty", 0, penalty=INFINITE, at=start - 1))
            items.append(_Item("glue", *glues[style], at=start - 1))
        hyphenate = hyphenator is not None and (number != last or last_word)
        for item in _word_items(text[start:end], tuple(styles[start:end]), measure,
                                hyphenate):
            # A word's hyphens are placed from its start: moved to where it stands.
            items.append(item if item.kind == "box" else dataclasses.replace(
                item, at=start + item.at))
    # TeX's \\parfillskip, kept from being a break (a last line with nothing on it).
    items.append(_Item("penalty", 0, penalty=INFINITE, at=len(text)))
    items.append(_Item("glue", 0, INFINITE, 0, at=len(text)))
    items.append(_Item("penalty", 0, penalty=-INFINITE, flagged=True, at=len(text)))
    return items


_WORD = re.compile(r"[^ \n\t]+")


@lru_cache(maxsize=100_000)
def _word_items(word: str, styles: tuple[tuple[bool, bool], ...], measure: Measure,
                hyphenate: bool) -> tuple[_Item, ...]:
    """One word as boxes and the hyphen penalties between them (placed from its start),
    kept per process: a novel uses the same words over and over."""
    open_, close = LETTER_STRETCH * measure.size, LETTER_SHRINK * measure.size
    pieces = _pieces(word, 0, len(word), not hyphenate,
                     _hyphenator(measure.lang) if hyphenate else None)
    made = []
    for index, (a, b) in enumerate(pieces):
        made.append(_Item("box", _measure_run(word, styles, a, b, measure),
                          (b - a) * open_, (b - a) * close))
        if index < len(pieces) - 1:
            made.append(_Item("penalty", _width("‐", styles[b - 1], measure),
                              penalty=HYPHEN_PENALTY, flagged=True, at=b))
    return tuple(made)


def _pieces(text: str, start: int, end: int, last: bool, hyphenator: object | None
            ) -> list[tuple[int, int]]:
    """The word text[start:end] cut at its hyphenation points (none for a capitalised
    word, a short one, or the paragraph's last)."""
    word = text[start:end]
    core = re.search(r"[^\W\d_]+(?:[’'][^\W\d_]+)*", word)
    if hyphenator is None or last or core is None:
        return [(start, end)]
    letters = core.group()
    if len(letters) < MIN_WORD or letters[0].isupper() or "’" in letters or "'" in letters:
        return [(start, end)]
    cuts = [start + core.start() + p for p in hyphenator.positions(letters)]  # type: ignore[attr-defined]
    bounds = [start, *cuts, end]
    return list(itertools.pairwise(bounds))


def _measure_run(text: str, styles: Sequence[tuple[bool, bool]], start: int, end: int,
                 measure: Measure) -> float:
    if styles[start] == styles[end - 1] and len(set(styles[start:end])) == 1:
        return _width(text[start:end], styles[start], measure)  # the usual case: one style
    width, run_start = 0.0, start
    for index in range(start + 1, end + 1):
        if index == end or styles[index] != styles[run_start]:
            width += _width(text[run_start:index], styles[run_start], measure)
            run_start = index
    return width


def _width(piece: str, style: tuple[bool, bool], measure: Measure) -> float:
    return _advance(_face(measure.faces, *style) or "", piece, measure.features) * measure.size


@lru_cache(maxsize=200_000)
def _advance(face: str, piece: str, features: tuple[tuple[str, int], ...]) -> float:
    """The width of `piece` in `face` at 1 pt, as HarfBuzz shapes it."""
    import uharfbuzz as hb

    font, upem = _font(face)
    buffer = hb.Buffer()
    buffer.add_str(piece)
    buffer.guess_segment_properties()
    hb.shape(font, buffer, dict(features))
    return sum(p.x_advance for p in buffer.glyph_positions) / upem


@lru_cache(maxsize=32)
def _font(face: str) -> tuple[object, int]:
    import uharfbuzz as hb

    blob = hb.Blob.from_file_path(face)
    hb_face = hb.Face(blob)
    font = hb.Font(hb_face)
    return font, hb_face.upem


@lru_cache(maxsize=8)
def _hyphenator(lang: str) -> object:
    import pyphen

    code = lang.replace("-", "_")
    chosen = code if code in pyphen.LANGUAGES else (
        code.split("_")[0] if code.split("_")[0] in pyphen.LANGUAGES else "en_US")
    return pyphen.Pyphen(lang=chosen, left=LEFT, right=RIGHT)


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


def _breaks(items: Sequence[_Item], width: float, tolerance: float,
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


def _demerits(item: _Item, badness: float, after_hyphen: bool) -> float:
    demerits = (LINE_PENALTY + badness) ** 2
    if item.kind == "penalty":
        if item.penalty >= 0:
            demerits += item.penalty ** 2
        elif item.penalty > -INFINITE:
            demerits -= item.penalty ** 2
        if item.flagged and after_hyphen and item.penalty > -INFINITE:
            demerits += DOUBLE_HYPHEN_DEMERITS
    return demerits


def _after(items: Sequence[_Item], sums: Sequence[tuple[float, float, float]], index: int
           ) -> tuple[float, float, float]:
    """The totals just before the first box after a break at `index` (the glue and
    penalties there vanish at the line's start)."""
    for after in range(index, len(items)):
        item = items[after]
        if item.kind == "box" or (item.kind == "penalty" and item.penalty <= -INFINITE
                                  and after > index):
            return sums[after]
    return sums[len(items)]


@dataclass(frozen=True)
class _Line:
    start: int
    """Where the line starts in the paragraph's text."""
    end: int
    """Where the next line starts (or the text ends)."""
    space_break: bool
    """Whether it ends at a space (else at a hyphen, or at the paragraph's end)."""
    hyphen: bool
    letter_spacing: float
    """In points; the word spaces take the rest when the paragraph is justified."""
    word_spacing: float = 0.0
    """In points: what a tight line's spaces shrink by, or a loose one's widen by."""
    held: bool = False
    """Whether the line's spacing goes into the markup: the line before a short last line
    that WeasyPrint would otherwise pull up onto it, filling a line before justifying it."""


def _lines(items: Sequence[_Item], chosen: Sequence[int], measure: Measure) -> list[_Line]:
    """The chosen lines, each with its letter spacing: the word spaces take a line's slack
    first, within `SPACES_FIRST`; the letters what is beyond it, up to their own limits."""
    naturals = _segments(items, chosen)
    made = []
    start = 0
    for number, ((segment, natural), index) in enumerate(zip(naturals, chosen, strict=True)):
        item = items[index]
        last = number == len(chosen) - 1
        glue = [i.width for i in segment if i.kind == "glue"]
        letters = sum(i.stretch for i in segment if i.kind == "box")
        letters /= LETTER_STRETCH * measure.size  # the line's characters
        gap = measure.width - SAFETY - natural
        low, high = (share * sum(glue) for share in SPACES_FIRST)
        spacing = words = 0.0
        held = False
        if last or gap >= 0:
            # Justification widens the spaces (the last line needs nothing, or it shrinks).
            if gap > high and not last:
                spacing = min((gap - high) / letters, LETTER_STRETCH * measure.size)
            elif last and gap < 0 and glue:
                words = gap / len(glue)
            # WeasyPrint fills a line before justifying it: a short last line that would
            # fit in what is left of the line before is kept off it by that line's spacing,
            # given in the markup (by what justification would add).
            held = not last and number == len(chosen) - 2 and bool(glue) \
                and gap + SAFETY >= naturals[-1][1] - 1
            if held:
                words = (gap - spacing * letters) / len(glue)
        elif glue:  # a tight line: its spaces narrow first, then its letters
            words = max(gap, low) / len(glue)
            if gap < low:
                spacing = max((gap - low) / letters, -LETTER_SHRINK * measure.size)
        end = item.at + 1 if item.kind == "glue" else item.at
        hyphen = item.kind == "penalty" and -INFINITE < item.penalty < INFINITE
        made.append(_Line(start, end if not last else 10**9, item.kind == "glue" and not last,
                          hyphen, spacing, words, held))
        start = end
    return made


def _rewrite(paragraph: etree._Element, slots: list, text: str, lines: Sequence[_Line],
             measure: Measure, keep: tuple[int, int] | None = None) -> None:
    """Write the chosen lines into the paragraph (see the module's docstring): each line's
    text in spans of its letter spacing, breakable only where it ends; only lines
    [start, end) when `keep` says so."""
    new = list(text)
    breaks = {line.end - 1 for line in lines if line.space_break}
    for offset, char in enumerate(text):
        if char in " \n\t":
            if offset + 1 < len(text) and text[offset + 1] in " \n\t":
                new[offset] = ""  # a run of white space is one space (its last character)
            elif 0 < offset < len(text) - 1:
                new[offset] = " " if offset in breaks else NBSP
        elif char in "-/\u2010\u2013\u2014" and 0 < offset < len(text) - 1:
            # WeasyPrint would break after a hyphen, dash or slash too: not inside a line.
            before = char in "\u2013\u2014" and text[offset - 1] not in " \n\t"
            after = text[offset + 1] not in " \n\t"
            new[offset] = (WJ if before else "") + char + (WJ if after else "")
    for line in lines:
        if line.hyphen:
            # A hyphen itself, not a soft one: WeasyPrint draws the hyphen at a soft
            # hyphen's break only on some of its paths, and this break is chosen.
            new[line.end - 1] = new[line.end - 1] + HYPHEN
    position = 0
    for node, attr, _style, piece in slots:
        start, end = position, position + len(piece)
        position = end
        pieces: list[tuple[str, str | None]] = []  # (text, style of its span or None)
        for index, line in enumerate(lines):
            if keep is not None and not keep[0] <= index < keep[1]:
                continue
            a, b = max(start, line.start), min(end, line.end)
            if a >= b:
                continue
            # A line's spacing is worked out again as it is justified (publish.pdf.justify);
            # only a line that must be kept from taking the last one up carries it.
            style = "; ".join(
                f"{name}: {value:.3f}pt" for name, value in (
                    ("word-spacing", line.word_spacing),
                    ("letter-spacing", line.letter_spacing)) if abs(value) >= 0.001
            ) if line.held else None
            text = "".join(new[a:b])
            if pieces and style is None and pieces[-1][1] is None:
                pieces[-1] = (pieces[-1][0] + text, None)
            else:
                pieces.append((text, style))
        _place(node, attr, pieces)
    paragraph.set("class", "set-lines")
    paragraph.set("data-lines", str(len(lines)))


def _place(node: etree._Element, attr: str, pieces: Sequence[tuple[str, str | None]]
           ) -> None:
    """Put `pieces` where `node`'s text (or tail) was: plain ones as text, styled ones as
    spans, in order."""
    setattr(node, attr, None)
    if attr == "text":
        parent, at = node, 0
    else:
        parent = node.getparent()
        at = parent.index(node) + 1
    previous: etree._Element | None = None if attr == "text" else node
    for text, style in pieces:
        if style is None:
            if previous is None:
                node.text = text
            else:
                previous.tail = (previous.tail or "") + text
            continue
        span = etree.Element("span", {"style": style})
        span.text = text
        parent.insert(at, span)
        at += 1
        previous = span


def hyphens_ending_pages(document: object) -> dict[int, frozenset[int]]:
    """The lines of paragraphs broken here (paragraph number → line numbers, from 1) that
    end a page of `document` (a WeasyPrint layout) in a hyphen."""
    found: dict[int, set[int]] = {}
    counts: dict[int, int] = {}
    for page in document.pages:  # type: ignore[attr-defined]
        last = None
        for box in page._page_box.descendants():
            if not is_line(box) or box.element is None:
                continue
            number = box.element.get("data-paragraph")
            if number is not None:
                counts[int(number)] = counts.get(int(number), 0) + 1
            last = (number, box)
        if last is None or last[0] is None:
            continue
        number, box = int(last[0]), last[1]
        text = line_text(box)
        if text.rstrip().endswith(("\u2010", "-", SHY)) and \
                counts[number] < int(box.element.get("data-lines", "0")):
            found.setdefault(number, set()).add(counts[number])
    return {number: frozenset(lines) for number, lines in found.items()}


def overflowing(document: object) -> frozenset[int]:
    """The paragraphs broken here one of whose lines runs past the measure in `document`
    (a measuring slip: they are better left to WeasyPrint)."""
    found = set()
    for page in document.pages:  # type: ignore[attr-defined]
        for box in page._page_box.descendants():
            if not is_line(box) or box.element is None:
                continue
            number = box.element.get("data-paragraph")
            if number is None:
                continue
            right = max((b.position_x + b.width for b in box.descendants()
                         if type(b).__name__ == "TextBox"), default=0.0)
            if right > box.position_x + box.width + 1:  # CSS pixels
                found.add(int(number))
    return frozenset(found)


def probe_html() -> str:
    """A chapter of two paragraphs (the second indented) and a block quotation of two, to
    measure the text block with."""
    words = " ".join(["measure"] * 30)
    return (f'<section class="chapter body" id="probe"><h1>Probe</h1><p>{words}</p>'
            f"<p>{words}</p><blockquote><p>{words}</p><p>{words}</p></blockquote></section>")


def measure_from(document: object, resolver: object, lang: str) -> Measure | None:
    """The Measure a probe layout (of `probe_html`) shows."""
    paragraphs, seen = [], set()
    for page in document.pages:  # type: ignore[attr-defined]
        for box in page._page_box.descendants():
            if getattr(box, "element_tag", None) == "p" and type(box).__name__ == "BlockBox" \
                    and id(box.element) not in seen:  # a paragraph's first part only
                seen.add(id(box.element))
                paragraphs.append(box)
    if len(paragraphs) < 2:
        return None
    found = _probed(paragraphs[1])
    if found is None:
        return None
    width, indent, size, style = found
    faces = []
    for bold in (False, True):
        for italic in (False, True):
            for family in style["font_family"]:
                face = resolver.match(family, 700 if bold else 400, italic)  # type: ignore[attr-defined]
                if face is not None:
                    faces.append((bold, italic, str(face.path)))
                    break
    numeric = style["font_variant_numeric"]
    features = [("kern", 1), ("liga", 1)]
    if numeric != "normal" and "oldstyle-nums" in numeric:
        features.append(("onum", 1))
    if numeric != "normal" and "lining-nums" in numeric:
        features.append(("lnum", 1))
    quote = _probed(paragraphs[3]) if len(paragraphs) > 3 else None
    return Measure(width, indent, size, tuple(faces), tuple(features), lang,
                   quote[:3] if quote and quote[3]["font_family"] == style["font_family"]
                   else None)


def _probed(paragraph: object) -> tuple[float, float, float, object] | None:
    """(width, first-line indent, size, style) of a probe paragraph's layout, in points."""
    lines = [b for b in paragraph.descendants() if type(b).__name__ == "LineBox"]  # type: ignore[attr-defined]
    texts = [b for b in lines[0].descendants() if type(b).__name__ == "TextBox"] if lines else []
    if not texts:
        return None
    px = 0.75  # points per CSS pixel
    indent = (texts[0].position_x - paragraph.content_box_x()) * px  # type: ignore[attr-defined]
    style = texts[0].style
    return paragraph.width * px, indent, style["font_size"] * px, style  # type: ignore[attr-defined]
