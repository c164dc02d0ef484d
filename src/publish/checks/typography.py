"""Typography rules (T): what a copy-editor marks in prose. Code, tags and link targets are
never prose: the rules read the source's masked prose lines (see publish.manuscript.source)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from publish.checks.base import CheckInput
from publish.diagnostics import Diagnostic
from publish.manuscript.source import MASK
from publish.model import RenderedChapter, SourceLine
from publish.rules import finding

_PATTERNS = {
    "T001": re.compile(r"'"),
    "T002": re.compile(r'"'),
    "T004": re.compile(r"(?<!\.)\.\.\.(?!\.)|\. \. \."),
    "T005": re.compile(r"(?<=\S) {2,}(?=\S)"),
    "T006": re.compile(r"(?<=\w) +(?=[,.;:!?](?:\s|$))"),
}
# French sets a thin space before ; : ! ? — do not flag it there.
_SPACED_PUNCTUATION_LANGS = ("fr",)
_DOUBLE_QUOTES = re.compile("[\u201c\u201d]")
_REPEATED = re.compile(r"(?<![\w'’])([^\W\d_]+)\s+(\1)(?![\w'’])", re.IGNORECASE)
# Doubled words that English grammar allows.
_DOUBLES_ALLOWED = frozenset({"had", "that", "her", "is", "do", "bye", "very", "so", "ha", "no"})


_HYPHEN_RUN = re.compile(r"-{4,}")
_SPACED_EN = re.compile(r"(?<=\w) -- (?=\w)")
_EM_DASHES = re.compile(r"(?<!-)---(?!-)|\u2014")


def check_dashes(given: CheckInput) -> Iterator[Diagnostic]:
    """T003: dashes typed as Pandoc types them (`--` en, `---` em) are fine: the output has
    the dash. Flagged are runs that make no single dash (`----`), and a spaced `--` (a spaced
    en dash) in a book whose other dashes are em dashes, where an em dash was surely meant."""
    em_book = any(_EM_DASHES.search(line.prose) for chapter in given.chapters
                  for line in chapter.source.lines if line.prose)
    for chapter in given.chapters:
        for line in chapter.source.lines:
            if not line.prose:
                continue
            for match in _HYPHEN_RUN.finditer(line.prose):
                yield finding("T003", chapter.chapter.path, line.number, match.start() + 1,
                              text=match.group(0), result="an em dash and hyphens")
            for match in _SPACED_EN.finditer(line.prose) if em_book else ():
                yield finding("T003", chapter.chapter.path, line.number, match.start() + 2,
                              text="--", result="a spaced en dash, in a book whose other "
                              "dashes are em dashes")


def check_patterns(given: CheckInput) -> Iterator[Diagnostic]:
    """T001, T002, T004–T006: straight quotes, three dots, double spaces, spaced
    punctuation."""
    codes = list(_PATTERNS)
    if given.book.metadata.lang.lower().startswith(_SPACED_PUNCTUATION_LANGS):
        codes.remove("T006")
    for chapter in given.chapters:
        for line in chapter.source.lines:
            if not line.prose:
                continue
            for code in codes:
                if code == "T005" and line.kind == "table":
                    continue  # a table's cells are padded to line up: no reader sees it
                for match in _PATTERNS[code].finditer(line.prose):
                    yield finding(code, chapter.chapter.path, line.number, match.start() + 1,
                                  text=match.group(0).strip() or "spaces")


def check_quote_balance(given: CheckInput) -> Iterator[Diagnostic]:
    """T007: double quotes are closed, and not closed before they are opened.

    As typesetters do, a speech may run over several paragraphs: a paragraph leaves its
    quotation open when the next one opens again with “ (or, as in letters, goes on and
    closes it with ”).
    """
    for chapter in given.chapters:
        carried: tuple[list[SourceLine], int] | None = None  # an open quotation, and where
        for paragraph in chapter.source.paragraphs():
            text = "\n".join(line.prose for line in paragraph)
            lead = len(text) - len(text.lstrip(" \n" + MASK))
            depth, skip = 0, -1
            if carried is not None:
                rest = text[lead:]
                close, reopen = rest.find("\u201d"), rest.find("\u201c")
                if rest.startswith("\u201c"):
                    depth, skip = 1, lead  # the usual: each paragraph of a speech reopens
                elif close != -1 and (reopen == -1 or close < reopen):
                    depth = 1  # the speech goes on and closes here
                else:
                    yield _at(chapter, *carried, "T007")
            # Where this paragraph's open quotation starts (for carried speech: its start).
            opened_at, problem = (skip if skip >= 0 else lead) if depth else -1, None
            for quote in _DOUBLE_QUOTES.finditer(text):
                offset, char = quote.start(), quote.group(0)
                if char == "\u201c" and offset != skip:
                    if depth and problem is None:
                        problem = offset  # opened again before it was closed
                    depth, opened_at = 1, offset
                elif char == "\u201d":
                    if not depth and problem is None:
                        problem = offset  # closed but never opened
                    depth = 0
            if problem is not None:
                yield _at(chapter, paragraph, problem, "T007")
            carried = (paragraph, opened_at) if depth else None
        if carried is not None:
            yield _at(chapter, *carried, "T007")


def check_repeated_words(given: CheckInput) -> Iterator[Diagnostic]:
    """T008: the same word twice in a row ("the the"), across line ends too."""
    for chapter in given.chapters:
        for paragraph in chapter.source.paragraphs():
            text = "\n".join(line.prose for line in paragraph)
            for match in _REPEATED.finditer(text):
                word = match.group(2)
                if word.lower() not in _DOUBLES_ALLOWED:
                    yield _at(chapter, paragraph, match.start(2), "T008", word=word)


def _at(chapter: RenderedChapter, paragraph: list[SourceLine], offset: int, code: str,
        **fields: object) -> Diagnostic:
    """A finding at character `offset` of the paragraph's lines joined with newlines."""
    for line in paragraph:
        if offset <= len(line.prose):
            return finding(code, chapter.chapter.path, line.number, offset + 1, **fields)
        offset -= len(line.prose) + 1
    last = paragraph[-1]
    return finding(code, chapter.chapter.path, last.number, 1, **fields)
