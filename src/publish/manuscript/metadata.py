"""book.yaml: parse it keeping each key's position, and validate it against a declared schema.

Every problem is collected (not just the first), each pointing at its line in book.yaml.
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from publish.diagnostics import Diagnostic, PublishError
from publish.manuscript.smart import smarten
from publish.manuscript.textfile import read_text
from publish.model import Metadata, Position
from publish.printing import (
    CHAPTER_STARTS,
    DEFAULT_TRIM,
    LINE_BREAKS,
    OPENINGS,
    PAPERS,
    PROFILES,
    TRIMS,
    PrintSettings,
    parse_trim,
)
from publish.rules import finding

MAX_BOOK_FILE_BYTES = 2**20
"""book.yaml holds metadata, not the book."""


@dataclass(frozen=True)
class Field:
    """One key of book.yaml: the Metadata attribute it fills and how its value is read."""

    attr: str
    read: Callable[[Any], object]
    expected: str
    required: bool = False


class _WrongType(ValueError):
    pass


def _text(value: Any) -> str:
    # YAML reads `date: 2024-05-01` as a date and `title: 1984` as a number; both are text here.
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return str(value).strip()
    raise _WrongType


def _text_list(value: Any) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(_text(item) for item in value)
    return (_text(value),)


def _prose(value: Any) -> str:
    """Text a reader sees (a title, a description): smart punctuation, as in the chapters."""
    return smarten(_text(value))


def _prose_list(value: Any) -> tuple[str, ...]:
    return tuple(smarten(item) for item in _text_list(value))


FIELDS: dict[str, Field] = {
    "title": Field("title", _prose, "text", required=True),
    "subtitle": Field("subtitle", _prose, "text"),
    "author": Field("authors", _prose_list, "a name or a list of names", required=True),
    "lang": Field("lang", _text, "a language tag", required=True),
    "identifier": Field("identifier", _text, "text", required=True),
    "date": Field("date", _text, "a date such as 2024-05-01"),
    "publisher": Field("publisher", _prose, "text"),
    "rights": Field("rights", _prose, "text"),
    "description": Field("description", _prose, "text"),
    "subject": Field("subjects", _text_list, "a subject or a list of subjects"),
    "cover-image": Field("cover_image", _text, "a file name"),
    "cover-alt": Field("cover_alt", _prose, "text describing the cover image"),
    "belongs-to-collection": Field("collection", _prose, "text"),
    "group-position": Field("group_position", _text, "a number"),
    "edition": Field("edition", _text, "text, such as `Second edition`"),
}

PRINT_KEYS = ("trim", "profile", "paper", "opening", "chapter-start", "line-breaks")
"""What `print:` may hold."""

OTHER_KEYS = ("bibliography", "chapters", "checks", "csl", "index", "index-title", "nocite",
              "notes", "print", "reference-section-title", "theme")
"""Keys that configure the build rather than describe the book."""


@dataclass(frozen=True)
class BookFile:
    """book.yaml as read: its raw values, their positions and what was wrong with them."""

    values: dict[str, Any]
    positions: dict[str, Position]
    metadata: Metadata
    print_settings: PrintSettings
    diagnostics: tuple[Diagnostic, ...]


def read_book_file(path: Path) -> BookFile:
    """Parse and validate book.yaml. Raises PublishError when it cannot be read at all."""
    text, problem = read_text(path, MAX_BOOK_FILE_BYTES)
    if text is None:
        raise PublishError([problem] if problem else [])
    values, positions = _parse(path, text)
    metadata, diagnostics = _validate(path, values, positions)
    settings, print_problems = _print_settings(path, values.get("print"), positions)
    return BookFile(values, positions, metadata, settings, (*diagnostics, *print_problems))


def _print_settings(path: Path, raw: Any, positions: dict[str, Position]
                    ) -> tuple[PrintSettings, list[Diagnostic]]:
    """`print:` → PrintSettings; what is wrong falls back to the default, with a finding."""
    if raw is None:
        return PrintSettings(), []
    pos = positions.get("print", Position(1, 1))
    if not isinstance(raw, dict):
        return PrintSettings(), [finding("M004", path, pos.line, pos.col, key="print",
                                         expected="a mapping (trim, profile, paper)",
                                         actual=_describe(raw))]
    problems = []
    for key in raw:
        if str(key) not in PRINT_KEYS:
            at = positions.get(f"print.{key}", pos)
            close = difflib.get_close_matches(str(key), PRINT_KEYS, n=1, cutoff=0.6)
            problems.append(finding(
                "M008", path, at.line, at.col, key=f"print.{key}",
                suggestion=f"did you mean `{close[0]}`?" if close
                else f"`print:` takes {', '.join(PRINT_KEYS)}"))
    trim = parse_trim(str(raw.get("trim", DEFAULT_TRIM)))
    if trim is None:
        problems.append(finding("M018", path, pos.line, pos.col, value=raw.get("trim")))
    profile = str(raw.get("profile", "") or "").lower()
    if profile and profile not in PROFILES:
        problems.append(finding("M019", path, pos.line, pos.col, value=raw.get("profile")))
        profile = ""
    paper = str(raw.get("paper", "white")).lower()
    if paper not in PAPERS:
        problems.append(finding("M020", path, pos.line, pos.col, value=raw.get("paper")))
        paper = "white"
    opening = str(raw.get("opening", "none")).lower()
    if opening not in OPENINGS:
        problems.append(finding("M022", path, pos.line, pos.col, value=raw.get("opening")))
        opening = "none"
    chapter_start = str(raw.get("chapter-start", "recto")).lower()
    if chapter_start not in CHAPTER_STARTS:
        at = positions.get("print.chapter-start", pos)
        problems.append(finding("M025", path, at.line, at.col, value=raw.get("chapter-start")))
        chapter_start = "recto"
    line_breaks = str(raw.get("line-breaks", "total-fit")).lower()
    if line_breaks not in LINE_BREAKS:
        at = positions.get("print.line-breaks", pos)
        problems.append(finding("M026", path, at.line, at.col, value=raw.get("line-breaks")))
        line_breaks = "total-fit"
    return PrintSettings(trim or TRIMS[DEFAULT_TRIM], profile, paper, opening,
                         chapter_start, line_breaks), problems


def yaml_problem(err: yaml.MarkedYAMLError, text: str) -> tuple[int, int, str]:
    """Where a YAML error starts (line, column) and what it is, in an author's words rather
    than the parser's: PyYAML notices an unclosed quote lines later, and speaks of tokens."""
    lines = text.splitlines()
    mark = err.problem_mark or err.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem, context = err.problem or "", err.context or ""
    opened = _unclosed_quote(lines)
    if opened and opened[0] <= line:
        return opened[0], opened[1], f"the quotation mark {opened[2]} opened here is never closed"
    start = err.context_mark
    if "flow sequence" in context or "flow mapping" in context:
        mark_char = "[" if "sequence" in context else "{"
        closing = "]" if mark_char == "[" else "}"
        return (start.line + 1, start.column + 1,
                f"the `{mark_char}` opened here is never closed with `{closing}`")
    if "'\\t'" in problem:
        return line, col, "a tab: YAML takes spaces only, to indent and after a key's colon"
    if "alias" in context or "cannot start any token" in problem:
        at = start if "alias" in context and start else mark
        char = lines[at.line][at.column] if at.line < len(lines) and at.column < len(
            lines[at.line]) else "?"
        return (at.line + 1, at.column + 1,
                f"a value cannot begin with `{char}` unless it is in quotes")
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    before = next((lines[n] for n in range(line - 2, -1, -1) if lines[n].strip()
                   and not lines[n].lstrip().startswith("#")), "")
    indent = len(here) - len(here.lstrip())
    if "mapping values are not allowed" in problem:
        if before and ":" not in before:
            return line - 1, 1, "this line has no `:` after its key"
        if indent > len(before) - len(before.lstrip()) and not before.rstrip().endswith(":"):
            return line, 1, "this line is indented as if it belonged to the line above"
        return line, col, "a second `: ` in a value (YAML reads it as a key)"
    if "expected <block end>" in problem:
        if "<scalar>" in problem and line == (start.line + 1 if start else 0):
            return line, col, "text after a value's closing quotation mark"
        return line, indent + 1, "this line is indented differently from the lines above it"
    return line, col, "YAML cannot read this line"


