"""A print PDF read back and held to the invariants the build keeps (publish.pdf.invariants),
from the PDF alone: `publish preflight` runs these on any PDF, ours or not.

Every word is taken with its box from poppler's `pdftotext -bbox`. Words above or below the
text block are the running heads and folios; the rest is the text, whose words must be the
manuscript's, in order (notes may stand between them, at a page's foot); no two words of
a line may be drawn over each other by more than `OVERLAP`; no word may run past the text
block's side by more than `OVERRUN` or off the page; the evenly spaced words of a justified
line may stand no further apart than `MAX_SPACE` times their height.
"""

from __future__ import annotations

import html
import itertools
import re
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from publish.letters import squeeze
from publish.printing import Geometry

OVERLAP = 1.0
OVERRUN = 2.0
"""Points."""
MAX_SPACE = 1.5
"""A justified line's word space, in multiples of its words' height (about an em)."""
WINDOW = 4000
"""Letters of other text (notes, headings) that may stand between two of the manuscript's
words in the PDF's text."""
NEAR = 12
"""Letters that may stand between a word and the head of the next, hyphenated across a page
turn (a note's number)."""
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.DOTALL)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                   r"(.*?)</word>")


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    words: tuple[Word, ...]


def read(pdf: Path) -> list[Page]:
    """Every page of `pdf` with its words, in the order they are drawn (`-raw`: the order
    WeasyPrint sets them; poppler's guess at reading order takes the parts of a line that
    a formula's image stands between for columns)."""
    out = subprocess.run(["pdftotext", "-bbox", "-raw", "-enc", "UTF-8", str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    return [Page(float(width), float(height), tuple(
        Word(html.unescape(text), float(a), float(b), float(c), float(d))
        for a, b, c, d, text in _WORD.findall(body)))
        for width, height, body in _PAGE.findall(out)]


def text_block(page: Page, index: int, geo: Geometry) -> tuple[float, float, float, float]:
    """The text block of the page at `index` (from 0: a right-hand page first), in points:
    left, top, right, bottom. (Page boxes larger than the geometry's, with bleed all round,
    are centred on it.)"""
    dx = (page.width - geo.width * 72) / 2
    dy = (page.height - geo.height * 72) / 2
    inside, outside = geo.inner * 72, geo.outer * 72
    left = inside if index % 2 == 0 else outside
    right = outside if index % 2 == 0 else inside
    return (dx + left, dy + geo.top * 72, dx + geo.width * 72 - right,
            dy + geo.height * 72 - geo.bottom * 72)


def layout_problems(pages: Sequence[Page], geo: Geometry) -> list[str]:
    """Words drawn over each other, past the text block, off the page, or spaced out."""
    problems = []
    for index, page in enumerate(pages):
        left, top, right, bottom = text_block(page, index, geo)
        found: dict[str, str] = {}
        for word in page.words:
            if word.x0 < -OVERRUN or word.y0 < -OVERRUN or word.x1 > page.width + OVERRUN \
                    or word.y1 > page.height + OVERRUN:
                found.setdefault("outside the page", word.text)
            elif top <= word.y0 and word.y1 <= bottom + OVERRUN and (
                    word.x1 > right + OVERRUN or word.x0 < left - OVERRUN):
                found.setdefault("past the side of the text block", word.text)
        for line in _lines(page.words):
            for before, after in itertools.pairwise(line):
                if after.x0 < before.x1 - OVERLAP:
                    found.setdefault("drawn over each other",
                                     f"{before.text} {after.text}")
            gaps = [after.x0 - before.x1 for before, after in itertools.pairwise(line)]
            height = max(word.y1 - word.y0 for word in line)
            justified = (len(line) >= 4 and abs(line[0].x0 - left) < OVERRUN
                         and abs(line[-1].x1 - right) < OVERRUN)
            if justified and min(gaps) > MAX_SPACE * height and max(gaps) < 1.5 * min(gaps):
                found.setdefault("spaced more than an em and a half apart",
                                 " ".join(word.text for word in line[:6]))
        problems += [f"page {index + 1}: words {what}: “{words}”"
                     for what, words in found.items()]
    return problems


def _lines(words: Iterable[Word]) -> list[list[Word]]:
    """The words in lines: those sharing a baseline, left to right."""
    lines: dict[int, list[Word]] = {}
    for word in words:
        lines.setdefault(round(word.y1 * 2), []).append(word)
    return [sorted(line, key=lambda w: w.x0) for line in lines.values()]


def missing_words(pages: Sequence[Page], geo: Geometry, texts: Sequence[tuple[str, str]],
                  window: int = WINDOW) -> list[str]:
    """For each (name, text) of `texts` (the manuscript's chapters, as read), the first of
    its words the PDF's text does not have where it should: after the words before it,
    with no more than `window` letters of other text between."""
    printed = "".join(squeeze(word.text) for index, page in enumerate(pages)
                      for word in page.words if _in_block(word, page, index, geo))
    problems, at = [], 0
    for name, text in texts:
        words = [w for w in (squeeze(word) for word in text.split()) if w]
        # Where the text begins may be pages on (a long contents between): found by its
        # first words, anywhere further on.
        begins = printed.find("".join(words[:8]), at)
        if begins >= 0:
            at = begins
        for number, word in enumerate(words):
            found = _find(printed, word, at, window)
            if found < 0:
                problems.append(f"{name}: the words “{' '.join(text.split()[number:number + 8])}"
                                "” are not printed where the manuscript has them")
                break
            at = found
    return problems


def _find(printed: str, word: str, at: int, window: int) -> int:
    """Where `word` ends in `printed` after `at` (with no more than `window` letters before
    it), or -1. A word hyphenated across a page turn may have that page's notes or list
    numbers between its two halves (of two letters at least); split so, it is taken before
    a whole copy of the word further on."""
    whole = printed.find(word, at, at + window + len(word))
    if 0 <= whole <= at + NEAR:
        return whole + len(word)
    for cut in range(len(word) - 2, 1, -1):  # its head right after the word before
        head = printed.find(word[:cut], at, at + NEAR + cut)
        if head >= 0 and (whole < 0 or head < whole):
            tail = printed.find(word[cut:], head + cut, head + cut + window + len(word))
            if tail >= 0:
                return tail + len(word) - cut
    return whole + len(word) if whole >= 0 else -1


def _in_block(word: Word, page: Page, index: int, geo: Geometry) -> bool:
    """Whether a word stands in the text block (not a running head or folio)."""
    _left, top, _right, bottom = text_block(page, index, geo)
    return word.y1 > top - OVERRUN and word.y0 < bottom + OVERRUN
