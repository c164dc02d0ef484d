"""Heading rules (H): each chapter opens with one title and its outline has no gaps."""

from __future__ import annotations

import re
from collections.abc import Iterator

from publish.checks.base import CheckInput
from publish.diagnostics import Diagnostic
from publish.manuscript.source import first_content_line
from publish.model import Heading, RenderedChapter
from publish.rules import finding


def check_empty_chapter(given: CheckInput) -> Iterator[Diagnostic]:
    """S006: a chapter file holds something."""
    for chapter in given.chapters:
        if not chapter.chapter.text.strip():
            yield finding("S006", chapter.chapter.path, 1, 1)


def check_first_heading(given: CheckInput) -> Iterator[Diagnostic]:
    """H001: the chapter's first block is a level-1 heading."""
    for chapter in given.chapters:
        if not chapter.chapter.text.strip() or not chapter.role.titled:
            continue  # S006 says it, or it is a dedication or an epigraph
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


def check_duplicate_titles(given: CheckInput) -> Iterator[Diagnostic]:
    """H005: no two chapters share a title."""
    first_seen: dict[str, RenderedChapter] = {}
    for chapter in given.chapters:
        title = _title_heading(chapter)
        if title is None:
            continue
        key = " ".join(title.text.casefold().split())
        if key in first_seen:
            where = first_seen[key].chapter.path.name
            yield finding("H005", chapter.chapter.path, title.line, title.col, title=title.text,
                          where=where)
        else:
            first_seen[key] = chapter


def check_numbering(given: CheckInput) -> Iterator[Diagnostic]:
    """H006: numbered titles ("Chapter 4", "Part IV", "Chapter Four") go up one at a time."""
    previous: dict[str, tuple[int, str]] = {}
    for chapter in given.chapters:
        title = _title_heading(chapter)
        match = _NUMBERED.match(title.text) if title else None
        number = _number(match.group(2)) if match else None
        if title is None or match is None or number is None:
            continue
        kind = match.group(1).casefold()
        if kind in previous and number != previous[kind][0] + 1:
            expected = f"{match.group(1)} {_like(match.group(2), previous[kind][0] + 1)}"
            yield finding("H006", chapter.chapter.path, title.line, title.col,
                          title=title.text, previous=previous[kind][1], expected=expected)
        previous[kind] = (number, title.text)


def check_full_stop(given: CheckInput) -> Iterator[Diagnostic]:
    """H007: headings do not end with a full stop."""
    for chapter in given.chapters:
        for heading in chapter.headings:
            if re.search(r"(?<![.\s])\.$", heading.text) and not _ABBREVIATION.search(
                    heading.text):
                yield finding("H007", chapter.chapter.path, heading.line, heading.col)


_NUMBERED = re.compile(r"^(chapter|part|book|section|letter|volume)\s+([\w-]+)\b",
                       re.IGNORECASE)
_ABBREVIATION = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|etc|vs)\.$")
_WORDS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
          "fourteen fifteen sixteen seventeen eighteen nineteen").split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}


def _title_heading(chapter: RenderedChapter) -> Heading | None:
    return next((h for h in chapter.headings if h.level == 1), None)


def _number(token: str) -> int | None:
    """12, XII or twelve (up to ninety-nine in words) → 12; anything else → None."""
    word = token.casefold()
    if word.isdigit():
        return int(word)
    if re.fullmatch(r"[ivxlcdm]+", word):
        values = [_ROMAN[c] for c in word]
        return sum(-v if i + 1 < len(values) and v < values[i + 1] else v
                   for i, v in enumerate(values))
    if word in _WORDS:
        return _WORDS.index(word)
    tens, _, unit = word.partition("-")
    if tens in _TENS and (not unit or unit in _WORDS[1:10]):
        return 20 + 10 * _TENS.index(tens) + (_WORDS.index(unit) if unit else 0)
    return None


def _like(token: str, number: int) -> str:
    """`number` written the way `token` is (digits or Roman numerals; words as digits)."""
    if re.fullmatch(r"[IVXLCDM]+", token):
        return _roman(number)
    if re.fullmatch(r"[ivxlcdm]+", token):
        return _roman(number).lower()
    return str(number)


def _roman(number: int) -> str:
    digits = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
              (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for value, letters in digits:
        while number >= value:
            out, number = out + letters, number - value
    return out
