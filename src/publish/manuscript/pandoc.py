"""Pandoc's Markdown where Python-Markdown has none of it: fenced divs (`:::`), line blocks
(`| `), `\\newpage`/`\\pagebreak`, and heading attributes `{-}`. (Backslash line breaks,
`^sup^`, `~sub~`, `~~strike~~` and bracketed spans come from pymdown-extensions: see
publish.manuscript.markup.)

All four are rewritten, before Python-Markdown's own block parsing, into the HTML Pandoc
writes for them — a `div` with the fence's id, classes and attributes, parsed as Markdown
inside (`markdown="1"`, md_in_html); `div.line-block` with a `<br />` after each line and
leading spaces kept as no-break spaces (`markdown="span"`: inline Markdown, no paragraph);
a blank `div.newpage` that the print edition breaks the page at and the EPUB drops — so a
Pandoc user's CSS keeps working. Code (fenced or indented) is left alone.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

PRIORITY = 30
"""Before md_in_html reads raw HTML blocks (20) and after nothing that would see `:::`."""

_FENCE_OPEN = re.compile(r"^(:{3,})\s*(\{[^}]*\}|[^\s{}:][^\s{}]*)\s*:*\s*$")
_FENCE_CLOSE = re.compile(r"^:{3,}\s*$")
_CODE_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_LINE_BLOCK = re.compile(r"^\|(?: |$)")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")
_EMPTY_HEADING = re.compile(r"^#{1,6}\s*$")
_TILDE_DEFINITION = re.compile(r"^~[ \t]+\S")
_NEWPAGE = re.compile(r"^\s*\\(newpage|pagebreak)\s*$")
_UNNUMBERED = re.compile(r"\{([^}]*?)(?<![\w-])-(?![\w-])([^}]*)\}\s*$")
_ATTRIBUTE = re.compile(r'([#.])([\w-]+)|([\w-]+)=("[^"]*"|\'[^\']*\'|[^\s}]+)')
NEWPAGE_HTML = '<div class="newpage"> </div>'
"""Not empty: serialised as XML an empty div is `<div/>`, which an HTML parser leaves open."""


def attributes(text: str) -> dict[str, str]:
    """A Pandoc attribute block (`{#id .class key=value}`) or one bare word (a class), as
    HTML attributes."""
    text = text.strip()
    if not text.startswith("{"):
        return {"class": text}
    found: dict[str, str] = {}
    classes = []
    for mark, name, key, value in _ATTRIBUTE.findall(text[1:-1]):
        if mark == "#":
            found["id"] = name
        elif mark == ".":
            classes.append(name)
        elif key:
            found[key] = value.strip("\"'")
    if classes:
        found["class"] = " ".join(classes)
    return found


def _open_tag(attrs: dict[str, str], mode: str) -> str:
    shown = "".join(f' {k}="{html.escape(v, quote=True)}"' for k, v in attrs.items())
    return f'<div{shown} markdown="{mode}">'


class PandocBlocks(Preprocessor):
    """Fenced divs, line blocks, page breaks and `{-}`, as HTML Python-Markdown keeps."""

    def run(self, lines: list[str]) -> list[str]:
        return list(self._rewrite(lines, _matched_fences(lines), _table_lines(lines)))

    def _rewrite(self, lines: list[str], fences: set[int], tables: set[int]
                 ) -> Iterator[str]:
        fence = None  # the code fence we are inside, if any
        index = 0
        while index < len(lines):
            line = lines[index]
            code = _CODE_FENCE.match(line)
            if fence is not None:
                if code and code.group(1)[0] == fence[0] and len(code.group(1)) >= len(fence):
                    fence = None
                yield line
                index += 1
                continue
            if code:
                fence = code.group(1)
                yield line
                index += 1
                continue
            if index in fences and (opening := _FENCE_OPEN.match(line)):
                yield from ("", _open_tag(attributes(opening.group(2)), "1"), "")
            elif index in fences:
                yield from ("", "</div>", "")
            elif _NEWPAGE.match(line):
                yield from ("", NEWPAGE_HTML, "")
            elif line.startswith(": ") and _beside_table(lines, index, tables):
                yield "Table" + line  # a table's caption, not a definition
            elif _EMPTY_HEADING.match(line):
                yield line.rstrip() + " "  # an empty heading, as Pandoc has it (saneheaders)
            elif _TILDE_DEFINITION.match(line):
                yield ":" + line[1:]  # Pandoc's other mark of a definition
            elif _LINE_BLOCK.match(line) and index not in tables:
                end = index
                while end < len(lines) and (_LINE_BLOCK.match(lines[end]) or (
                        end > index and lines[end].startswith(" ") and lines[end].strip())):
                    end += 1
                yield from ("", *_line_block(lines[index:end]), "")
                index = end
                continue
            elif line.lstrip().startswith("#"):
                yield _UNNUMBERED.sub(_unnumbered, line)
            else:
                yield line
            index += 1


def _matched_fences(lines: list[str]) -> set[int]:
    """The lines of fenced-div fences that open and close a div (as in Pandoc, a fence
    without its pair is text), code blocks skipped."""
    matched: set[int] = set()
    opened: list[int] = []
    fence = None
    for index, line in enumerate(lines):
        code = _CODE_FENCE.match(line)
        if fence is not None:
            if code and code.group(1)[0] == fence[0] and len(code.group(1)) >= len(fence):
                fence = None
            continue
        if code:
            fence = code.group(1)
        elif _FENCE_OPEN.match(line):
            opened.append(index)
        elif _FENCE_CLOSE.match(line) and opened:
            matched |= {opened.pop(), index}
    return matched


def _unnumbered(match: re.Match[str]) -> str:
    """`{-}` is Pandoc's `{.unnumbered}` (attr_list would make `-` an attribute)."""
    return "{" + f"{match.group(1)} .unnumbered {match.group(2)}".strip() + "}"


