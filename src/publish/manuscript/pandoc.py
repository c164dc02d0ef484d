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
        return list(self._rewrite(lines, _matched_fences(lines)))

    def _rewrite(self, lines: list[str], fences: set[int]) -> Iterator[str]:
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
            elif _LINE_BLOCK.match(line) and not _is_table(lines, index):
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


def _is_table(lines: list[str], index: int) -> bool:
    """Whether the `|` lines from `index` are a pipe table (a rule row under the header)."""
    end = index
    while end < len(lines) and lines[end].lstrip().startswith("|"):
        if _TABLE_RULE.match(lines[end]):
            return True
        end += 1
    return False


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


class PandocExtension(Extension):
    """Registers PandocBlocks as a preprocessor (see PRIORITY)."""

    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(PandocBlocks(md), "pandoc-blocks", PRIORITY)
