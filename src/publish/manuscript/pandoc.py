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
import unicodedata
import xml.etree.ElementTree as etree
from collections.abc import Iterator

import yaml
from markdown import Markdown
from markdown.extensions import Extension
from markdown.extensions.smarty import SubstituteTextPattern
from markdown.extensions.toc import slugify
from markdown.inlinepatterns import (
    IMAGE_REFERENCE_RE,
    REFERENCE_RE,
    HtmlInlineProcessor,
    ImageReferenceInlineProcessor,
    ReferenceInlineProcessor,
)
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown_grid_tables import GridTableProcessor

PRIORITY = 30
"""Before md_in_html reads raw HTML blocks (20) and after nothing that would see `:::`."""

_FENCE_OPEN = re.compile(r"^(:{3,})\s*(\{[^}]*\}|[^\s{}:][^\s{}]*)\s*:*\s*$")
_FENCE_CLOSE = re.compile(r"^:{3,}\s*$")
_CODE_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_QUOTED_LINE_BLOCK = re.compile(r"^(\[\^[^\]\s]+\]:[ \t]+|    )?((?:> ?)+)(?=\|(?: |$))")
_LINE_BLOCK = re.compile(r"^\|(?: |$)")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
_RAW_BLOCK = re.compile(r"^\s{0,3}(`{3,}|~{3,})\s*\{=(\w+)\}\s*$")
_RAW_INLINE = re.compile(r"(`+)(.+?)\1\{=(\w+)\}")
_IMAGE_ALT = re.compile(r"(!\[[^\]]*\]\([^)]*\)\{[^}]*?)\balt=")
"""An image's `alt` attribute (Pandoc 3: its description, the image's text its caption)."""
_GRID_BORDER = re.compile(r"^\+[-=:]+(?:\+[-=:]+)*\+\s*$")
_CAPTION = re.compile(r"^ {0,3}(?:Table)?:\s+")
_EMPTY_HEADING = re.compile(r"^#{1,6}\s*$")
_TILDE_DEFINITION = re.compile(r"^( {0,3})~([ \t]+\S)")
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


_YAML_OPEN = re.compile(r"^---[ \t]*$")
_YAML_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$")


def metadata_blocks(lines: list[str]) -> list[tuple[int, int]]:
    """(first, past last) line of each YAML metadata block (and of a `%` title block that
    opens the text), as Pandoc finds them: `---` at
    the start or after a blank line, not followed by a blank line, closed by `---` or `...`,
    holding a YAML mapping (or only comments). Pandoc reads them as the document's metadata;
    a book's metadata is book.yaml, so they are left out of the text (check T018 says so).
    Code is skipped."""
    found = []
    if lines and lines[0].startswith("%"):  # Pandoc's title block: `% Title`, `% Author`…
        end = 1
        while end < len(lines) and (lines[end].startswith("%") or (
                lines[end].startswith((" ", "\t")) and lines[end].strip())):
            end += 1
        found.append((0, end))
    fence = None
    index = found[0][1] if found else 0
    while index < len(lines):
        line = lines[index]
        code = _CODE_FENCE.match(line)
        if fence is not None or code:
            if code:
                fence = None if fence is not None and line.strip().startswith(fence) \
                    else (fence or code.group(1))
            index += 1
            continue
        if _YAML_OPEN.match(line) and (index == 0 or not lines[index - 1].strip()) \
                and index + 1 < len(lines) and lines[index + 1].strip():
            end = next((i for i in range(index + 1, len(lines)) if _YAML_CLOSE.match(lines[i])),
                       None)
            if end is not None and _is_mapping("\n".join(lines[index + 1:end])):
                found.append((index, end + 1))
                index = end + 1
                continue
        index += 1
    return found


def _is_mapping(text: str) -> bool:
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError:
        return False
    return value is None or isinstance(value, dict)