def _beside_table(lines: list[str], index: int, tables: set[int]) -> bool:
    """Whether line `index` opens a paragraph right after or right before a table (one blank
    line between)."""
    return (index >= 2 and not lines[index - 1].strip() and index - 2 in tables) or (
        index + 2 < len(lines) and not lines[index + 1].strip() and index + 2 in tables)


def _table_lines(lines: list[str]) -> set[int]:
    """The lines of pipe tables: each run of non-blank lines one of which is a rule row
    (`|---|:--:|`) is a table, its rows starting with `|` or not."""
    found: set[int] = set()
    start = 0
    while start < len(lines):
        end = start
        while end < len(lines) and lines[end].strip():
            end += 1
        run = range(start, end)
        if any(_TABLE_RULE.match(lines[i]) and "|" in lines[i] for i in run):
            found.update(run)
        start = end + 1
    return found


def _line_block(lines: list[str]) -> list[str]:
    """A line block: each `| ` line kept, a line starting with a space continuing the one
    before, leading spaces after the bar kept as no-break spaces."""
    kept: list[str] = []
    for line in lines:
        if line.startswith("|"):
            text = line[2:] if line.startswith("| ") else line[1:]
            body = text.lstrip(" ")
            kept.append("\u00a0" * (len(text) - len(body)) + body)
        elif kept:
            kept[-1] += " " + line.strip()
    joined = "<br />\n".join(kept)
    return [f'<div class="line-block" markdown="span">{joined}</div>']


_ITEM = re.compile(r"^( *)(?:(?P<bullet>[-*+])|(?P<paren>\((?:\d+|[a-zA-Z]|[ivxlcdmIVXLCDM]+|#)\))"
                   r"|(?P<example>\(@[\w-]*\))|(?P<ordered>(?:\d+|#|[a-zA-Z]|[ivxlcdmIVXLCDM]+)"
                   r"[.)]))(?P<space> {1,4}|\t)(?=\S)")
