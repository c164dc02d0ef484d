"""Heading rules (H): each chapter opens with one title and its outline has no gaps."""

from __future__ import annotations

from collections.abc import Iterator

from publish.checks.base import CheckInput
from publish.diagnostics import Diagnostic
from publish.rules import finding
from publish.source import first_content_line


def check_first_heading(given: CheckInput) -> Iterator[Diagnostic]:
    """H001: the chapter's first block is a level-1 heading."""
    for chapter in given.chapters:
        start = first_content_line(chapter.chapter.text, chapter.chapter.first_line)
        first = chapter.headings[0] if chapter.headings else None
        if first is None or first.level != 1 or first.line != start:
            yield finding("H001", chapter.chapter.path, start, 1)


def check_single_h1(given: CheckInput) -> Iterator[Diagnostic]:
    """H002: one level-1 heading per chapter."""
    for chapter in given.chapters:
        titles = [h for h in chapter.headings if h.level == 1]
        for extra in titles[1:]:
            yield finding("H002", chapter.chapter.path, extra.line, extra.col,
                          first=titles[0].line)


def check_levels(given: CheckInput) -> Iterator[Diagnostic]:
    """H003: a heading goes at most one level deeper than the one before it."""
    for chapter in given.chapters:
        for before, heading in zip(chapter.headings, chapter.headings[1:], strict=False):
            if heading.level > before.level + 1:
                expected = before.level + 1
                yield finding("H003", chapter.chapter.path, heading.line, heading.col,
                              level=heading.level, previous=before.level, expected=expected,
                              marks="#" * expected)


def check_empty(given: CheckInput) -> Iterator[Diagnostic]:
    """H004: a heading has text."""
    for chapter in given.chapters:
        for heading in chapter.headings:
            if not heading.text:
                yield finding("H004", chapter.chapter.path, heading.line, heading.col)
