"""What a paragraph is set in, and its text as Knuth and Plass's items.

The text block's measure, size and faces are read off a small probe layout (`probe_html`,
`measure_from`); each word is measured with HarfBuzz in the face that will set it, and cut
at its hyphenation points (Pyphen's, WeasyPrint's own, with limits: words of six letters or
more, three before and after the break, none in a capitalised word or, but as a last resort,
in the paragraph's last word); the last two words are tied. A word space stretches and
shrinks as TeX's does, and each letter by a little more (LETTER_STRETCH): the room pdfTeX's
font expansion gives a line.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pyphen
import uharfbuzz as hb
from weasyprint.document import Document

from publish.faces import FaceResolver
from publish.pdf import boxes
from publish.pdf.pango import break_opportunities
from publish.pdf.typeset.knuthplass import HYPHEN_PENALTY, INFINITE, Item

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
MIN_WORD, LEFT, RIGHT = 6, 3, 3
"""Hyphenation: words of at least 6 letters, 3 before the break and 3 after."""


Style = tuple[bool, bool, bool, bool]
"""How a character of a paragraph is set: (bold, italic, small capitals, a note's call: set
at the call's size)."""
PLAIN: Style = (False, False, False, False)
SMALL_CAPS = (("smcp", 1),)
"""The OpenType feature `font-variant: small-caps` asks the face for."""


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
    contexts: tuple[tuple[str, float, float, float], ...] = ()
    """(context, width, indent, size) of the paragraphs set otherwise than a chapter's own,
    in the same faces (`CONTEXTS`: a block quotation's, a letter's, a speech's)."""
    call_size: float = 0.0
    """The size of a note's call (its number, raised, in the text): 0 where notes are not
    called in the text's face (a paragraph with notes is then left to WeasyPrint)."""
    title: tuple[float, float] = (0.0, 0.0)
    """(width, size) in points of a chapter's title, when it is set in the text's faces as
    they are (no letter-spacing, capitals or case change); else (0, 0)."""

    def face(self, style: Style) -> str | None:
        """The font file that sets text in `style`."""
        return _face(self.faces, style[0], style[1])

    def within(self, context: str) -> Measure | None:
        """The measure of a paragraph in `context` (None if it is set in other faces)."""
        for name, width, indent, size in self.contexts:
            if name == context:
                return dataclasses.replace(self, width=width, indent=indent, size=size,
                                           contexts=())
        return None


CONTEXTS = {
    "quotation": "<blockquote><p>{w}</p><p data-probe='quotation'>{w}</p></blockquote>",
    "letter": "<div class='letter'><p>{w}</p><p data-probe='letter'>{w}</p></div>",
    "speech": "<dl><dt>A</dt><dd>{w}</dd><dt>B</dt><dd data-probe='speech'>{w}</dd></dl>",
}
"""Where else plain paragraphs stand, as the probe shows each (its second paragraph is the
one measured): a block quotation, a letter (`::: letter`), a speech (a definition list's
description, as plays are set)."""


@lru_cache(maxsize=64)
def _face(faces: tuple[tuple[bool, bool, str], ...], bold: bool, italic: bool) -> str | None:
    return next((path for b, i, path in faces if (b, i) == (bold, italic)), None)


def paragraph_items(text: str, styles: Sequence[Style], measure: Measure,
                    hyphenator: pyphen.Pyphen | None, indent: float, last_word: bool = False
                    ) -> list[Item]:
    """The paragraph `text` (each character's Style in `styles`) as boxes, glue and
    penalties, hyphenated by `hyphenator` (None: not at all)."""
    items = [Item("box", indent)] if indent else []
    open_, close = LETTER_STRETCH * measure.size, LETTER_SHRINK * measure.size
    glues: dict[Style, tuple[float, float, float]] = {}
    words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    last = len(words) - 1
    allowed = break_opportunities(text, measure.lang)
    for number, (start, end) in enumerate(words):
        if number:
            style = styles[start - 1]
            if style not in glues:
                space = width_of(" ", style, measure)
                glues[style] = (space, space * SPACE_STRETCH + open_,
                                space * SPACE_SHRINK + close)
            # Tie the last two words (a paragraph never ends on a line of one word), a
            # spaced dash to the word before it (no line begins with one), and any two
            # words Pango will not break between (a closing quotation mark before an
            # opening bracket): a break there would not be taken.
            if number == last or text[start] in "\u2013\u2014" or start not in allowed:
                items.append(Item("penalty", 0, penalty=INFINITE, at=start - 1))
            items.append(Item("glue", *glues[style], at=start - 1))
        hyphenate = hyphenator is not None and (number != last or last_word)
        for item in _word_items(text[start:end], tuple(styles[start:end]), measure,
                                hyphenate):
            # A word's hyphens are placed from its start: moved to where it stands.
            items.append(item if item.kind == "box" else dataclasses.replace(
                item, at=start + item.at))
    # TeX's \\parfillskip, kept from being a break (a last line with nothing on it).
    items.append(Item("penalty", 0, penalty=INFINITE, at=len(text)))
    items.append(Item("glue", 0, INFINITE, 0, at=len(text)))
    items.append(Item("penalty", 0, penalty=-INFINITE, flagged=True, at=len(text)))
    return items


_WORD = re.compile(r"[^ \n\t]+")


@lru_cache(maxsize=100_000)
def _word_items(word: str, styles: tuple[Style, ...], measure: Measure,
                hyphenate: bool) -> tuple[Item, ...]:
    """One word as boxes and the hyphen penalties between them (placed from its start),
    kept per process: a novel uses the same words over and over."""
    open_, close = LETTER_STRETCH * measure.size, LETTER_SHRINK * measure.size
    pieces = _pieces(word, 0, len(word), not hyphenate,
                     hyphenator_for(measure.lang) if hyphenate else None)
    made = []
    for index, (a, b) in enumerate(pieces):
        made.append(Item("box", _measure_run(word, styles, a, b, measure),
                          (b - a) * open_, (b - a) * close))
        if index < len(pieces) - 1:
            made.append(Item("penalty", width_of("‐", styles[b - 1], measure),
                              penalty=HYPHEN_PENALTY, flagged=True, at=b))
    return tuple(made)


def _pieces(text: str, start: int, end: int, last: bool, hyphenator: pyphen.Pyphen | None
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
    cuts = [start + core.start() + p for p in hyphenator.positions(letters)]
    bounds = [start, *cuts, end]
    return list(itertools.pairwise(bounds))


def _measure_run(text: str, styles: Sequence[Style], start: int, end: int,
                 measure: Measure) -> float:
    if styles[start] == styles[end - 1] and len(set(styles[start:end])) == 1:
        return width_of(text[start:end], styles[start], measure)  # the usual case: one style
    width, run_start = 0.0, start
    for index in range(start + 1, end + 1):
        if index == end or styles[index] != styles[run_start]:
            width += width_of(text[run_start:index], styles[run_start], measure)
            run_start = index
    return width


def width_of(piece: str, style: Style, measure: Measure) -> float:
    """The width of `piece` in points, set in `style`."""
    features = measure.features + (SMALL_CAPS if style[2] else ())
    size = measure.call_size if style[3] else measure.size
    return _advance(measure.face(style) or "", piece, features) * size


@lru_cache(maxsize=200_000)
def _advance(face: str, piece: str, features: tuple[tuple[str, int], ...]) -> float:
    """The width of `piece` in `face` at 1 pt, as HarfBuzz shapes it."""
    font, upem = _font(face)
    buffer = hb.Buffer()
    buffer.add_str(piece)
    buffer.guess_segment_properties()
    hb.shape(font, buffer, dict(features))
    return sum(p.x_advance for p in buffer.glyph_positions) / upem


@lru_cache(maxsize=32)
def _font(face: str) -> tuple[hb.Font, int]:
    blob = hb.Blob.from_file_path(face)
    hb_face = hb.Face(blob)
    font = hb.Font(hb_face)
    return font, hb_face.upem


@lru_cache(maxsize=8)
def hyphenator_for(lang: str) -> pyphen.Pyphen:
    """Pyphen's dictionary for `lang` (its language, else English), with our limits."""
    code = lang.replace("-", "_")
    chosen = code if code in pyphen.LANGUAGES else (
        code.split("_")[0] if code.split("_")[0] in pyphen.LANGUAGES else "en_US")
    return pyphen.Pyphen(lang=chosen, left=LEFT, right=RIGHT)


def probe_html() -> str:
    """A chapter of two paragraphs (the second indented, measured), then two in each of the
    `CONTEXTS`, to measure the text block with."""
    words = " ".join(["measure"] * 30)
    others = "".join(markup.format(w=words) for markup in CONTEXTS.values())
    note = '<span class="footnote" id="probe-note" data-note="1">A note.</span>'
    return (f'<section class="chapter body" id="probe"><h1>Probe</h1><p>{words}</p>'
            f"<p data-probe='text'>{words}{note}</p>{others}</section>")


def measure_from(document: Document, resolver: FaceResolver, lang: str) -> Measure | None:
    """The Measure a probe layout (of `probe_html`) shows."""
    probed: dict[str, boxes.Box] = {}
    for page in boxes.pages(document):
        for box in boxes.descendants(page):
            element = boxes.element(box)
            name = element.get("data-probe") if element is not None else None
            if name and boxes.is_block(box):
                probed.setdefault(name, box)  # a paragraph's first part only
    found = _probed(probed["text"]) if "text" in probed else None
    if found is None:
        return None
    width, indent, size, style = found
    faces = []
    for bold in (False, True):
        for italic in (False, True):
            for family in style["font_family"]:
                face = resolver.match(family, 700 if bold else 400, italic)
                if face is not None:
                    faces.append((bold, italic, str(face.path)))
                    break
    numeric = style["font_variant_numeric"]
    features = [("kern", 1), ("liga", 1)]
    if numeric != "normal" and "oldstyle-nums" in numeric:
        features.append(("onum", 1))
    if numeric != "normal" and "lining-nums" in numeric:
        features.append(("lnum", 1))
    calls = [box.style for page in boxes.pages(document) for box in boxes.descendants(page)
             if boxes.tag(box).endswith("::footnote-call") and boxes.is_text(box)]
    call_size = calls[0]["font_size"] * boxes.PX if calls and \
        calls[0]["font_family"] == style["font_family"] else 0.0
    contexts = []
    for name in CONTEXTS:
        other = _probed(probed[name]) if name in probed else None
        if other is not None and other[3]["font_family"] == style["font_family"]:
            contexts.append((name, *other[:3]))
    return Measure(width, indent, size, tuple(faces), tuple(features), lang, tuple(contexts),
                   call_size, _title(document, style))


def _title(document: Document, text_style: Mapping[str, Any]) -> tuple[float, float]:
    """(width, size) of the probe chapter's title, if set in the text's faces as they are."""
    for page in boxes.pages(document):
        for box in boxes.descendants(page):
            if boxes.tag(box) != "h1":
                continue
            texts = [b for b in boxes.descendants(box) if boxes.is_text(b)]
            if not texts:
                return (0.0, 0.0)
            style = texts[0].style
            plain = (style["font_family"] == text_style["font_family"]
                     and style["letter_spacing"] == "normal"
                     and style["text_transform"] == "none"
                     and style["font_variant_caps"] == "normal"
                     and style["font_weight"] == 400 and style["font_style"] == "normal")
            return (box.width * boxes.PX, style["font_size"] * boxes.PX) if plain \
                else (0.0, 0.0)
    return (0.0, 0.0)


def _probed(paragraph: boxes.Box) -> tuple[float, float, float, Mapping[str, Any]] | None:
    """(width, first-line indent, size, style) of a probe paragraph's layout, in points."""
    lines = [b for b in boxes.descendants(paragraph) if boxes.is_line_box(b)]
    texts = [b for b in boxes.descendants(lines[0]) if boxes.is_text(b)] if lines else []
    if not texts:
        return None
    indent = (texts[0].position_x - paragraph.content_box_x()) * boxes.PX
    style = texts[0].style
    return paragraph.width * boxes.PX, indent, style["font_size"] * boxes.PX, style