def _unclosed_quote(lines: list[str]) -> tuple[int, int, str] | None:
    """(line, column, mark) of the first value that opens a quotation and does not close it
    on its line."""
    for number, line in enumerate(lines, 1):
        found = re.match(r"""^\s*(?:-\s+|[\w.-]+:\s+(?:-\s+)?)(["'])""", line)
        if not found:
            continue
        quote, rest = found.group(1), line[found.end():]
        closed = re.search(r'(?<!\\)"', rest) if quote == '"' else \
            re.search(r"'(?!')", rest.replace("''", "  "))
        if not closed:
            return number, found.start(1) + 1, quote
    return None


def _parse(path: Path, text: str) -> tuple[dict[str, Any], dict[str, Position]]:
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        values = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as err:
        line, col, problem = yaml_problem(err, text)
        raise PublishError([finding("M001", path, line, col, problem=problem)]) from None
    except yaml.YAMLError as err:
        raise PublishError([finding("M001", path, 1, 1, problem=str(err))]) from None
    finally:
        loader.dispose()
    if not isinstance(values, dict) or not isinstance(node, yaml.MappingNode):
        raise PublishError([finding("M002", path, 1, 1)])
    # Point at the value: that is what the author must change.
    positions = {}
    for key, value in node.value:
        positions[str(key.value)] = Position(value.start_mark.line + 1,
                                             value.start_mark.column + 1)
        if isinstance(value, yaml.SequenceNode):  # `chapters[2]`: each item of a list
            for index, item in enumerate(value.value):
                positions[f"{key.value}[{index}]"] = Position(item.start_mark.line + 1,
                                                              item.start_mark.column + 1)
        if isinstance(value, yaml.MappingNode):  # `print.trim`: each key of a mapping
            for inner, _ in value.value:
                positions[f"{key.value}.{inner.value}"] = Position(inner.start_mark.line + 1,
                                                                   inner.start_mark.column + 1)
    return {str(k): v for k, v in values.items()}, positions