_RULE_LINE = re.compile(r"^ {0,3}([-*_])(?: *\1){2,} *$")
_EXAMPLE_REF = re.compile(r"\(@([\w-]+)\)")


class PandocLists(Preprocessor):
    """Pandoc's list rules in Python-Markdown's terms (pymdownx.fancylists reads the rest:
    `a.`, `A)`, `iv.`, `#.`, start numbers). Pandoc nests a list, or continues an item,
    by indenting to the item's text (`- ` two spaces, `1. ` three), where Python-Markdown
    wants four; so each line inside a list is indented again, four spaces a level. `(a)`
    becomes `a)`; example items `(@)` or `(@label)` are numbered on through the chapter, and
    a `(@label)` in the text is replaced by its number. Fenced and indented code outside a
    list is left alone."""

    def run(self, lines: list[str]) -> list[str]:
        numbers, labels = _example_numbers(lines)
        made: list[str] = []
        items: list[int] = []  # the text column of each open item, outermost first
        fence = None
        lazy = False  # the line before was a list's text: an unindented one continues it
        for index, line in enumerate(lines):
            if fence is not None:
                made.append(line)
                if _CODE_FENCE.match(line) and line.strip().startswith(fence):
                    fence = None
                continue
            if not line.strip():
                made.append(line)
                lazy = False
                continue
            expanded = line.expandtabs(4)
            indent = len(expanded) - len(expanded.lstrip(" "))
            item = None if _RULE_LINE.match(expanded) else _ITEM.match(expanded)
            if not items and (item is None or indent >= 4):
                code = _CODE_FENCE.match(line)
                if code and indent < 4:
                    fence = code.group(1)
                made.append(_examples(line, labels))
                continue
            if item is not None:
                while items and indent < items[-1]:
                    items.pop()
                made.append("    " * len(items) + _marker(item, numbers.get(index, 0)) + " "
                            + _examples(expanded[item.end():], labels))
                items.append(item.end())
                lazy = True
                continue
            while items and indent < items[-1]:
                items.pop()
            if items:
                made.append("    " * len(items) + " " * (indent - items[-1])
                            + _examples(expanded.lstrip(" "), labels))
                lazy = True
            elif lazy:  # a paragraph of an item, continued without indent
                made.append(_examples(line, labels))
            else:
                made.append(_examples(line, labels))
        return made


def _example_numbers(lines: list[str]) -> tuple[dict[int, int], dict[str, int]]:
    """The number of each example item (by line) and of each example label, counted on
    through the chapter."""
    numbers: dict[int, int] = {}
    labels: dict[str, int] = {}
    for index, line in enumerate(lines):
        item = _ITEM.match(line.expandtabs(4))
        if item and item.group("example"):
            numbers[index] = len(numbers) + 1
            if item.group("example")[2:-1]:
                labels[item.group("example")[2:-1]] = numbers[index]
    return numbers, labels


def _marker(item: re.Match[str], number: int) -> str:
    """The item's marker as Python-Markdown (with fancylists) reads it."""
    if item.group("bullet"):
        return item.group("bullet")
    if item.group("paren"):
        return item.group("paren")[1:-1] + ")"
    if item.group("example"):
        return f"{number}."
    return item.group("ordered")


def _examples(line: str, labels: dict[str, int]) -> str:
    """A line's references to labelled examples, as their numbers."""
    return _EXAMPLE_REF.sub(lambda m: str(labels[m.group(1)]) if m.group(1) in labels
                            else m.group(0), line)


class PandocExtension(Extension):
    """Registers PandocBlocks and PandocLists as preprocessors (see PRIORITY)."""

    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(PandocBlocks(md), "pandoc-blocks", PRIORITY)
        md.preprocessors.register(PandocLists(md), "pandoc-lists", PRIORITY - 1)