class PandocBlocks(Preprocessor):
    """Fenced divs, line blocks, page breaks and `{-}`, as HTML Python-Markdown keeps."""

    def run(self, lines: list[str]) -> list[str]:
        for first, end in reversed(metadata_blocks(lines)):
            lines = [*lines[:first], *lines[end:]]
        lines = _simple_tables(lines)
        made = list(self._rewrite(lines, _matched_fences(lines), _table_lines(lines)))
        return _heading_references(_inline_notes(made))

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
            raw = _RAW_BLOCK.match(line)
            if raw:  # ```{=format}: kept if it is HTML, dropped else (as Pandoc's HTML)
                end = index + 1
                while end < len(lines) and not (
                        _CODE_FENCE.match(lines[end])
                        and lines[end].strip().startswith(raw.group(1))):
                    end += 1
                if raw.group(2).lower() in ("html", "html5"):
                    yield from ("", *lines[index + 1:end], "")
                index = end + 1
                continue
            if code:
                fence = code.group(1)
                yield line
                index += 1
                continue
            html_block = _HTML_BLOCK.match(line)
            if html_block and html_block.group(1).lower() in MARKDOWN_INSIDE \
                    and (index == 0 or not lines[index - 1].strip()):
                end = _html_block_end(lines, index, html_block.group(1).lower())
                block = "\n".join(lines[index:end])
                if _balanced(block):  # broken markup is left as written, for S004 to report
                    block = _OPENING_TAG.sub(_with_markdown, block)
                yield from block.split("\n")
                index = end
                continue
            if index in fences and (opening := _FENCE_OPEN.match(line)):
                yield from ("", _open_tag(attributes(opening.group(2)), "1"), "")
            elif index in fences:
                yield from ("", "</div>", "")
            elif _NEWPAGE.match(line):
                yield from ("", NEWPAGE_HTML, "")
            elif (caption := _CAPTION.match(line)) and index - 1 in tables \
                    and index in tables and "|" not in line \
                    and (index + 1 == len(lines) or not lines[index + 1].strip()):
                yield from ("", "Table: " + line[caption.end():])  # right under the table
            elif (caption := _CAPTION.match(line)) and _beside_table(lines, index, tables):
                yield "Table: " + line[caption.end():]  # a table's caption, not a definition
            elif line.startswith(">") and index and _is_prose(lines[index - 1]):
                yield "\\" + line  # Pandoc wants a blank line before a quotation
            elif line.startswith(">") and index > 1 \
                    and (outer := _quotes_apart(lines[index - 2:index + 1])) is not None:
                # Two quotations apart, not one: Python-Markdown would join them.
                yield from (outer + "<!-- -->", outer, line)
            elif (rule := _RULE_LINE.match(line)) and "   " in line.strip():
                yield " ".join(rule.group(1) * 3)  # a rule however far apart its marks
            elif _EMPTY_HEADING.match(line):
                yield line.rstrip() + " "  # an empty heading, as Pandoc has it (saneheaders)
            elif _TILDE_DEFINITION.match(line):
                yield _TILDE_DEFINITION.sub(r"\1:\2", line)  # Pandoc's other definition mark
            elif (quoted := _QUOTED_LINE_BLOCK.match(line)) and quoted.group(1) != "    ":
                # A line block in a quotation (a poem quoted; in a note too): its lines ended
                # by breaks, as an HTML block cannot stand inside Python-Markdown's quotation.
                lead, marks = quoted.group(1) or "", quoted.group(2)
                inside = "    " if lead else ""  # a note's further lines are indented
                end = index + 1
                while end < len(lines) and (more := _QUOTED_LINE_BLOCK.match(lines[end])) \
                        and (more.group(1) or "") == inside and more.group(2) == marks:
                    end += 1
                kept = _line_block_lines([_QUOTED_LINE_BLOCK.sub("", text, count=1)
                                          for text in lines[index:end]])
                yield from ((lead if number == 0 else inside) + marks + text
                            + ("\\" if number < len(kept) - 1 else "")
                            for number, text in enumerate(kept))
                yield inside + marks + "{: .line-block}"  # a div, as Pandoc's (markup.py)
                index = end
                continue
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
            elif (reference := _SPACED_REFERENCE.match(line)) and " " in reference.group(2):
                # A target with spaces, which Pandoc takes and Python-Markdown does not.
                target = re.sub(r"[ \t]+", "%20", reference.group(2))
                yield reference.group(1) + target + (reference.group(3) or "")
            else:
                yield _IMAGE_ALT.sub(r"\1data-description=", _RAW_INLINE.sub(_raw_inline, line))
            index += 1


def _quotes_apart(lines: list[str]) -> str | None:
    """Where the last of three lines opens a quotation apart from one ending on the first,
    a line blank but for quotation marks standing between: the marks of that blank line
    (the quotations the two share), or None."""
    before, blank, line = (_QUOTE_MARKS.match(text).group().count(">") for text in lines)
    if lines[1].strip(" >") or not before > blank < line:
        return None
    return _QUOTE_MARKS.match(lines[1]).group()


_QUOTE_MARKS = re.compile(r"(?:[ ]{0,3}>[ ]?)*")
_ATX_HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$")
_SETEXT_LINE = re.compile(r"^(?:=+|-+)[ \t]*$")
_HEADING_ID = re.compile(r"\{[^}]*#([\w:.-]+)[^}]*\}\s*$")
_SPACED_REFERENCE = re.compile(
    r"""^( {0,3}\[[^\]^][^\]]*\]:[ \t]+)([^\s<"'(][^"'({]*?[^\s"'({])"""
    r"""([ \t]+(?:"[^"]*"|'[^']*'|\([^)]*\)))?[ \t]*$""")
_REFERENCE = re.compile(r"^ {0,3}\[([^\]^][^\]]*)\]:")


