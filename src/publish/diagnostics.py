"""The one type for everything `publish` reports about a manuscript, and how it is printed."""

from __future__ import annotations

import enum
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


class Severity(enum.Enum):
    """How bad a finding is; errors stop the build."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One finding, located in a file the author edits.

    `line` and `col` are 1-based; 0 means "the whole file" or "the whole line".
    """

    path: Path
    line: int
    col: int
    code: str
    severity: Severity
    message: str
    hint: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def display_path(path: Path, cwd: Path | None = None) -> str:
    """The path as the author would type it: relative to the working folder when inside it."""
    cwd = cwd or Path.cwd()
    try:
        return os.path.relpath(path, cwd) if path.is_absolute() else str(path)
    except ValueError:  # another drive on Windows
        return str(path)


_COLOURS = {Severity.ERROR: "\033[1;31m", Severity.WARNING: "\033[1;33m"}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"


def _where(diag: Diagnostic, cwd: Path | None) -> str:
    where = display_path(diag.path, cwd)
    if diag.line:
        where += f":{diag.line}"
        if diag.col:
            where += f":{diag.col}"
    return where


def format_diagnostic(diag: Diagnostic, cwd: Path | None = None, *, colour: bool = False
                      ) -> str:
    """gcc-style text: `path:line:col: error[CODE]: message`, then an indented hint."""
    where, label = _where(diag, cwd), f"{diag.severity.value}[{diag.code}]"
    if colour:
        where, label = f"{_BOLD}{where}{_RESET}", f"{_COLOURS[diag.severity]}{label}{_RESET}"
    text = f"{where}: {label}: {diag.message}"
    if diag.hint:
        hint = f"hint: {diag.hint}"
        text += f"\n    {_DIM}{hint}{_RESET}" if colour else f"\n    {hint}"
    return text


def format_github(diag: Diagnostic, cwd: Path | None = None) -> str:
    """A GitHub Actions workflow command, which shows the finding on the pull request."""
    def escape(value: str, *, prop: bool = False) -> str:
        value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return value.replace(":", "%3A").replace(",", "%2C") if prop else value

    level = "error" if diag.is_error else "warning"
    props = [f"file={escape(display_path(diag.path, cwd), prop=True)}"]
    if diag.line:
        props.append(f"line={diag.line}")
        if diag.col:
            props.append(f"col={diag.col}")
    props.append(f"title={diag.code}")
    message = diag.message + (f" (hint: {diag.hint})" if diag.hint else "")
    return f"::{level} {','.join(props)}::{escape(message)}"


def as_json(diagnostics: Iterable[Diagnostic], cwd: Path | None = None) -> dict:
    """Findings as plain data, for editors and CI."""
    items = list(diagnostics)
    errors = sum(d.is_error for d in items)
    return {
        "diagnostics": [
            {"path": display_path(d.path, cwd), "line": d.line, "column": d.col,
             "code": d.code, "severity": d.severity.value, "message": d.message,
             "hint": d.hint}
            for d in items
        ],
        "errors": errors,
        "warnings": len(items) - errors,
    }


def summary(diagnostics: Iterable[Diagnostic]) -> str:
    """`2 errors, 1 warning` — the closing line of a report."""
    items = list(diagnostics)
    errors = sum(d.is_error for d in items)
    warnings = len(items) - errors

    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    return f"{plural(errors, 'error')}, {plural(warnings, 'warning')}"


class PublishError(Exception):
    """A build or check that cannot go on; carries what the author must be shown."""

    exit_code = 1

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = sorted(diagnostics)
        super().__init__("\n".join(format_diagnostic(d) for d in self.diagnostics))


class ToolError(Exception):
    """The machine, not the manuscript, is at fault (a missing font, a failing renderer)."""

    exit_code = 2
