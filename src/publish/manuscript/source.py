"""Where things stand in a chapter's Markdown source: the line map every check uses.

Python-Markdown keeps no line numbers, so this module classifies each source line by
Python-Markdown's own block rules (not CommonMark's): fenced code, indented code (but not a
list item's indented continuation) and raw HTML blocks; `#` headings need a space after the
marks (as Pandoc and pymdownx.saneheaders read them) and no indent; a setext underline makes
a heading only of the first line of a block. For prose lines
it also keeps a *masked* copy, the same length as the line, in which everything that is not
text a reader sees (inline code, tags, link targets, attribute lists, footnote markers,
heading marks) is blanked out — so typography checks report true columns.
A test renders fixtures with Python-Markdown and checks that both agree on every heading.
"""

from __future__ import annotations

import re

from publish.manuscript.pandoc import MARKDOWN_INSIDE, metadata_blocks, table_kinds
from publish.manuscript.tex import raw_blocks, spans
from publish.model import ChapterSource, SourceHeading, SourceLine

_FENCE = re.compile(r"^(`{3,}|~{3,})")
_ATX = re.compile(r"^(#{1,6})(?=[ \t]|$)(.*?)#*\s*$")
_SETEXT = re.compile(r"^(=+|-+)[ ]*$")
_QUOTE = re.compile(r"^(?: {0,3}> ?)+")
_HTML_OPEN = re.compile(r"^<([a-zA-Z][a-zA-Z0-9]*)[\s/>]")
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ ]*\1){2,}[ ]*$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
_LIST_ITEM = re.compile(r"^ {0,3}(?:[-*+]|\d+\.)\s+")
_REF_DEF = re.compile(r"^ {0,3}\[(?!\^)[^\]]+\]:\s*\S")
_COMMENT_ONLY = re.compile(r"^\s*<!--.*-->\s*$")
# Pandoc's fenced-div fences and `\newpage`: markup, never prose (publish.manuscript.pandoc).
_PANDOC_MARKUP = re.compile(r"^(?::{3,}.*|\s*\\(?:newpage|pagebreak)\s*)$")
# Python-Markdown's block-level tags: a block that starts with one of these is raw HTML.
_BLOCK_TAGS = frozenset(
    "address article aside blockquote details dialog dd div dl dt fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr main menu nav ol p pre "
    "section table ul canvas math noscript script style iframe video audio center".split()
)
_CODE_TAGS = frozenset({"pre", "script", "style", "math", "canvas"})

# What a reader never sees, blanked out of prose lines (the order matters: code first).
_MASKS = [
    re.compile(r"(`+)(?:(?!\1).)+?\1"),  # inline code
    re.compile(r"<!--.*?-->"),  # comments
    re.compile(r"</?[A-Za-z][^<>]*>"),  # tags and autolinks
    re.compile(r"(?<=\])\((?:[^()\s]+|\([^)]*\))*(?:\s+\"[^\"]*\")?\)"),  # link targets
    re.compile(r"(?<=\])\[[^\]]*\]"),  # reference-style link labels
    re.compile(r"\[\^[^\]\s]+\]:?"),  # footnote markers
    re.compile(r"\{[:#.][^}]*\}"),  # attribute lists
    re.compile(r"https?://\S+"),  # bare URLs
    re.compile(r"&[A-Za-z][A-Za-z0-9]*;|&#x?[0-9A-Fa-f]+;"),  # character references
]


_SUPPRESS = re.compile(r"<!--\s*publish:\s*ignore\s+([A-Z0-9,\s]+?)\s*-->")


