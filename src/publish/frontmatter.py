"""The generated front matter (title page, copyright page), shared by both outputs."""

from __future__ import annotations

import re
from collections.abc import Sequence

from markupsafe import Markup

from publish.identifiers import isbn_of
from publish.model import Metadata, RenderedChapter
from publish.templating import render


def authors_line(meta: Metadata) -> str:
    """`A`, `A and B`, `A, B and C`."""
    names = list(meta.authors) or ["Anonymous"]
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def titlepage(meta: Metadata, measure: float | None = None) -> Markup:
    """The title page's section; with `measure` (in print: the line's width in ems of the
    title's size), the title broken into lines of even length."""
    title = balanced(meta.title, measure, TITLE_SPACING) if measure else meta.title
    running = running_title(meta, measure * TITLE_SIZE / HEAD_SIZE) if measure else None
    return Markup(render("shared/titlepage.html", meta=meta, title=title, running=running,
                         authors=authors_line(meta)))


HEAD_SIZE, HEAD_SPACING = 9, 0.08
"""The running heads' size in points and letter spacing in ems (print.css)."""
HEAD_SHARE = 0.8
"""How much of the line the running head may take: the folio stands beside it."""
SMALL_CAP = 0.6
"""A small capital's width in ems, generously."""


def running_title(meta: Metadata, measure: float) -> str:
    """What the left-hand pages' running head shows, in `measure` ems of its size: the title
    if it fits on the line beside the folio; else its part before a colon or semicolon
    (`Frankenstein; or, The Modern Prometheus`); else the author, as many books have it."""
    capacity = measure * HEAD_SHARE / (SMALL_CAP + HEAD_SPACING)
    for candidate in (meta.title, re.split(r"\s*[:;]\s", meta.title)[0], authors_line(meta)):
        if len(candidate) <= capacity:
            return candidate
    return ""


TITLE_SIZE = 24
"""The title page's title size in points (the larger of the themes': print.css 22,
modern.css 24), and its letter spacing in ems (modern.css), for `titlepage`'s measure."""
TITLE_SPACING = 0.02
HALF_TITLE_SIZE, HALF_TITLE_SPACING = 14, 0.05
"""The half-title's size in points and letter spacing in ems (print.css)."""
EM_PER_LETTER = 0.48
"""A letter's width in ems, a little over a book face's average (lower case under half an
em, capitals more): a line counted to fit does fit."""


def balanced(text: str, measure: float, spacing: float = 0.0) -> Markup:
    """`text` broken into as few lines as fit `measure` ems (each letter counted as
    EM_PER_LETTER and `spacing` ems), each as near the same length as can be (`…When Love
    No Longer / Serves You` becomes `…to Leave When / Love No Longer Serves You`): what
    `text-wrap: balance` would do, which WeasyPrint does not."""
    words = text.split()
    capacity = max(int(measure / (EM_PER_LETTER + spacing)), 1)
    if len(text) <= capacity or len(words) < 2:
        return Markup.escape(text)
    for count in range(2, len(words) + 1):
        lines = _even_lines(words, count)
        if max(len(" ".join(line)) for line in lines) <= capacity:
            break
    return Markup(" <br/>").join(Markup.escape(" ".join(line)) for line in lines)


def _even_lines(words: list[str], count: int) -> list[list[str]]:
    """`words` in `count` lines, the longest line as short as can be (ties: the later lines
    the longer, as a title's shape wants)."""
    best: tuple[int, list[list[str]]] | None = None

    def split(start: int, left: int, lines: list[list[str]]) -> None:
        nonlocal best
        if left == 1:
            done = [*lines, words[start:]]
            longest = max(len(" ".join(line)) for line in done)
            if best is None or longest <= best[0]:
                best = (longest, done)
            return
        for end in range(start + 1, len(words) - left + 2):
            split(end, left - 1, [*lines, words[start:end]])

    split(0, count, [])
    assert best is not None
    return best[1]


def copyright_page(meta: Metadata) -> Markup:
    """The copyright page's section, from rights, publisher, date and ISBN."""
    return Markup(render("shared/copyright.html", meta=meta, authors=authors_line(meta),
                         isbn=isbn_of(meta.identifier)))


def around_contents(chapters: Sequence[RenderedChapter]
                    ) -> tuple[list[RenderedChapter], list[RenderedChapter]]:
    """Split the reading order where the contents page goes: after a dedication and an
    epigraph that open the book, before everything else (a foreword, the first chapter)."""
    split = 0
    while split < len(chapters) and chapters[split].role.matter == "front" \
            and not chapters[split].role.titled:
        split += 1
    return list(chapters[:split]), list(chapters[split:])


def body_start(chapters: Sequence[RenderedChapter]) -> RenderedChapter:
    """The chapter where the body begins (page 1 in print, the bodymatter landmark)."""
    return next((c for c in chapters if c.role.matter == "body"), chapters[0])
