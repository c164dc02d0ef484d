"""Link rules found in the source (L): footnotes and the ids authors set themselves.
(Broken links and images are found while rendering: see publish.manuscript.links and
publish.manuscript.markup.)"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from publish.checks.base import CheckInput
from publish.diagnostics import Diagnostic
from publish.rules import finding

_NOTE_REF = re.compile(r"\[\^([^\]\s]+)\](?!:)")
_NOTE_DEF = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:")
_SET_ID = re.compile(r"\{[^}]*?#([A-Za-z][\w.:-]*)[^}]*\}|\bid=[\"']([^\"']+)[\"']")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")


def check_footnotes(given: CheckInput) -> Iterator[Diagnostic]:
    """L005, L006, L012: every footnote reference has a definition, every definition is
    used, and no label is defined twice (Python-Markdown would keep the last)."""
    for rendered in given.chapters:
        refs: dict[str, tuple[int, int]] = {}
        defs: dict[str, tuple[int, int]] = {}
        for line in rendered.source.lines:
            if line.kind in ("code", "blank"):
                continue
            text = _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line.raw)
            if match := _NOTE_DEF.match(text):
                label = match.group(1)
                if label in defs:
                    yield finding("L012", rendered.chapter.path, line.number,
                                  match.start(1) - 1, label=label, first=defs[label][0])
                defs.setdefault(label, (line.number, match.start(1) - 1))
            for match in _NOTE_REF.finditer(text):
                refs.setdefault(match.group(1), (line.number, match.start() + 1))
        path = rendered.chapter.path
        for label, (line, col) in refs.items():
            if label not in defs:
                yield finding("L005", path, line, col, label=label)
        for label, (line, col) in defs.items():
            if label not in refs:
                yield finding("L006", path, line, col, label=label)


def check_duplicate_ids(given: CheckInput) -> Iterator[Diagnostic]:
    """L007: an id the author sets (`{#id}`, `id="…"`) is used once in the whole book."""
    seen: dict[str, tuple[Path, int]] = {}
    for rendered in given.chapters:
        for line in rendered.source.lines:
            if line.kind == "code":
                continue
            for match in _SET_ID.finditer(line.raw):
                written = match.group(1) or match.group(2)
                path = rendered.chapter.path
                if written in seen:
                    first_path, first_line = seen[written]
                    where = "this file" if first_path == path else first_path.name
                    yield finding("L007", path, line.number, match.start() + 1, id=written,
                                  first=first_line, where=where)
                else:
                    seen[written] = (path, line.number)
