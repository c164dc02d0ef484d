"""The typographic report: how well the pages are set, counted from the layout itself.

Each unit's layout is read as it is made (in its worker: `page_stats`), line box by line box:
which paragraph a line belongs to, whether it is that paragraph's first or last line, whether
it ends in a hyphen, how many words it holds and how wide its word spaces were stretched; and
for each page how deep its text goes. `report` then reads those pages in the joined book's
order and counts what a typesetter counts: hyphenated line ends, ladders, hyphens at a page's
end, widows, orphans, runts, loose lines, the spread of word spaces, short pages, facing pages
of unequal depth and pages left empty by a figure. The targets live in `TARGETS`, here only.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from weasyprint.document import Document

from publish.faces import FaceResolver, resolver_for
from publish.letters import ends_in_hyphen
from publish.pdf import boxes
from publish.pdf.boxes import PX
from publish.pdf.typeset.facing import facing_pairs, lines_apart

PARAGRAPHS = frozenset({"p", "li", "dd"})
"""The blocks whose lines are counted (headings, verse, captions and the like are set
line by line on purpose)."""


@dataclass(frozen=True)
class Targets:
    """What a well-set book stays within (a TeX-set book's figures; see README)."""

    hyphenated: float = 0.03
    """Share of lines ending in a hyphen."""
    ladders: int = 0
    """Runs of three or more hyphenated lines."""
    page_end_hyphens: float = 0.01
    """Share of pages whose last line ends in a hyphen."""
    widows: int = 0
    orphans: int = 0
    runts: float = 0.02
    """Share of paragraphs whose last line is one word."""
    loose: float = 0.01
    """Share of justified lines whose word spaces exceed `LOOSE` × the book's median."""
    spread: float = 1.35
    """Word space at the 95th percentile ÷ the median."""
    short_pages: int | None = None
    """Reported, not a target: a spread may be a line short, as long as both its pages are."""
    uneven_spreads: int = 0
    figure_gaps: int = 0
    fallbacks: int | None = None
    """Reported: paragraphs total fit set wrong (publish.pdf.invariants), set by WeasyPrint."""


TARGETS = Targets()
FAR = Targets(hyphenated=0.06, ladders=3, page_end_hyphens=0.03, widows=2, orphans=2,
              runts=0.04, loose=0.03, spread=1.5, uneven_spreads=0, figure_gaps=2)
"""Far outside the targets, about twice as bad: a book set by total fit past one of these
was not set as it should have been, and `publish preflight` fails it. (Facing pages of
unequal depth are judged as a share of the spreads instead: `FAR_UNEVEN`.)"""
SAMPLES = {"hyphenated": ("lines", 300), "loose": ("justified", 300),
           "spread": ("justified", 300), "runts": ("paragraphs", 100),
           "page_end_hyphens": ("pages", 50)}
"""What each share counts, and how many of those it is judged over at least (far or not)."""
FAR_UNEVEN = 0.4
"""The share of a book's spreads that may end uneven before preflight fails it. (WeasyPrint's
own breaking leaves 29 % of Pride and Prejudice's uneven; a play, its speeches of a line or
two kept with their speakers, a quarter or more even when set by total fit.)"""
LOOSE = 1.5
FIGURE_GAP = 0.25
"""A page left emptier than this share of its height by a figure that moved on."""


@dataclass(frozen=True)
class LineStat:
    """One line of a counted paragraph."""

    paragraph: int
    """The paragraph's number within its unit."""
    first: bool
    last: bool
    hyphen: bool
    words: int
    space: float
    """The word space of a justified line, in points (0 for a line left unjustified)."""


@dataclass(frozen=True)
class PageStat:
    """One page of a unit."""

    chapter: str
    """The chapter its text begins in ('' for none)."""
    lines: tuple[LineStat, ...]
    depth: float
    """How far down its text goes, in points from the top of the text block."""
    height: float
    """The text block's height, in points."""
    line_height: float
    """The height of its typical line of text, in points."""
    figure_first: bool
    """Whether a figure is the first thing on it."""


def page_stats(document: Document, sheets: Sequence[Path], roots: Sequence[Path],
               sections: Sequence[str]) -> tuple[PageStat, ...]:
    """Every page of a laid-out unit, as plain data (`roots`: where the sheets' faces may
    lie)."""
    resolver = resolver_for(sheets, roots)
    page_boxes = boxes.pages(document)
    pages = [list(_lines(box)) for box in page_boxes]
    counts: dict[object, int] = {}
    for lines in pages:
        for element, _line in lines:
            counts[_key(element)] = counts.get(_key(element), 0) + 1
    numbers: dict[object, int] = {}
    seen: dict[object, int] = {}
    made = []
    chapter = ""
    for page, box, lines in zip(document.pages, page_boxes, pages, strict=True):
        stats = []
        for element, line in lines:
            key = _key(element)
            number = numbers.setdefault(key, len(numbers))
            seen[key] = seen.get(key, 0) + 1
            stats.append(_line_stat(line, number, seen[key] == 1, seen[key] == counts[key],
                                    resolver))
        chapter = next((s for s in sections if s in page.anchors), chapter)
        made.append(PageStat(chapter, tuple(stats), boxes.text_depth(box) * PX,
                             box.height * PX, boxes.median_line(box) * PX,
                             boxes.first_figure(box) is not None))
    return tuple(made)


def _key(element: boxes.Element) -> object:
    """A paragraph's identity: its number when its lines were chosen here (a page laid out
    again by itself holds another copy of it: publish.pdf.typeset.spreads), else the
    element."""
    number = element.get("data-paragraph")
    return ("paragraph", number) if number is not None else id(element)


def _lines(box: boxes.Box, counted: bool = False
           ) -> Iterator[tuple[boxes.Element, boxes.LineBox]]:
    """(paragraph element, line box) for each line of a counted paragraph under `box`, in
    order: paragraphs of a chapter, not in a footnote, verse or poem."""
    element = boxes.element(box)
    if element is not None and boxes.tag(box):
        classes = (element.get("class") or "").split()
        if {"footnote", "verse", "poem", "line-block"} & set(classes):
            return
        if boxes.tag(box) == "section" and "chapter" in classes:
            counted = True
    if boxes.is_line_box(box):
        if counted and element is not None and boxes.tag(box) in PARAGRAPHS:
            yield element, box
        return
    for child in boxes.children(box):
        yield from _lines(child, counted)


def _line_stat(line: boxes.LineBox, paragraph: int, first: bool, last: bool,
               resolver: FaceResolver) -> LineStat:
    texts = [box for box in boxes.descendants(line) if boxes.is_text(box)]
    text = "".join(box.text for box in texts).rstrip()
    space = 0.0
    if any(getattr(box, "justification_spacing", 0) for box in texts):
        # The word space as printed: the face's, the line's word-spacing (a line set tight
        # has it lowered), and what justification added; read where most spaces are.
        box = max(texts, key=lambda b: b.text.count(" ") + b.text.count("\u00a0"))
        style = box.style
        natural = resolver.space(style["font_family"], style["font_weight"],
                                 style["font_style"] != "normal") * style["font_size"]
        space = (natural + style["word_spacing"] + box.justification_spacing) * PX
    return LineStat(paragraph, first, last, ends_in_hyphen(text), len(text.split()), space)


@dataclass
class Counts:
    """What the report counts, for a book or a chapter."""

    lines: int = 0
    hyphenated: int = 0
    ladders: int = 0
    pages: int = 0
    page_end_hyphens: int = 0
    widows: int = 0
    orphans: int = 0
    paragraphs: int = 0
    runts: int = 0
    justified: int = 0
    loose: int = 0
    spaces: list[float] = field(default_factory=list)
    short_pages: int = 0
    uneven_spreads: int = 0
    figure_gaps: int = 0
    fallbacks: int = 0

    def figures(self, median: float) -> dict[str, float]:
        """Each measure as the targets state it."""
        spread = 0.0
        if self.spaces and median:
            spread = statistics.quantiles(self.spaces, n=20)[-1] / median \
                if len(self.spaces) > 1 else 1.0
        return {
            "hyphenated": self.hyphenated / self.lines if self.lines else 0.0,
            "ladders": self.ladders,
            "page_end_hyphens": self.page_end_hyphens / self.pages if self.pages else 0.0,
            "widows": self.widows, "orphans": self.orphans,
            "runts": self.runts / self.paragraphs if self.paragraphs else 0.0,
            "loose": self.loose / self.justified if self.justified else 0.0,
            "spread": spread,
            "short_pages": self.short_pages, "uneven_spreads": self.uneven_spreads,
            "figure_gaps": self.figure_gaps, "fallbacks": self.fallbacks,
        }


@dataclass(frozen=True)
class Report:
    """The book's counts and each chapter's."""

    book: Counts
    chapters: dict[str, Counts]
    median_space: float

    def summary(self) -> dict:
        """The report as plain data for the build's record: the book's figures, the
        measures it misses, those it is far outside (`far`), and the report as `describe`
        words it."""
        return {"figures": self.book.figures(self.median_space), "misses": self.misses(),
                "far": self.far(), "lines": describe(self)}

    def far(self) -> list[str]:
        """The measures the book is far outside its target on (`FAR`, `FAR_UNEVEN`); a share
        is judged only over enough of what it counts (`SAMPLES`): a book of verse has a few
        dozen justified lines, where two loose ones are a share of 4 %."""
        got = self.book.figures(self.median_space)
        spreads = max(self.book.pages // 2, 1)
        return [name for name, value in got.items()
                if getattr(self.book, SAMPLES.get(name, ("", 0))[0], 0)
                >= SAMPLES.get(name, ("", 0))[1]
                and ((name == "uneven_spreads" and value > FAR_UNEVEN * spreads)
                     or (name != "uneven_spreads" and getattr(FAR, name) is not None
                         and value > getattr(FAR, name) + 1e-9))]

    def misses(self, counts: Counts | None = None) -> list[str]:
        """The measures `counts` (the book's by default) misses its target on."""
        got = (counts or self.book).figures(self.median_space)
        return [name for name, value in got.items()
                if getattr(TARGETS, name) is not None and value > getattr(TARGETS, name) + 1e-9]


def report(pages: Sequence[PageStat | None], unit_ends: Sequence[bool], fallbacks: int = 0
           ) -> Report:
    """Count the book's pages in order (None: a blank page). `unit_ends` says which pages
    are the last of their unit (a chapter's last page may be short); `fallbacks` is how many
    paragraphs total fit failed (left to WeasyPrint's own breaking)."""
    book = Counts(fallbacks=fallbacks)
    chapters: dict[str, Counts] = {}
    spaces = [line.space for page in pages if page for line in page.lines if line.space]
    median = statistics.median(spaces) if spaces else 0.0
    run = 0
    previous: LineStat | None = None
    for index, page in enumerate(pages):
        if page is None or not page.lines:
            continue
        chapter = chapters.setdefault(page.chapter, Counts())
        for counts in (book, chapter):
            counts.pages += 1
        lines = page.lines
        for line in lines:
            same = previous is not None and previous.paragraph == line.paragraph
            run = run + 1 if line.hyphen and (same or run == 0) else (1 if line.hyphen else 0)
            for counts in (book, chapter):
                counts.lines += 1
                counts.hyphenated += line.hyphen
                counts.ladders += run == 3
                if line.first:
                    counts.paragraphs += 1
                if line.last and not line.first and line.words == 1:
                    counts.runts += 1
                if line.space and not line.last:
                    counts.justified += 1
                    counts.spaces.append(line.space)
                    counts.loose += line.space > LOOSE * median
            previous = line
        first, last = lines[0], lines[-1]
        tail = not unit_ends[index]
        for counts in (book, chapter):
            counts.page_end_hyphens += last.hyphen and not last.last
            counts.widows += first.last and not first.first
            counts.orphans += last.first and not last.last
        following = pages[index + 1] if index + 1 < len(pages) else None
        gap = page.height - page.depth
        if tail and following is not None and following.figure_first:
            if gap > FIGURE_GAP * page.height:
                for counts in (book, chapter):
                    counts.figure_gaps += 1
        elif tail and gap > 1.5 * page.line_height:
            for counts in (book, chapter):
                counts.short_pages += 1
    for left, right in facing_pairs(len(pages), first_right=True):  # page 1 is a recto
        verso, recto = pages[left], pages[right]
        if verso is None or recto is None or not verso.lines or not recto.lines \
                or unit_ends[left] or unit_ends[right]:
            continue
        if lines_apart(verso.depth, recto.depth, verso.line_height or recto.line_height):
            for counts in (book, chapters[verso.chapter]):
                counts.uneven_spreads += 1
    return Report(book, chapters, median)


LABELS = {
    "hyphenated": "lines ending in a hyphen", "ladders": "ladders (3+ hyphens in a row)",
    "page_end_hyphens": "pages ending in a hyphen", "widows": "widows", "orphans": "orphans",
    "runts": "paragraphs ending in one word (runts)",
    "loose": f"loose lines (word space > {LOOSE}× median)",
    "spread": "word-space spread (95th percentile ÷ median)",
    "short_pages": "short pages (not a chapter's last)",
    "uneven_spreads": "facing pages of unequal depth",
    "figure_gaps": f"pages left {FIGURE_GAP:.0%} empty by a figure",
    "fallbacks": "paragraphs set again by WeasyPrint's own breaking",
}


def describe(found: Report) -> list[str]:
    """The report as lines of text: each measure beside its target, then the chapters that
    miss one."""
    got = found.book.figures(found.median_space)
    out = []
    for name, label in LABELS.items():
        value, target = got[name], getattr(TARGETS, name)
        share = name in SHARES
        shown = (f"{value:.1%}" if share else f"{value:.2f}" if name == "spread"
                 else f"{int(value)}")
        if target is None:
            out.append(f"{label}: {shown} (reported)")
            continue
        aim = f"{target:.0%}" if share else f"{target:.2f}" if name == "spread" else str(target)
        mark = "ok" if value <= target + 1e-9 else "over"
        out.append(f"{label}: {shown} (target ≤ {aim}) {mark}")
    missing = sorted(((found.misses(counts), chapter) for chapter, counts
                      in found.chapters.items() if chapter and found.misses(counts)),
                     key=lambda pair: -len(pair[0]))
    if missing:
        out.append(f"chapters over a target: {len(missing)} of {len(found.chapters)}; "
                   + "; ".join(f"{chapter} ({', '.join(misses)})"
                               for misses, chapter in missing[:5])
                   + ("; …" if len(missing) > 5 else ""))
    return out


SHARES = frozenset({"hyphenated", "page_end_hyphens", "runts", "loose"})