def _heading_references(lines: list[str]) -> list[str]:
    """Pandoc's implicit heading references: `[Heading text]` (or `[words][Heading text]`)
    links to the heading of that text, unless the author defined the label. Each heading's
    label is appended as a reference definition to its id (the one the author set, else the
    one Python-Markdown's toc will make). Code is left alone."""
    defined: set[str] = set()
    targets: dict[str, str] = {}
    fence = None
    for index, line in enumerate(lines):
        code = _CODE_FENCE.match(line)
        if fence is not None or code:
            if code:
                fence = None if fence is not None and line.strip().startswith(fence) \
                    else (fence or code.group(1))
            continue
        if reference := _REFERENCE.match(line):
            defined.add(_label(reference.group(1)))
            continue
        atx = _ATX_HEADING.match(line)
        setext = (index + 1 < len(lines) and line.strip() and not line.startswith(" ")
                  and _SETEXT_LINE.match(lines[index + 1])
                  and (index == 0 or not lines[index - 1].strip()))
        text = atx.group(1) if atx else line.strip() if setext else None
        if not text:
            continue
        explicit = _HEADING_ID.search(text)
        text = text[:explicit.start()].strip() if explicit else re.sub(r"\{[^}]*\}\s*$", "",
                                                                       text).strip()
        if not text or "[" in text or "]" in text:
            continue
        ident = explicit.group(1) if explicit else _slug(text)
        targets.setdefault(_label(text), ident)
    made = [f"[{label}]: #{ident}" for label, ident in targets.items()
            if label not in defined and ident]
    return [*lines, "", *made] if made else lines


def _label(text: str) -> str:
    """A reference label as Python-Markdown matches it: case and spacing do not count."""
    return " ".join(text.split()).lower()


def _slug(text: str) -> str:
    """The id Python-Markdown's toc gives a heading of this text (its text without marks)."""
    plain = re.sub(r"[*_`~^]", "", text)
    return slugify(html.unescape(plain), "-")


_HTML_BLOCK = re.compile(r"^<([A-Za-z][A-Za-z0-9]*)(?=[\s/>])")
MARKDOWN_INSIDE = frozenset(
    "div section article aside header footer nav main blockquote center address table "
    "thead tbody tfoot tr td th ul ol li dl dt dd figure figcaption details summary p "
    "h1 h2 h3 h4 h5 h6".split())
"""HTML elements whose text Pandoc reads as Markdown (its markdown_in_html_blocks); code,
scripts, styles, MathML and SVG keep theirs."""
_OPENING_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9]*)((?:\s[^<>]*?)?)(/?)>")


def _with_markdown(match: re.Match[str]) -> str:
    """An opening tag with `markdown="1"` (md_in_html then reads what it holds as Markdown,
    as Pandoc does), unless it has a markdown attribute already or reads none."""
    tag, attrs, closed = match.groups()
    if tag.lower() not in MARKDOWN_INSIDE or closed or "markdown=" in attrs:
        return match.group(0)
    # What Pandoc reads as a line of text (Plain), not paragraphs: a div's content unless
    # a blank line stands in it or the div closes at the start of a line (an indented
    # </div> does not end a paragraph for Pandoc); any other element's when no blank line
    # or block stands in it.
    inside = _element_text(match.string, match.end(), tag)
    if inside is None:
        return match.group(0)  # never closed: left as written, for S004 to report
    paragraphs = ("\n\n" in inside.replace(" ", "") or inside.endswith("\n")) \
        if tag.lower() == "div" else (
        "\n\n" in inside or bool(_HAS_BLOCK.search(inside)))
    mode = "1" if paragraphs else "span"
    return f'<{tag}{attrs} markdown="{mode}">'


_HAS_BLOCK = re.compile(r"<(?:div|section|article|aside|blockquote|table|ul|ol|dl|p|h[1-6]|"
                        r"figure|details)[\s/>]", re.I)


_VOID_TAGS = frozenset("area base br col embed hr img input link meta source track wbr".split())


def _balanced(block: str) -> bool:
    """Whether every element opened in `block` is closed in it, in order."""
    open_tags: list[str] = []
    for found in re.finditer(r"<(/?)([A-Za-z][A-Za-z0-9]*)(?=[\s/>])[^<>]*?(/?)>", block):
        closing, name, empty = found.group(1), found.group(2).lower(), found.group(3)
        if empty or name in _VOID_TAGS:
            continue
        if not closing:
            open_tags.append(name)
        elif not open_tags or open_tags.pop() != name:
            return False
    return not open_tags


def _element_text(text: str, start: int, tag: str) -> str | None:
    """What the element whose opening tag ends at `start` holds; None if it never closes."""
    depth = 1
    for found in re.finditer(rf"<(/?){tag}(?=[\s/>])[^>]*>", text[start:], re.I):
        depth += -1 if found.group(1) else 1
        if depth == 0:
            return text[start:start + found.start()]
    return None


