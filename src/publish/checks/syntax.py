"""Syntax rules (T009–T015, T017): Markdown or Pandoc syntax that reached the text a reader sees.

Read from the rendered chapter — the words the EPUB and the PDF will show, code left out —
so that only what Python-Markdown and our Pandoc extensions did *not* turn into typography
is reported, each at the first place in the Markdown source where it is written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from publish.checks.base import CheckInput
from publish.diagnostics import Diagnostic
from publish.model import RenderedChapter
from publish.rules import finding
from publish.xhtml import parse_fragment

_CODE = ("code", "pre", "kbd", "samp", "script", "style", "textarea")
_SYNTAX: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("T017", re.compile(r"\[-?@[\w:.#$%&+?<>~/-]+[^\]]*\]")),  # before T012's brackets
    ("T009", re.compile(r"\{[:#.][^{}\n]*\}|\{-\}")),
    ("T010", re.compile(r"(?m)^\s*:{3,}.*$|:{3,}")),
    ("T012", re.compile(r"\]\{")),  # a `[^note]` left as text is L005's
    ("T013", re.compile(r"(?<![\w^])\^[^\s^][^^\n]*?\^(?!\^)|(?<![\w~])~[^\s~][^~\n]*?~(?!~)")),
    ("T014", re.compile(r"(?m)^\|")),
    # An emphasis mark that opens and is never closed (one after a word, `footnote*`, `:P_`,
    # is a sign the author typed; `snake_case` is a word).
    ("T015", re.compile(r"(?<![^\s(\[\"'‘“])\*{1,3}(?=\w)|(?<![^\s(\[\"'‘“])_{1,3}(?=[^\W_])")),
)


def check_syntax(given: CheckInput) -> Iterator[Diagnostic]:
    """T009–T017 in every chapter's rendered text."""
    for chapter in given.chapters:
        seen: set[tuple[str, int, int]] = set()
        text = reader_text(chapter.body)
        for code, pattern in _SYNTAX:
            if code == "T017" and given.book.bibliography:
                continue  # cited: a key or a bibliography that fails is L013's or L014's
            for match in pattern.finditer(text):
                snippet = match.group(0).strip()
                line, col = _source_place(chapter, code, snippet,
                                          text[match.end():match.end() + 12].split("\n")[0])
                if (code, line, col) in seen or not line or _typed_escaped(chapter, line, col):
                    continue
                seen.add((code, line, col))
                yield finding(code, chapter.chapter.path, line, col, text=snippet[:40])
        for table in parse_fragment(chapter.body).xpath(".//pre[@class='grid-table-error']"):
            rows = [row.strip() for row in (table.text or "").split("\n")]
            raw = [line.raw.strip() for line in chapter.source.lines]
            at = next((i for i in range(len(raw)) if raw[i:i + len(rows)] == rows), None)
            number = chapter.source.lines[at].number if at is not None else 0
            yield finding("T020", chapter.chapter.path, number, 1)
        if _ends_in_backslash(text):
            line, col = _trailing_backslash(chapter)
            if line:  # else every one is escaped (`\\\\`): printed as the author meant
                yield finding("T011", chapter.chapter.path, line, col)


def reader_text(body: str, code_as: str = "") -> str:
    """The chapter's text as a reader sees it: block by block, code and math left out (or
    each standing as `code_as`: a word, for the checks that look at what is beside it)."""
    root = parse_fragment(body)
    math = root.xpath(".//*[local-name()='math'] | .//span[contains(@class, 'math')]")
    for element in [*root.iter(*_CODE), *math]:
        tail = element.tail
        parent = element.getparent()
        if parent is not None:
            element.clear()
            element.text = code_as or None
            element.tail = tail
    blocks = []
    for block in root.iter("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "td",
                           "th", "figcaption", "div"):
        if block.tag == "div" and block.find("p") is not None:
            continue  # its paragraphs speak for it
        pieces = [block.text or ""]
        for child in block:
            if child.tag == "br":
                pieces.append("\n")
            elif child.tag not in ("p", "div", "ul", "ol"):
                pieces.append("".join(child.itertext()))
            pieces.append(child.tail or "")
        blocks.append("".join(pieces))
    return "\n\n".join(blocks)


def _ends_in_backslash(text: str) -> bool:
    return any(line.rstrip().endswith("\\") for line in text.split("\n"))


def _escaped(line: str) -> bool:
    """Whether `line` ends in an escaped backslash (`\\\\`: one printed, as meant)."""
    stripped = line.rstrip()
    return (len(stripped) - len(stripped.rstrip("\\"))) % 2 == 0


def _source_place(chapter: RenderedChapter, code: str, snippet: str,
                  after: str = "") -> tuple[int, int]:
    """Where the snippet is written: the first prose line holding it with the words that
    follow it (a `**` left open is not the `***` of a scene break above it), else the
    first holding it alone; for `|`, the first line that opens with one."""
    source = chapter.source
    if code == "T014":
        for line in source.lines:
            if line.kind != "code" and line.raw.startswith("|"):
                return line.number, 1
        return 0, 0  # typed `\|`: printed as meant
    for length in (len(after), 6, 2):
        if length and len(after) >= length and after[:length].strip() == after[:length]:
            line, col = source.position_of(snippet + after[:length], 0)
            if line:
                return line, col
    return source.position_of(snippet, chapter.chapter.first_line)


def _typed_escaped(chapter: RenderedChapter, line: int, col: int) -> bool:
    """Whether the mark found at (line, col) is typed with a backslash before it."""
    typed = next((ln.raw for ln in chapter.source.lines if ln.number == line), "")
    return 1 < col <= len(typed) and typed[col - 2] == "\\"


def _trailing_backslash(chapter: RenderedChapter) -> tuple[int, int]:
    for line in chapter.source.lines:
        stripped = line.raw.rstrip()
        if line.kind != "code" and stripped.endswith("\\") and not _escaped(stripped):
            return line.number, len(stripped)
    return 0, 0