def _validate(
    path: Path, values: dict[str, Any], positions: dict[str, Position]
) -> tuple[Metadata, list[Diagnostic]]:
    diagnostics: list[Diagnostic] = []
    fields: dict[str, object] = {}
    for key, spec in FIELDS.items():
        if key not in values or values[key] is None:
            if spec.required:
                diagnostics.append(finding("M003", path, 1, 1, key=key))
            continue
        try:
            fields[spec.attr] = spec.read(values[key])
            if key == "title":
                fields["typed_title"] = _text(values[key])
        except _WrongType:
            pos = positions.get(key, Position(1, 1))
            diagnostics.append(
                finding("M004", path, pos.line, pos.col, key=key, expected=spec.expected,
                        actual=_describe(values[key]))
            )
    for key in values:
        if key not in FIELDS and key not in OTHER_KEYS:
            pos = positions.get(key, Position(1, 1))
            diagnostics.append(finding("M008", path, pos.line, pos.col, key=key,
                                       suggestion=_did_you_mean(key)))
    return Metadata(**fields), diagnostics  # type: ignore[arg-type]


def _describe(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"`{value}`"


def _did_you_mean(key: str) -> str:
    close = difflib.get_close_matches(key, [*FIELDS, *OTHER_KEYS], n=1, cutoff=0.6)
    return f"did you mean `{close[0]}`?" if close else "remove it, or check its spelling"