def _html_block_end(lines: list[str], index: int, tag: str) -> int:
    """The end of the raw HTML block opening at `index` with `tag`: where that element
    closes (nested ones of its name counted), or the first blank line if it never does."""
    opening = re.compile(rf"<{tag}(?=[\s/>])", re.IGNORECASE)
    closing = re.compile(rf"</{tag}\s*>", re.IGNORECASE)
    depth = 0
    for end in range(index, len(lines)):
        depth += len(opening.findall(lines[end])) - len(closing.findall(lines[end]))
        if depth <= 0:
            return end + 1
    end = index
    while end < len(lines) and lines[end].strip():
        end += 1
    return end


def _inline_notes(lines: list[str]) -> list[str]:
    """Pandoc's inline notes (`text^[the note]`) as notes of the usual kind, defined at the
    chapter's end (numbered where they are called, as every note is). Code is left alone."""
    made, notes, fence = [], [], None
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        code = _CODE_FENCE.match(line)
        if fence is not None or code or line.startswith("    ") or "^[" not in line:
            if code:
                fence = None if fence is not None and line.strip().startswith(fence) \
                    else (fence or code.group(1))
            made.append(line)
            continue
        # A note may run over lines of its paragraph: they are read as one line then.
        taken = _take_notes(line, notes)
        while taken is None and index < len(lines) and lines[index].strip():
            line = line.rstrip() + " " + lines[index].strip()
            index += 1
            taken = _take_notes(line, notes)
        made.append(line if taken is None else _same_cells(line, taken))
    if notes:
        made.append("")
        made += [f"[^{INLINE_NOTE}{number}]: {text}" for number, text in enumerate(notes, 1)]
    return made


def _same_cells(line: str, taken: str) -> str:
    """`taken` (`line` with its notes called) with each cell of a table row as wide as it
    was: a grid table is read by its columns."""
    if not (line.lstrip().startswith("|") and line.rstrip().endswith("|")):
        return taken
    before, after = line.split("|"), taken.split("|")
    if len(before) != len(after):
        return taken
    return "|".join(new.rstrip().ljust(len(old)) if old.strip() else new
                    for old, new in zip(before, after, strict=True))


INLINE_NOTE = "_"
"""The label an inline note is given (it shows as a number, like any note's)."""


def _take_notes(line: str, notes: list[str]) -> str | None:
    """`line` with each `^[…]` (brackets balanced, outside code spans) replaced by a call,
    its text appended to `notes`; None (and `notes` untouched) if a note is left open."""
    out, at, found = [], 0, []
    while (start := line.find("^[", at)) >= 0:
        if line.count("`", 0, start) % 2:  # inside a code span
            out.append(line[at:start + 2])
            at = start + 2
            continue
        depth, end = 0, start + 1
        while end < len(line):
            if line[end] == "`":  # a code span inside the note: its brackets do not count
                run = len(line[end:]) - len(line[end:].lstrip("`"))
                close = line.find("`" * run, end + run)
                if close >= 0:
                    end = close + run
                    continue
            if line[end] == "\\":
                end += 2
                continue
            depth += {"[": 1, "]": -1}.get(line[end], 0)
            if depth == 0:
                break
            end += 1
        if depth:
            return None  # left open on this line
        found.append(line[start + 2:end])
        out.append(line[at:start] + f"[^{INLINE_NOTE}{len(notes) + len(found)}]")
        at = end + 1
    notes += found
    return "".join(out) + line[at:]


def _raw_inline(match: re.Match[str]) -> str:
    """`` `<b>x</b>`{=html} `` is that HTML; raw text for any other format is dropped."""
    return match.group(2) if match.group(3).lower() in ("html", "html5") else ""


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


def _is_prose(line: str) -> bool:
    """Whether `line` is a paragraph's text (a quotation does not begin in the middle of one
    in Pandoc's Markdown)."""
    text = line.strip()
    return bool(text) and not line.startswith((">", " ", "\t")) and not text.startswith(
        ("#", "|", ":", "~", "<", "```", "- ", "* ", "+ ")) and not _ITEM.match(line) \
        and not _RULE_LINE.match(line) and not set(text) <= set("=-")


_DASHES = re.compile(r"-+")
_FULL_RULE = re.compile(r"^-{3,}\s*$")
_GROUPS = re.compile(r"^ *-+(?: +-+)+ *$|^ *-{3,} *$")


def _code_line(line: str, fence: str | None) -> tuple[bool, str | None]:
    """Whether `line` is fenced code (or a fence), and the fence open after it, given the
    fence open before it (None outside code)."""
    code = _CODE_FENCE.match(line)
    if fence is None and not code:
        return False, None
    if code:
        fence = None if fence is not None and line.strip().startswith(fence) \
            else (fence or code.group(1))
    return True, fence


