"""Line breaks chosen as TeX chooses them, for the print edition's paragraphs.

WeasyPrint breaks a paragraph one line at a time (first fit). Here each plain paragraph of a
chapter (and of a block quotation in one) is broken as a whole, by Knuth and Plass's total
fit (publish.pdf.typeset.knuthplass), its words measured in the faces that will set them
(publish.pdf.typeset.measure). As in TeX a paragraph is first tried without hyphenation, and
hyphenated only when it cannot be set well otherwise.

A line takes its slack in its word spaces first (within `SPACES_FIRST`), then in its letter
spacing (within 0.02 em a letter: the room pdfTeX's font expansion gives a line). EB
Garamond's word space is 0.2 em where Computer Modern's is 0.33: without the letters, it
hyphenates several times as often as TeX to keep its spaces even.

The breaks are handed to WeasyPrint in the markup, the paragraph staying one paragraph:
within a chosen line every space becomes a no-break space (which justification stretches like
a space) and a word joiner closes every other place Pango would let the line break (after a
dash, a hyphen, a slash: publish.pdf.pango); a plain space, or a hyphen, stands only at the
chosen breaks, under `hyphens: manual` (the hyphen itself, not a soft one: WeasyPrint draws
the hyphen at a soft hyphen's break on some of its paths only). Each line's spacing is
worked out again as it is justified (publish.pdf.typeset.justify); only the line before a
short last line carries its own in a span, or WeasyPrint would pull the last line up onto
it. A paragraph this module cannot measure (other markup, another face) is left to
WeasyPrint.
"""

from __future__ import annotations

import bisect
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree
from lxml import html as lxml_html

from publish.pdf.pango import break_opportunities
from publish.pdf.typeset.knuthplass import INFINITE, Item, breaks, segments
from publish.pdf.typeset.measure import (
    LETTER_SHRINK,
    LETTER_STRETCH,
    Measure,
    Style,
    hyphenator_for,
    paragraph_items,
)
from publish.xhtml import PHRASING

SPACES_FIRST = (-0.25, 0.4)
"""How far a line's word spaces shrink and stretch (shares of their width) before its
letters take the rest: most lines need no letter spacing at all."""
PASSES = ((False, False, 100), (True, False, 400), (True, True, 400), (True, True, 10_000))
"""(hyphenate, the last word too, the worst badness a line may have) for each try at a
paragraph, in order. TeX's are 100 without hyphens, 200 with; higher here, where the
letters share the stretch and a hyphen is the greater evil."""
LOOSER_PASSES = ((False, False, 100), (True, False, 400), (True, False, 1000))
"""The passes for a paragraph set a line longer or shorter than is best (to even out a
spread: publish.pdf.typeset.spreads): its last word never hyphenated, no line looser than a
paragraph set as well as it can be may have."""
SAFETY = 0.6
"""Points kept free at each line's end, so that a measuring difference never overflows."""
STRAINED = 10**9
"""What a line stretched past its stretch adds to the cost of setting a paragraph longer:
more than any demerits do."""
MOST_STRAINED = 2
"""Lines stretched past their stretch a paragraph set longer may gain: beyond that, facing
pages of unequal depth are the lesser evil."""
LONGEST = 30_000
"""Characters of the longest paragraph broken here: one longer (a dozen pages of unbroken
text) is left to WeasyPrint, whose way of finding a line's end in a paragraph whose only
breaks are the chosen ones costs time in proportion to the paragraph's length at every
line (a 2 MB paragraph would take hours; left to WeasyPrint, a minute)."""
NBSP, SHY, WJ, HYPHEN = "\u00a0", "\u00ad", "\u2060", "\u2010"
INLINE = frozenset({"em", "i", "strong", "b", "a", "cite", "abbr", "span"})
"""Elements a paragraph may hold and still be broken here (a `span` of PLAIN_SPANS)."""
PLAIN_SPANS = (None, "smallcaps", "index", "page-ref-folio")
"""The spans whose text is measured here: without a class, an index mark, a page
reference's folio (as the text is set), and `smallcaps` (in the face's small capitals)."""
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
    WeasyPrint (a line overflowed). To set one page again (publish.pdf.typeset.spreads): `looser`
    sets a paragraph that many lines longer (or shorter), `keep` keeps only lines [start,
    end) of a paragraph, and `only` names the paragraphs to break (the others are not
    shown)."""
    root = lxml_html.document_fromstring(html)
    number_blocks(root)
    for number, (paragraph, its_measure) in enumerate(_paragraphs(root, measure)):
        if number in leave or (only is not None and number not in only):
            continue
        if _set_paragraph(paragraph, its_measure,
                          (no_hyphen or {}).get(number, frozenset()),
                          (looser or {}).get(number, 0), (keep or {}).get(number)):
            paragraph.set("data-paragraph", str(number))
    return lxml_html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")


_CHAPTERS = "//section[contains(concat(' ', @class, ' '), ' chapter ')]"


def number_blocks(root: etree._Element) -> None:
    """Number every element of the body but inline ones (`data-block`), so that a page's
    share of the document can be found again in its layout (publish.pdf.typeset.spreads)."""
    number = 0
    body = root.find("body")
    for element in body.iterdescendants() if body is not None else ():
        if isinstance(element.tag, str) and element.tag not in PHRASING \
                and element.get("class") != "link-targets":
            element.set("data-block", str(number))
            number += 1


def _paragraphs(root: etree._Element, measure: Measure
                ) -> list[tuple[etree._Element, Measure]]:
    """The paragraphs this module may break, in the order that numbers them: not a chapter's
    first under `opening: small-caps`, whose first line is set in other glyphs than the
    ones measured here."""
    styled = "opening-small-caps" in (root.get("class") or "").split()
    paragraphs = [(p, measure) for p in root.xpath(f"{_CHAPTERS}/p[not(@class)]")
                  if not (styled and _opens_chapter(p))]
    for context, path in _CONTEXTS.items():
        within = measure.within(context)
        if within is not None:
            paragraphs += [(p, within) for p in root.xpath(path)]
    return paragraphs


_CONTEXTS = {
    "quotation": f"{_CHAPTERS}/blockquote[not(@class)]/p[not(@class)]",
    "letter": f"{_CHAPTERS}/div[@class='letter']/p[not(@class)]",
    "speech": f"{_CHAPTERS}/dl[not(@class)]/dd[not(@class)]",
}
"""Where else in a chapter a paragraph is broken here (publish.pdf.typeset.measure
measures each)."""


def _opens_chapter(paragraph: etree._Element) -> bool:
    """Whether `paragraph` follows its chapter's title (`h1:first-child + p`)."""
    title = paragraph.getprevious()
    return title is not None and title.tag == "h1" and title.getprevious() is None


