"""Where things stand in a chapter's Markdown source.

Python-Markdown keeps no line numbers, so findings about rendered headings are located by
this scan of the source, which follows Python-Markdown's own block rules (not CommonMark's):
fenced code, indented code and raw HTML blocks are skipped; `#` headings need no space and
no indent; a setext underline makes a heading only of the first line of a block.
A test renders fixtures with Python-Markdown and checks that both agree on every heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_FENCE = re.compile(r"^(`{3,}|~{3,})")
_ATX = re.compile(r"^(#{1,6})(.*?)#*\s*$")
_SETEXT = re.compile(r"^(=+|-+)[ ]*$")
_QUOTE = re.compile(r"^(?: {0,3}> ?)+")
_HTML_OPEN = re.compile(r"^<([a-zA-Z][a-zA-Z0-9]*)[\s/>]")
# Python-Markdown's block-level tags: a block that starts with one of these is raw HTML.
_BLOCK_TAGS = frozenset(
    "address article aside blockquote details dialog dd div dl dt fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr main menu nav ol p pre "
    "section table ul canvas math noscript script style iframe video audio center".split()
)


@dataclass(frozen=True)
class SourceHeading:
    """A heading as written: its level, its text, and where its line starts."""

    level: int
    text: str
    line: int
    col: int


def scan_headings(text: str, first_line: int = 1) -> list[SourceHeading]:
    """Every heading Python-Markdown will make of `text`, in order, with its source line.

    `first_line` is the line of the file on which `text` begins.
    """
    lines = text.expandtabs(4).split("\n")
    headings: list[SourceHeading] = []
    index = 0
    block_start = True  # the next non-blank line begins a block
    while index < len(lines):
        raw = lines[index]
        line = _QUOTE.sub("", raw)
        if not line.strip():
            block_start = True
            index += 1
            continue
        if fence := _FENCE.match(line):
            index = _skip_fence(lines, index, fence.group(1))
            block_start = True
            continue
        if block_start and (tag := _HTML_OPEN.match(line)) and tag.group(1).lower() in _BLOCK_TAGS:
            index = _skip_html(lines, index, tag.group(1).lower())
            block_start = True
            continue
        if line.startswith("    ") and block_start:
            index = _skip_indented(lines, index)
            block_start = True
            continue
        if atx := _ATX.match(line):
            headings.append(SourceHeading(len(atx.group(1)), atx.group(2).strip(),
                                          first_line + index, 1))
            block_start = True  # Python-Markdown starts a new block after a `#` line
            index += 1
            continue
        following = _QUOTE.sub("", lines[index + 1]) if index + 1 < len(lines) else ""
        if block_start and (under := _SETEXT.match(following)):
            level = 1 if under.group(1).startswith("=") else 2
            headings.append(SourceHeading(level, line.strip(), first_line + index, 1))
            index += 2
            block_start = True
            continue
        block_start = False
        index += 1
    return headings


def _skip_fence(lines: list[str], index: int, fence: str) -> int:
    closing = re.compile(rf"^{re.escape(fence)}[ ]*$")
    for end in range(index + 1, len(lines)):
        if closing.match(lines[end]):
            return end + 1
    return index + 1  # an unclosed fence is ordinary text to Python-Markdown


def _skip_html(lines: list[str], index: int, tag: str) -> int:
    opening = re.compile(rf"<{tag}(?=[\s/>])", re.IGNORECASE)
    closing = re.compile(rf"</{tag}\s*>", re.IGNORECASE)
    depth = 0
    for end in range(index, len(lines)):
        depth += len(opening.findall(lines[end])) - len(closing.findall(lines[end]))
        if depth <= 0 or tag == "hr":
            return end + 1
    return len(lines)


def _skip_indented(lines: list[str], index: int) -> int:
    end = index
    while end < len(lines) and (lines[end].startswith("    ") or not lines[end].strip()):
        end += 1
    return end


def first_content_line(text: str, first_line: int = 1) -> int:
    """The line of the first non-blank line of `text` (or `first_line` when all is blank)."""
    for offset, line in enumerate(text.split("\n")):
        if line.strip():
            return first_line + offset
    return first_line