def _simple_tables(lines: list[str]) -> list[str]:
    """Pandoc's simple and multiline tables, as pipe tables Python-Markdown reads (a
    multiline row's lines joined into one cell's text, as Pandoc joins them)."""
    made: list[str] = []
    index, fence = 0, None
    while index < len(lines):
        in_code, fence = _code_line(lines[index], fence)
        if in_code:
            made.append(lines[index])
            index += 1
            continue
        found = _simple_table_at(lines, index)
        if found is None:
            made.append(lines[index])
            index += 1
            continue
        end, rows, aligns, header = found
        made += _as_pipe_table(rows, aligns, header)
        index = end
    return made


def table_kinds(lines: list[str]) -> dict[int, str]:
    """Which lines are tables' (pipe, grid, simple and multiline): `rule` for a border or a
    rule of dashes, `row` for a line of cells. Code is skipped. (The checks read them so:
    padding in a row is not a double space, a rule is not a dash.)"""
    kinds: dict[int, str] = {}
    index, fence = 0, None
    while index < len(lines):
        in_code, fence = _code_line(lines[index], fence)
        if in_code:
            index += 1
            continue
        found = _simple_table_at(lines, index)
        if found is None:
            index += 1
            continue
        for number in range(index, found[0]):
            if lines[number].strip():
                kinds[number] = "rule" if _GROUPS.match(lines[number]) else "row"
        index = found[0]
    for number in _table_lines(lines):
        if number not in kinds and lines[number].strip():
            line = lines[number].strip()
            kinds[number] = "rule" if _TABLE_RULE.match(line) or _GRID_BORDER.match(line) \
                else "row"
    return kinds


def _columns(rule: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _DASHES.finditer(rule)]


def _cut(line: str, columns: list[tuple[int, int]]) -> list[str]:
    """A row's cells: the text under each column (a cell may run on to the next column's
    start, as Pandoc reads it)."""
    cells = []
    line = _as_columns(line)
    for number, (start, _end) in enumerate(columns):
        stop = columns[number + 1][0] if number + 1 < len(columns) else len(line)
        cells.append(line[start:stop].replace(_WIDE_PAD, "").strip() if start < len(line)
                     else "")
    return cells


_WIDE_PAD = "\x00"


def _as_columns(line: str) -> str:
    """`line` with each wide character (CJK: two columns in a monospaced font, as Pandoc
    counts them) followed by a stand-in for its second column."""
    if line.isascii():
        return line
    return "".join(char + _WIDE_PAD if unicodedata.east_asian_width(char) in "WF" else char
                   for char in line)


def _alignment(header: str, column: tuple[int, int]) -> str:
    """A column's alignment, from where its header's text stands over its dashes: flush
    with both ends, the default; with the left, left; with the right, right; else centred."""
    start, end = column
    header = _as_columns(header)
    if not header[start:end].strip():
        return ""
    left = start < len(header) and not header[start].isspace()
    right = end - 1 < len(header) and not header[end - 1].isspace()
    return "" if left and right else "left" if left else "right" if right else "center"


def _simple_table_at(lines: list[str], index: int
                     ) -> tuple[int, list[list[str]], list[str], bool] | None:
    """(end, rows, alignments, has a header) of a simple or multiline table starting at
    `index`, or None."""
    def blank(i: int) -> bool:
        return i >= len(lines) or not lines[i].strip()

    if index and not blank(index - 1):
        return None
    line = lines[index]
    # A multiline table: a full rule, header lines, a column rule, rows apart, a full rule.
    if _FULL_RULE.match(line) and not line.startswith(" ") and index + 2 < len(lines):
        rule_at = next((i for i in range(index + 1, min(index + 6, len(lines)))
                        if _GROUPS.match(lines[i]) and len(_columns(lines[i])) > 1), None)
        if rule_at is not None and all(lines[i].strip() for i in range(index + 1, rule_at)):
            columns = _columns(lines[rule_at])
            end = next((i for i in range(rule_at + 1, len(lines))
                        if _FULL_RULE.match(lines[i]) and blank(i + 1)), None)
            if end is not None:
                header_lines = lines[index + 1:rule_at]
                header = [" ".join(cell for cell in column if cell) for column in zip(
                    *(_cut(h, columns) for h in header_lines), strict=True)]
                rows, current = [], []
                for row_line in [*lines[rule_at + 1:end], ""]:
                    if row_line.strip():
                        current.append(_cut(row_line, columns))
                    elif current:
                        rows.append([" ".join(c for c in column if c)
                                     for column in zip(*current, strict=True)])
                        current = []
                # Each column aligned by the first header line with text over it.
                aligns = [next((a for h in header_lines if (a := _alignment(h, c))), "")
                          for c in columns]
                return end + 1, [header, *rows], aligns, True
    # A simple table: a header line, a rule of dash groups, rows up to a blank line; or,
    # headerless, between two rules.
    if index + 1 < len(lines) and line.strip() and not _GROUPS.match(line) \
            and _GROUPS.match(lines[index + 1]) and len(_columns(lines[index + 1])) > 1 \
            and "|" not in line:
        columns = _columns(lines[index + 1])
        end = index + 2
        while not blank(end):
            end += 1
        rows = [_cut(lines[i], columns) for i in range(index + 2, end)]
        if not rows:
            return None
        return end, [_cut(line, columns), *rows], [_alignment(line, c) for c in columns], True
    if _GROUPS.match(line) and len(_columns(line)) > 1 and not blank(index + 1):
        columns = _columns(line)
        end = index + 1
        while end < len(lines) and not _GROUPS.match(lines[end]) \
                and not (blank(end) and blank(end + 1)):
            end += 1
        if end < len(lines) and _GROUPS.match(lines[end]) and blank(end + 1):
            body = lines[index + 1:end]
            # Rows apart (a blank line between them): a multiline table; else a line a row.
            groups: list[list[list[str]]] = [[]]
            for row_line in body:
                if not row_line.strip():
                    groups.append([])
                elif any(not b.strip() for b in body):
                    groups[-1].append(_cut(row_line, columns))
                else:
                    groups += [[_cut(row_line, columns)], []]
            rows = [[" ".join(c for c in column if c) for column in zip(*group, strict=True)]
                    for group in groups if group]
            aligns = [_alignment(lines[index + 1], c) for c in columns]
            return end + 1, [[""] * len(columns), *rows], aligns, False
    return None