@dataclass(frozen=True)
class Setting:
    """How a paragraph comes out set some way: what publish.pdf.typeset.reachback reckons
    pages with."""

    lines: int
    hyphens: frozenset[int]
    """Its lines (from 1) that end in a hyphen."""
    cost: float = 0.0
    """Over its best setting: demerits, and STRAINED for each line left looser than its
    stretch."""


def settings_longer(html: str, measure: Measure, numbers: Sequence[int], lines: int,
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


def costs_longer(html: str, measure: Measure, numbers: Sequence[int], lines: int,
              no_hyphen: Mapping[int, frozenset[int]] | None = None) -> dict[int, float]:
    """What setting each paragraph numbered in `numbers` `lines` lines longer (shorter,
    below 0) costs (`settings_longer`'s cost; a paragraph that cannot be so set is left out)."""
    return {number: setting.cost for number, setting
            in settings_longer(html, measure, numbers, lines, no_hyphen).items()}


@lru_cache(maxsize=2)
def _parsed(html: str, measure: Measure) -> list[tuple[etree._Element, Measure]]:
    """The paragraphs of `html` as `set_lines` numbers them, parsed once for all the
    pricing of one unit's spreads (read only: `set_lines` parses its own copy)."""
    return _paragraphs(lxml_html.document_fromstring(html), measure)


def _strained(items: Sequence[Item], chosen: Sequence[int], measure: Measure) -> int:
    """How many lines of a setting, the last apart, stretch past their stretch."""
    return sum(measure.width - SAFETY - natural > sum(i.stretch for i in segment)
               for segment, natural in segments(items, chosen)[:-1])


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
            ) -> tuple[list, str, Sequence[Item], Sequence[int], float] | None:
    """(slots, text, items, chosen breaks, demerits) of the best setting of `paragraph`
    (`looser` lines longer, or shorter below 0, when it can be), or None if it cannot be
    measured."""
    slots = list(_slots(paragraph))
    if not slots or any(s is None for s in slots):
        return None
    text = "".join(s[3] for s in slots)
    if not text.strip() or SHY in text or len(text) > LONGEST:
        return None
    runs: list[Style] = []
    for _node, _attr, style, piece in slots:
        runs.extend([style] * len(piece))
    styles = tuple(runs)
    if any(measure.face(style) is None or (style[3] and not measure.call_size)
           for style in set(styles)):
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
def _settle(text: str, styles: tuple[Style, ...], measure: Measure, indent: float,
            no_hyphen: frozenset[int], looser: int
            ) -> tuple[tuple[Item, ...], tuple[int, ...], float] | None:
    """(items, chosen breaks, demerits) of the best setting of a paragraph's text, kept per
    process: a page set again by itself (publish.pdf.typeset.spreads) sets the same paragraphs."""
    hyphenator = hyphenator_for(measure.lang)
    # As TeX: without hyphens if that sets it well, with them if need be; then letting the
    # last word break too (a hyphen is the lesser evil beside a line of gaping spaces); at
    # worst the least bad set there is (a word wider than the line leaves it to WeasyPrint).
    best = None
    for hyphenate, last_word, tolerance in PASSES:
        items = paragraph_items(text, styles, measure, hyphenator if hyphenate else None, indent,
                       last_word)
        found = breaks(items, measure.width - SAFETY, tolerance, no_hyphen)
        if found is not None:
            best = (tuple(items), tuple(found[0]), found[1])
            break
    if best is None or not looser:
        return best
    # TeX's \looseness: a setting that many lines longer (shorter, below 0).
    for hyphenate, last_word, tolerance in LOOSER_PASSES:
        items = paragraph_items(text, styles, measure, hyphenator if hyphenate else None, indent,
                       last_word)
        found = breaks(items, measure.width - SAFETY, tolerance, no_hyphen,
                        len(best[1]) + looser)
        if found is not None:
            return tuple(items), tuple(found[0]), found[1]
    return best


