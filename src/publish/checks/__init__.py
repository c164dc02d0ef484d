"""Stage 3: the manuscript checks. Each family is a module of small rule functions.

A rule function takes the loaded book and its rendered chapters and yields diagnostics;
`CHECKS` lists them all, in the order their findings are reported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from publish.checks import headings, metadata
from publish.diagnostics import Diagnostic
from publish.model import Book, RenderedChapter

Check = Callable[[Book, Sequence[RenderedChapter]], Iterable[Diagnostic]]

CHECKS: tuple[Check, ...] = (
    metadata.check_lang,
    metadata.check_identifier,
    headings.check_first_heading,
    headings.check_single_h1,
    headings.check_levels,
    headings.check_empty,
)


def run_checks(book: Book, rendered: Sequence[RenderedChapter]) -> list[Diagnostic]:
    """Every finding of every check, sorted by file and line."""
    return sorted(d for check in CHECKS for d in check(book, rendered))