def _as_pipe_table(rows: list[list[str]], aligns: list[str], header: bool) -> list[str]:
    """A table's rows as a pipe table (the first row its header, empty when it has none)."""
    rule = {"": "----", "left": ":---", "right": "---:", "center": ":---:"}
    def row(cells: list[str]) -> str:
        return "| " + " | ".join(cell.replace("|", "\\|") or " " for cell in cells) + " |"
    return [row(rows[0]), "|" + "|".join(rule[a] for a in aligns) + "|",
            *(row(cells) for cells in rows[1:])]


def _beside_table(lines: list[str], index: int, tables: set[int]) -> bool:
    """Whether line `index` opens a paragraph right after or right before a table (one blank
    line between)."""
    if index >= 2 and not lines[index - 1].strip() and index - 2 in tables:
        return True
    end = index
    while end < len(lines) and lines[end].strip():
        end += 1
    return end + 1 < len(lines) and not lines[end].strip() and end + 1 in tables


def _table_lines(lines: list[str]) -> set[int]:
    """The lines of pipe and grid tables: each run of non-blank lines one of which is a rule
    row (`|---|:--:|`) is a table, its rows starting with `|` or not; so is a run opening
    with a grid table's border. A fenced div's fence ends a run."""
    found: set[int] = set()
    start = 0
    fence = re.compile(f"{_FENCE_OPEN.pattern}|{_FENCE_CLOSE.pattern}")
    while start < len(lines):
        if fence.match(lines[start]):
            start += 1
            continue
        end = start
        while end < len(lines) and lines[end].strip() and not fence.match(lines[end]):
            end += 1
        run = range(start, end)
        if any(_TABLE_RULE.match(lines[i]) and "|" in lines[i] for i in run) \
                or (end > start and _GRID_BORDER.match(lines[start])):
            found.update(run)
        start = end if end < len(lines) and fence.match(lines[end]) else end + 1
    return found


def _line_block(lines: list[str]) -> list[str]:
    """A line block: each `| ` line kept, a line starting with a space continuing the one
    before, leading spaces after the bar kept as no-break spaces."""
    joined = "<br />\n".join(_line_block_lines(lines))
    return [f'<div class="line-block" markdown="span">{joined}</div>']


def _line_block_lines(lines: list[str]) -> list[str]:
    """A line block's lines, as _line_block reads them."""
    kept: list[str] = []
    for line in lines:
        if line.startswith("|"):
            text = line[2:] if line.startswith("| ") else line[1:]
            body = text.lstrip(" ")
            kept.append("\u00a0" * (len(text) - len(body)) + body)
        elif kept:
            kept[-1] += " " + line.strip()
    return kept


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
        fence, fence_indent = None, 0
        lazy = False  # the line before was a list's text: an unindented one continues it
        apart = False  # a blank line stands between this line and the last item's marker
        for index, line in enumerate(lines):
            if fence is not None:
                # Pandoc lets a fence stand up to three spaces in, its lines as far in.
                cut = min(fence_indent, len(line) - len(line.lstrip(" ")))
                made.append(line[cut:])
                if _CODE_FENCE.match(line) and line.strip().startswith(fence):
                    fence = None
                continue
            if not line.strip():
                made.append(line)
                lazy, apart = False, bool(items)
                continue
            expanded = line.expandtabs(4)
            indent = len(expanded) - len(expanded.lstrip(" "))
            item = None if _RULE_LINE.match(expanded) else _item(expanded)
            if not items and (item is None or indent >= 4):
                code = _CODE_FENCE.match(line)
                if code and indent < 4:
                    fence, fence_indent = code.group(1), indent
                    made.append(line[indent:])
                else:
                    made.append(_examples(line, labels))
                continue
            if item is not None:
                while items and indent < items[-1]:
                    items.pop()
                if apart and made[-1].strip():
                    # Right after an item's second paragraph: a new item for Pandoc, that
                    # paragraph's last line for Python-Markdown unless a blank line parts them.
                    made.append("")
                apart = False
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


