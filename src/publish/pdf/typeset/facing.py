"""Facing pages: which pages of a run face each other, and when a spread is uneven. The one
definition the typographic report, evening out and reaching back all use."""

from __future__ import annotations

from collections.abc import Iterator


def facing_pairs(count: int, first_right: bool) -> Iterator[tuple[int, int]]:
    """(left page, right page) by index for each spread of `count` pages whose first page
    is a right-hand page when `first_right` (a book's page 1 is)."""
    for verso in range(1 if first_right else 0, count - 1, 2):
        yield verso, verso + 1


def lines_apart(left: float, right: float, line_height: float) -> int:
    """How many lines deeper the right page's text goes than the left's (below 0: the left
    goes deeper), depths and line in one unit. A spread is uneven when its pages are a
    line or more apart: half a line and more, rounded."""
    return round((right - left) / line_height) if line_height else 0