def scan(text: str, first_line: int = 1) -> ChapterSource:
    """Classify every line of `text`, which begins on line `first_line` of its file."""
    raw_lines = text.expandtabs(4).split("\n")
    kinds = _classify(raw_lines)
    lines = []
    headings = []
    for index, (raw, kind) in enumerate(zip(raw_lines, kinds, strict=True)):
        number = first_line + index
        prose = _mask(raw, kind) if kind in ("text", "heading", "html", "table") else ""
        if kind == "html":
            kind = "text" if prose.replace(MASK, "").strip() else "html"
        lines.append(SourceLine(number, kind, raw, prose))
        if kind == "heading":
            atx = _ATX.match(_QUOTE.sub("", raw))
            if atx:
                headings.append(SourceHeading(len(atx.group(1)), atx.group(2).strip(), number, 1))
            else:
                headings.append(SourceHeading(_setext_level(raw_lines[index + 1]),
                                              _QUOTE.sub("", raw).strip(), number, 1))
    return ChapterSource(tuple(lines), tuple(headings), _suppressions(lines))


def scan_headings(text: str, first_line: int = 1) -> list[SourceHeading]:
    """Every heading Python-Markdown will make of `text`, in order, with its source line."""
    return list(scan(text, first_line).headings)


def first_content_line(text: str, first_line: int = 1) -> int:
    """The line of the first non-blank line of `text` (or `first_line` when all is blank)."""
    for offset, line in enumerate(text.split("\n")):
        if line.strip():
            return first_line + offset
    return first_line


def _classify(lines: list[str]) -> list[str]:
    kinds = ["blank"] * len(lines)
    # Pandoc's YAML metadata blocks and raw TeX environments: never text a reader sees.
    set_apart = {i: "metadata" for first, end in metadata_blocks(lines) for i in range(first, end)}
    set_apart |= {i: "tex" for first, end in raw_blocks(lines) for i in range(first, end)}
    set_apart |= {i: "table-rule" if kind == "rule" else "table"
                  for i, kind in table_kinds(lines).items()}
    index = 0
    block_start = True  # the next non-blank line begins a block
    in_list = False  # an indented block after a list item continues the item
    while index < len(lines):
        line = _QUOTE.sub("", lines[index])
        if index in set_apart:
            kinds[index] = set_apart[index]
            index, block_start = index + 1, True
            continue
        if not line.strip():
            block_start = True
            index += 1
            continue
        if _COMMENT_ONLY.match(line):
            kinds[index] = "comment"
            index += 1
            continue
        if line.lstrip().startswith("<!--") and block_start:  # a comment over several lines
            end = next((i for i in range(index, len(lines)) if "-->" in lines[i]), index)
            kinds[index:end + 1] = ["comment"] * (end + 1 - index)
            index, block_start = end + 1, True
            continue
        if _PANDOC_MARKUP.match(line):
            kinds[index] = "markup"
            index, block_start = index + 1, True
            continue
        if fence := _FENCE.match(line):
            end = _fence_end(lines, index, fence.group(1))
            kinds[index:end] = ["code"] * (end - index)
            index, block_start = end, True
            continue
        tag = _HTML_OPEN.match(line)
        if block_start and tag and tag.group(1).lower() in MARKDOWN_INSIDE:
            # Pandoc reads what it holds as Markdown (publish.manuscript.pandoc): so do we.
            kinds[index] = "html"
            index, block_start, in_list = index + 1, True, False
            continue
        if block_start and tag and tag.group(1).lower() in _BLOCK_TAGS:
            end = _html_end(lines, index, tag.group(1).lower())
            kind = "code" if tag.group(1).lower() in _CODE_TAGS else "html"
            kinds[index:end] = [kind] * (end - index)
            index, block_start, in_list = end, True, False
            continue
        if line.startswith("    ") and block_start and not in_list:
            end = _indented_end(lines, index)
            kinds[index:end] = ["code" if _QUOTE.sub("", lines[i]).strip() else "blank"
                                for i in range(index, end)]
            index, block_start = end, True
            continue
        if _ATX.match(line):
            kinds[index] = "heading"
            index, block_start, in_list = index + 1, True, False
            continue
        following = _QUOTE.sub("", lines[index + 1]) if index + 1 < len(lines) else ""
        if block_start and _SETEXT.match(following) and not _RULE.match(line):
            kinds[index], kinds[index + 1] = "heading", "underline"
            index, block_start, in_list = index + 2, True, False
            continue
        if _RULE.match(line):
            kinds[index] = "rule"
        elif _TABLE_RULE.match(line) and "-" in line and "|" in line:
            kinds[index] = "table-rule"
        elif _REF_DEF.match(line):
            kinds[index] = "reference"
        else:
            kinds[index] = "text"
            if block_start:
                in_list = bool(_LIST_ITEM.match(line)) or (in_list and line.startswith("    "))
        block_start = False
        index += 1
    return kinds