def _item(line: str) -> re.Match[str] | None:
    """The list marker `line` opens with, if any (`B. ` with one space is an initial, not
    an item: Pandoc wants two after a capital and a period)."""
    item = _ITEM.match(line)
    if item and item.group("ordered") and re.fullmatch(r"[A-Z]\.", item.group("ordered")) \
            and item.group("space") == " ":
        return None
    return item


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
    """The item's marker as Python-Markdown (with fancylists) reads it (`B.` with two spaces
    after it, as Pandoc and fancylists want, lest an initial open a list)."""
    if item.group("bullet"):
        return item.group("bullet")
    if item.group("paren"):
        return item.group("paren")[1:-1] + ")"
    if item.group("example"):
        return f"{number}."
    marker = item.group("ordered")
    return marker + " " if re.fullmatch(r"[A-Z]\.", marker) else marker


def _examples(line: str, labels: dict[str, int]) -> str:
    """A line's references to labelled examples, `(@good)`, as their numbers: `(2)`."""
    return _EXAMPLE_REF.sub(lambda m: f"({labels[m.group(1)]})" if m.group(1) in labels
                            else m.group(0), line)


HTML_ELEMENTS = frozenset("""
    a abbr address area article aside audio b bdi bdo blockquote br button canvas caption
    cite code col colgroup data dd del details dfn dialog div dl dt em embed fieldset
    figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr i iframe img input ins
    kbd label legend li link main map mark math menu meter nav noscript object ol optgroup
    option output p picture pre progress q rp rt ruby s samp script section select small
    source span strong style sub summary sup svg table tbody td template textarea tfoot th
    thead time tr track u ul var video wbr center font big tt strike""".split())
"""The elements of HTML (and MathML's and SVG's roots): only these make a tag in the text."""
INLINE_HTML = (r"(<(?:/?(?i:" + "|".join(sorted(HTML_ELEMENTS, key=len, reverse=True))
               + r")(?![\w-])(?:\s+[a-zA-Z_:][\w:.-]*(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'"
               r"|[^\s\"'=<>`]+))?)*\s*/?|!--(?:(?!<!--|-->).)*--)>)")
"""An HTML tag or comment, as HTML writes them (Python-Markdown's own pattern takes any
`<` a letter follows, up to a `>`: `i<j-1, j>k` would be a tag)."""
_CLUSTER_BASE = 0xF0000
"""Where the stand-ins for grid-table clusters start (Unicode's plane 15, private use)."""


class GridColumns(Preprocessor):
    """A grid table is read by counting characters, and Pandoc counts columns: a letter
    with a combining mark or a zero-width joiner after it (`Auf\u200clage`, Arabic vowel
    marks) is one column but two characters. In a grid table's lines each such cluster is
    replaced by one private-use character, put back by GridClusters once the table is made."""

    def __init__(self, md: Markdown, clusters: dict[str, str]) -> None:
        super().__init__(md)
        self.clusters = clusters

    def run(self, lines: list[str]) -> list[str]:
        made, in_grid = [], False
        for line in lines:
            in_grid = bool(line.strip()) and (in_grid or bool(_GRID_BORDER.match(line.strip())))
            made.append(_one_column_each(line, self.clusters) if in_grid else line)
        return made


def _one_column_each(line: str, clusters: dict[str, str]) -> str:
    out: list[str] = []
    for char in line:
        if out and unicodedata.category(char) in ("Mn", "Me", "Cf"):
            cluster = clusters.get(out[-1], out[-1]) + char
            stand_in = next((k for k, v in clusters.items() if v == cluster), None)
            if stand_in is None:
                stand_in = chr(_CLUSTER_BASE + len(clusters))
                clusters[stand_in] = cluster
            out[-1] = stand_in
        else:
            out.append(char)
    return "".join(out)


class GridClusters(Postprocessor):
    """Puts back what GridColumns stood in for."""

    def __init__(self, md: Markdown, clusters: dict[str, str]) -> None:
        super().__init__(md)
        self.clusters = clusters

    def run(self, text: str) -> str:
        if not self.clusters:
            return text
        return "".join(self.clusters.get(char, char) for char in text)


