"""Index rules (I): the places marked for the index (publish.manuscript.index) make a
sound index — every cross-reference reaches an entry, every range is closed, no term is
empty."""

from __future__ import annotations

from collections.abc import Iterator

from publish.checks.base import CheckInput
from publish.diagnostics import Diagnostic
from publish.model import IndexMark
from publish.rules import finding


def check_index(given: CheckInput) -> Iterator[Diagnostic]:
    """I001–I004 over the book's marks, each at the mark as written."""
    marks = [(rendered.chapter.path, mark) for rendered in given.chapters
             for mark in rendered.index_marks]
    terms = set()
    for _path, mark in marks:
        kept = tuple(level for level in mark.levels if level)
        terms.update("!".join(kept[:depth]) for depth in range(1, len(kept) + 1))
    opened: dict[tuple[str, ...], tuple[object, IndexMark]] = {}
    for path, mark in marks:
        written = "!".join(mark.levels)
        if not any(mark.levels):
            yield finding("I003", path, mark.line, mark.col)
            continue
        if not all(mark.levels):
            yield finding("I004", path, mark.line, mark.col, term=written)
        for target, kind in ((mark.see, "see"), (mark.see_also, "see also")):
            if target and target not in terms:
                yield finding("I001", path, mark.line, mark.col, term=written, target=target,
                              kind=kind)
        levels = tuple(level for level in mark.levels if level)
        if mark.range == "start":
            opened[levels] = (path, mark)
        elif mark.range == "end" and opened.pop(levels, None) is None:
            yield finding("I002", path, mark.line, mark.col, term=written,
                          problem="ends here but was never opened")
    for levels, (path, mark) in opened.items():
        written = "!".join(levels)
        yield finding("I002", path, mark.line, mark.col, term=written,
                      problem="opens here and is never closed: only its first page is listed")