def _setext_level(underline: str) -> int:
    return 1 if _QUOTE.sub("", underline).lstrip().startswith("=") else 2


def _fence_end(lines: list[str], index: int, fence: str) -> int:
    closing = re.compile(rf"^{re.escape(fence)}[ ]*$")
    for end in range(index + 1, len(lines)):
        if closing.match(_QUOTE.sub("", lines[end])):
            return end + 1
    return index + 1  # an unclosed fence is ordinary text to Python-Markdown


def _html_end(lines: list[str], index: int, tag: str) -> int:
    opening = re.compile(rf"<{tag}(?=[\s/>])", re.IGNORECASE)
    closing = re.compile(rf"</{tag}\s*>", re.IGNORECASE)
    depth = 0
    for end in range(index, len(lines)):
        depth += len(opening.findall(lines[end])) - len(closing.findall(lines[end]))
        if depth <= 0 or tag == "hr":
            return end + 1
    return len(lines)


def _indented_end(lines: list[str], index: int) -> int:
    """The end of an indented code block opening at `index` (inside a block quote too: each
    line is read without its `>` marks); always past `index`."""
    end = index + 1
    while end < len(lines):
        line = _QUOTE.sub("", lines[end])
        if not (line.startswith("    ") or not line.strip()):
            break
        end += 1
    while end > index + 1 and not _QUOTE.sub("", lines[end - 1]).strip():
        end -= 1  # trailing blanks stay blanks
    return end


MASK = "\x00"
"""Stands in a prose line for each character a reader does not see. It is neither a space nor
a word character, so hidden markup makes no false double space, spaced punctuation or
repeated word."""


def _blank(match: re.Match[str]) -> str:
    return MASK * len(match.group(0))


def _mask(raw: str, kind: str) -> str:
    prose = _QUOTE.sub(_blank, raw)
    if kind == "heading":
        prose = re.sub(r"^#{1,6}|#+\s*$", _blank, prose)
    prose = _LIST_ITEM.sub(_blank, prose, count=1)
    prose = re.sub(r"^\|(?: +|$)", _blank, prose)  # a line block's bar and indentation
    prose = re.sub(r"^:\s{1,3}(?=\S)", _blank, prose)  # definition-list marker
    for pattern in _MASKS:
        prose = pattern.sub(_blank, prose)
    for span in spans(prose):  # math and raw TeX (code is masked already)
        prose = prose[:span.start] + MASK * (span.end - span.start) + prose[span.end:]
    return prose


def _suppressions(lines: list[SourceLine]) -> dict[int, frozenset[str]]:
    """`<!-- publish: ignore T001 -->` silences its own line, or, alone on a line, the next
    non-blank one."""
    found: dict[int, frozenset[str]] = {}
    pending: frozenset[str] = frozenset()
    for line in lines:
        match = _SUPPRESS.search(line.raw)
        codes = frozenset(re.split(r"[\s,]+", match.group(1).strip())) if match else frozenset()
        if line.kind == "comment":
            pending |= codes
            continue
        if not line.raw.strip():
            continue
        if codes or pending:
            found[line.number] = codes | pending
            pending = frozenset()
    return found
