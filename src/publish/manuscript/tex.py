"""TeX in Pandoc's Markdown, read as Pandoc reads it (its `tex_math_dollars` and `raw_tex`
extensions, on by default).

Math between dollars becomes MathML (latex2mathml), as Pandoc's `--mathml` writes it: the
EPUB carries it as it is, and the print edition draws it (publish.pdf.mathsvg). A formula
latex2mathml cannot read (a command it does not know) is shown as its TeX, in the math's
place, and check T019 says so.

Raw TeX — a command such as `\\cite{x}` or `\\newcommand{…}{…}`, an environment from
`\\begin{…}` to its `\\end{…}` — is left out, as Pandoc's HTML writer leaves it out (its words
are markup for LaTeX, not text for a reader); check T016 names each at its line. Code is
left alone: fenced code is out of sight here (fenced_code has stashed it), and indented code
is recognised as Python-Markdown does (outside a list, after a blank line).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache

from latex2mathml.converter import convert
from lxml import etree
from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from publish.xhtml import MATHML_NS

PRIORITY = 24
"""After fenced_code (25) has stashed code blocks, before raw HTML blocks are read (20)."""

_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1", re.S)
_BEGIN = re.compile(r"\\begin\{([A-Za-z*]+)\}")
_LIST_ITEM = re.compile(r"^ {0,3}(?:[-*+]|\d+[.)]|[a-zA-Z][.)]|#\.)\s")


@dataclass(frozen=True)
class Span:
    """A piece of TeX in a paragraph: where it starts and ends, and what it is."""

    start: int
    end: int
    kind: str
    """`math` (`$…$`), `display` (`$$…$$`) or `raw` (a command or an environment)."""
    tex: str


def spans(text: str) -> list[Span]:
    """The math and the raw TeX in `text` (one paragraph), in order; code spans skipped."""
    hidden = _CODE_SPAN.sub(lambda m: "\x00" * len(m.group(0)), text)
    found: list[Span] = []
    index = 0
    while index < len(hidden):
        char = hidden[index]
        if char == "\\":
            if index + 1 < len(hidden) and hidden[index + 1].isascii() \
                    and hidden[index + 1].isalpha():
                end = _command_end(hidden, index)
                found.append(Span(index, end, "raw", text[index:end]))
                index = end
            else:
                index += 2  # an escaped character (`\$` is a dollar sign)
            continue
        if char == "$":
            math = _math_at(hidden, index)
            if math is not None:
                found.append(Span(index, math[0], math[1], text[index:math[0]]))
                index = math[0]
                continue
        index += 1
    return found


def formula(span: Span) -> str:
    """The TeX of a math span, without its dollars."""
    marks = 2 if span.kind == "display" else 1
    tex = span.tex[marks:-marks].strip()
    escapes = len(tex) - len(tex.rstrip("\\"))
    return tex + " " if escapes % 2 else tex  # `x\ `: the space is the command's


def _math_at(text: str, start: int) -> tuple[int, str] | None:
    """(end, kind) of math opening at `start`, or None. Pandoc's rules: `$$…$$` is display
    math (no blank line inside); `$…$` needs a non-space after its opening dollar and before
    its closing one, and no digit right after the closing one."""
    if text.startswith("$$", start):
        close = text.find("$$", start + 2)
        if close > start + 2 and "\n\n" not in text[start:close]:
            return close + 2, "display"
        return None
    if start + 1 >= len(text) or text[start + 1].isspace():
        return None
    index = start + 1
    escaped = -1  # where the last backslash escape ends (`\ ` is a space TeX keeps)
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            escaped = index
            continue
        if char == "$" and (escaped == index or not text[index - 1].isspace()) and not (
                index + 1 < len(text) and text[index + 1].isdigit()):
            return index + 1, "math"
        if char == "\n" and index + 1 < len(text) and text[index + 1] == "\n":
            return None
        index += 1
    return None


def _command_end(text: str, start: int) -> int:
    """The end of the TeX command at `start`: its name, a star, then its arguments (`{…}`,
    `[…]`, beamer's `<…>`); an environment runs to its `\\end{…}`."""
    begin = _BEGIN.match(text, start)
    if begin:
        close = text.find(f"\\end{{{begin.group(1)}}}", begin.end())
        if close >= 0:
            return close + len(begin.group(1)) + 6
    index = start + 1
    while index < len(text) and text[index].isascii() and text[index].isalpha():
        index += 1
    if index < len(text) and text[index] == "*":
        index += 1
    while index < len(text) and text[index] in "{[<":
        end = _group_end(text, index)
        if end is None:
            break
        index = end
    return index


def _group_end(text: str, start: int) -> int | None:
    """The end of the bracketed group opening at `start` (braces nest; a backslash escapes)."""
    opening = text[start]
    closing = {"{": "}", "[": "]", "<": ">"}[opening]
    depth, index = 0, start
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == "{" or char == opening:
            depth += 1
        elif char == "}" or char == closing:
            depth -= 1
            if depth == 0:
                return index + 1 if char == closing else None
        elif char == "\n" and text.startswith("\n", index + 1):
            return None
        index += 1
    return None


@lru_cache(maxsize=4096)
def to_mathml(tex: str, display: bool) -> str | None:
    """MathML for `tex` with the TeX kept as its annotation and `alttext` (what a screen
    reader without MathML reads), or None when latex2mathml cannot read every command."""
    try:
        made = convert(tex, display="block" if display else "inline")
    except Exception:  # latex2mathml raises many kinds on bad TeX
        return None
    try:
        root = etree.fromstring(made.encode())
    except etree.XMLSyntaxError:
        return None  # an `&` outside an array comes back bare
    if any((element.text or "").startswith("\\") for element in root.iter()):
        return None  # an unknown command, written back as text
    root.set("alttext", tex)
    row = etree.Element(f"{{{MATHML_NS}}}mrow")
    row.extend(list(root))
    semantics = etree.SubElement(root, f"{{{MATHML_NS}}}semantics")
    semantics.append(row)
    annotation = etree.SubElement(semantics, f"{{{MATHML_NS}}}annotation",
                                  encoding="application/x-tex")
    annotation.text = tex
    return etree.tostring(root, encoding="unicode")


def math_html(span: Span) -> str:
    """What a math span becomes: MathML, or its TeX as text when it cannot be read (T019)."""
    mathml = to_mathml(formula(span), span.kind == "display")
    kind = "display" if span.kind == "display" else "inline"
    # In a span, as Pandoc writes it: it stays in its paragraph (`math` alone would be a
    # block to Python-Markdown), and a stylesheet can set display math apart.
    return f'<span class="math {kind}">{mathml or html.escape(span.tex)}</span>'


def raw_blocks(lines: list[str]) -> list[tuple[int, int]]:
    """(first, past last) line of each TeX environment that opens a paragraph: Pandoc reads
    it as a raw block, blank lines inside and all."""
    found = []
    index = 0
    while index < len(lines):
        begin = _BEGIN.match(lines[index])
        if begin and (index == 0 or not lines[index - 1].strip()):
            closing = f"\\end{{{begin.group(1)}}}"
            end = next((i for i in range(index, len(lines)) if closing in lines[i]), None)
            if end is not None:
                found.append((index, end + 1))
                index = end + 1
                continue
        index += 1
    return found


class TexPreprocessor(Preprocessor):
    """Math to MathML (stashed, so that no Markdown reads inside it), raw TeX left out."""

    def run(self, lines: list[str]) -> list[str]:
        dropped: set[int] = set()
        for first, end in raw_blocks(lines):
            dropped.update(range(first, end))
        made: list[str] = []
        in_list = False
        for block in _blocks([line for i, line in enumerate(lines) if i not in dropped]):
            first = block[0]
            if not first.strip():
                made += block
                continue
            if _LIST_ITEM.match(first):
                in_list = True
            elif not first.startswith((" ", "\t")):
                in_list = False
            code = first.startswith(("    ", "\t")) and not in_list
            grid = first.strip().startswith(("+-", "+=", "+:"))
            made += block if code or grid else self._paragraph(block)
        return made

    def _paragraph(self, lines: list[str]) -> list[str]:
        if not lines:
            return []
        text = "\n".join(lines)
        found = spans(text)
        if not found:
            return lines
        pieces, at = [], 0
        for span in found:
            pieces.append(text[at:span.start])
            if span.kind != "raw":
                pieces.append(self.md.htmlStash.store(math_html(span)))
            at = span.end
        pieces.append(text[at:])
        kept = "".join(pieces).split("\n")
        # A line that held only TeX goes; the paragraph's other lines stay one paragraph.
        return [line for line in kept if line.strip()] or []


def _blocks(lines: list[str]) -> list[list[str]]:
    """`lines` as runs of non-blank lines and runs of blank ones."""
    blocks: list[list[str]] = []
    for line in lines:
        if blocks and bool(blocks[-1][-1].strip()) == bool(line.strip()):
            blocks[-1].append(line)
        else:
            blocks.append([line])
    return blocks


class TexExtension(Extension):
    """Registers TexPreprocessor (see PRIORITY)."""

    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(TexPreprocessor(md), "pandoc-tex", PRIORITY)