class AlignedGridTables(GridTableProcessor):
    """markdown_grid_tables' grid tables with Pandoc's alignments: colons in the line under
    the header (`+:===:+`), or in the top line of a table without one, align a column
    left, right or centre. The colons are taken out before the table is read."""

    _table: object = None

    def test(self, parent: etree.Element, block: str) -> bool:
        return super().test(parent, _grid_alignments(block)[0])

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        blocks[0], alignments = _grid_alignments(blocks[0])
        count = len(parent)
        self._table = None
        super().run(parent, blocks)
        if len(parent) > count and parent[-1].tag == "table" and self._table is not None \
                and any(alignments.values()):
            _align_cells(parent[-1], self._table, alignments)

    def _render_rows(self, table: object, parent: etree.Element) -> None:
        self._table = table  # its cells, for run() to align
        super()._render_rows(table, parent)


def _grid_alignments(block: str) -> tuple[str, dict[int, str]]:
    """`block` with the colons of its border lines made rule, and each column's alignment
    by the position of the `+` that opens it (in the block's lines, stripped)."""
    lines = block.split("\n")
    borders = [n for n, line in enumerate(lines) if _GRID_BORDER.match(line.strip())]
    if not borders:
        return block, {}
    header = next((n for n in borders if "=" in lines[n] and n != borders[-1]), borders[0])
    for n in borders:
        if n != header:  # a table foot's lines (Pandoc's tfoot): its rows read as the body's
            lines[n] = lines[n].replace("=", "-")
    source = lines[header].strip()
    alignments: dict[int, str] = {}
    for found in re.finditer(r"\+([^+]+)(?=\+)", source):
        mark = found.group(1)
        alignments[found.start()] = ("center" if mark[0] == mark[-1] == ":" else
                                     "left" if mark[0] == ":" else
                                     "right" if mark[-1] == ":" else "")
    if ":" not in "".join(lines[n] for n in borders):
        return "\n".join(lines), {}
    for n in borders:
        fill = "=" if "=" in lines[n] else "-"
        lines[n] = lines[n].replace(":", fill)
    return "\n".join(lines), alignments


def _align_cells(element: etree.Element, table: object, alignments: dict[int, str]) -> None:
    """Each cell of the made table aligned as the column it opens in."""
    starts = sorted(alignments)
    cells, seen = [], set()
    for row in table.get_all_rows():
        for cell in row.get_all_cells():
            if id(cell) not in seen:
                seen.add(id(cell))
                cells.append(cell)
    made = [cell for cell in element.iter() if cell.tag in ("td", "th")]
    if len(made) != len(cells):
        return  # not the table we know: left as it is
    for cell, made_cell in zip(cells, made, strict=True):
        column = max((start for start in starts if start <= cell.start_col), default=None)
        if column is not None and alignments[column]:
            made_cell.set("style", f"text-align: {alignments[column]};")


_TIGHT_LABEL = re.compile(r"\[([^\]]*)\]", re.DOTALL)


class TightReference(ReferenceInlineProcessor):
    """`[text][label]` with nothing between the brackets, as Pandoc wants it (`[a] [b]` is
    the text `[a]` and a link `[b]`)."""

    RE_LINK = _TIGHT_LABEL


class TightImageReference(ImageReferenceInlineProcessor):
    """`![text][label]`, as TightReference."""

    RE_LINK = _TIGHT_LABEL


class PandocExtension(Extension):
    """Registers PandocBlocks and PandocLists as preprocessors (see PRIORITY), and the
    grid tables' column counting."""

    def extendMarkdown(self, md: Markdown) -> None:
        # Inline HTML only where it is a tag (Pandoc's rule): `i<j-1, j>k` is text.
        md.inlinePatterns.register(HtmlInlineProcessor(INLINE_HTML, md), "html", 90)
        md.inlinePatterns.register(TightReference(REFERENCE_RE, md), "reference", 170)
        md.inlinePatterns.register(TightImageReference(IMAGE_REFERENCE_RE, md),
                                   "image_reference", 140)
        if "smarty" in md.treeprocessors:
            # Every three dots an ellipsis, as Pandoc has it (`....` is one and a period);
            # smarty leaves a run of four or more as typed.
            smarty = md.treeprocessors["smarty"]
            smarty.inlinePatterns.register(
                SubstituteTextPattern(r"\.\.\.", ("\u2026",), md), "smarty-ellipses", 10)
        md.preprocessors.register(PandocBlocks(md), "pandoc-blocks", PRIORITY)
        if "grid-table" in md.parser.blockprocessors:
            aligned = AlignedGridTables(md.parser)
            aligned.hard_linebreaks = md.parser.blockprocessors["grid-table"].hard_linebreaks
            md.parser.blockprocessors.register(aligned, "grid-table", 65)
        md.preprocessors.register(PandocLists(md), "pandoc-lists", PRIORITY - 1)
        clusters: dict[str, str] = {}
        md.preprocessors.register(GridColumns(md, clusters), "pandoc-grid-columns",
                                  PRIORITY - 2)
        md.postprocessors.register(GridClusters(md, clusters), "pandoc-grid-clusters", 0)