def _slots(paragraph: etree._Element) -> Iterator[tuple | None]:
    """(node, 'text', 'tail' or 'call', Style, string) for each piece of the paragraph's
    text in order (an element's tail after everything inside it; a note's number, which
    print sets in its place, as a 'call'); None for markup this module does not measure."""
    def walk(element: etree._Element) -> Iterator[tuple | None]:
        if element.text:
            yield element, "text", _style(element, paragraph), element.text
        for child in element:
            if child.tag == "span" and child.get("class") == "footnote":
                yield child, "call", (*_style(element, paragraph)[:3], True), \
                    child.get("data-note") or "0"
            elif not isinstance(child.tag, str) or child.tag not in INLINE \
                    or (child.tag == "span"
                        and child.get("class") not in PLAIN_SPANS):
                yield None
                return
            else:
                yield from walk(child)
            if child.tail:
                yield child, "tail", _style(element, paragraph), child.tail

    yield from walk(paragraph)


def _style(element: etree._Element, paragraph: etree._Element) -> Style:
    """How text directly inside `element` (within `paragraph`) is set."""
    chain = [element]
    while chain[-1] is not paragraph and chain[-1].getparent() is not None:
        chain.append(chain[-1].getparent())
    tags = {e.tag for e in chain if e is not paragraph}
    return (bool(tags & {"strong", "b"}), bool(tags & {"em", "i", "cite"}),
            any(e.get("class") == "smallcaps" for e in chain if e is not paragraph), False)


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


def _lines(items: Sequence[Item], chosen: Sequence[int], measure: Measure) -> list[_Line]:
    """The chosen lines, each with its letter spacing: the word spaces take a line's slack
    first, within `SPACES_FIRST`; the letters what is beyond it, up to their own limits."""
    naturals = segments(items, chosen)
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
    for line in lines:
        if line.hyphen:
            # A hyphen itself, not a soft one: WeasyPrint draws the hyphen at a soft
            # hyphen's break only on some of its paths, and this break is chosen.
            new[line.end - 1] = new[line.end - 1] + HYPHEN
    calls, position = set(), 0
    for _node, attr, _style, piece in slots:
        if attr == "call":
            calls.update(range(position, position + len(piece)))
        position += len(piece)
    _close_other_breaks(new, lines, measure.lang, calls)
    position = 0
    for node, attr, _style, piece in slots:
        start, end = position, position + len(piece)
        position = end
        if attr == "call":
            continue  # a note's number: print sets it (::footnote-call), the note floats
        pieces: list[tuple[str, str | None]] = []  # (text, style of its span or None)
        for index, line in enumerate(lines):
            if keep is not None and not keep[0] <= index < keep[1]:
                continue
            a, b = max(start, line.start), min(end, line.end)
            if a >= b:
                continue
            # A line's spacing is worked out again as it is justified (publish.pdf.typeset.justify);
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


def _close_other_breaks(new: list[str], lines: Sequence[_Line], lang: str,
                        calls: Collection[int] = ()) -> None:
    """Put a word joiner wherever Pango would let a line break but no chosen line ends
    (after a dash, before a no-break space, after a slash…): WeasyPrint can then break only
    where the lines were chosen to end. `new` holds what each character of the paragraph's
    text becomes; `calls` are the offsets of notes' numbers, which are not written (a joiner
    before one goes at the end of the text before it)."""
    starts, position = [], 0
    for piece in new:
        starts.append(position)
        position += len(piece)
    chosen = set()
    for line in lines[:-1]:
        following = next((k for k in range(line.end, len(new)) if new[k]), None)
        chosen.add(starts[following] if following is not None else position)
    filled = [k for k, piece in enumerate(new) if piece]
    at = [starts[k] for k in filled]
    for place in sorted(break_opportunities("".join(new), lang) - chosen, reverse=True):
        index = bisect.bisect_right(at, place) - 1
        k = filled[index]
        inner = place - starts[k]
        while k in calls and inner == 0 and index > 0:  # before a note's number
            index -= 1
            k = filled[index]
            inner = len(new[k])
        new[k] = new[k][:inner] + WJ + new[k][inner:]


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


