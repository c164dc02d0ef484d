"""What the author asked to hear: `checks:` in book.yaml and `<!-- publish: ignore … -->`.

Rules never look at this; the findings they yield are filtered and re-graded here, after
the fact (as flake8 does with its DecisionEngine and `# noqa`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

from publish.diagnostics import Diagnostic, Severity
from publish.model import Book, RenderedChapter
from publish.rules import RULES, finding

SETTINGS = {"off": None, "warning": Severity.WARNING, "error": Severity.ERROR}
UNYIELDING = frozenset({"S002", "S003", "S008", "S009", "S010"})
"""Rules that find a chapter that cannot be made at all (missing, unreadable, too large, too
deep): let through, the book would silently lack it, so they stay errors."""


def read_settings(book: Book) -> tuple[dict[str, Severity | None], list[Diagnostic]]:
    """The `checks:` mapping (code → severity, or None for off) and what is wrong with it."""
    raw = book.check_settings
    if not raw:
        return {}, []
    pos = book.position_of("checks")
    if not isinstance(raw, dict):
        return {}, [finding("M004", book.config_path, pos.line, pos.col, key="checks",
                            expected="a mapping of rule codes to off, warning or error",
                            actual="something else")]
    settings: dict[str, Severity | None] = {}
    problems = []
    for code, value in raw.items():
        code = str(code).upper()
        word = "off" if value is False else str(value).lower()
        if code not in RULES:
            problems.append(finding("M016", book.config_path, pos.line, pos.col, rule=code))
        elif word not in SETTINGS:
            problems.append(finding("M017", book.config_path, pos.line, pos.col, rule=code,
                                    value=value))
        elif code in UNYIELDING and word != "error":
            problems.append(finding("M027", book.config_path, pos.line, pos.col, rule=code))
        else:
            settings[code] = SETTINGS[word]
    return settings, problems


def apply_policy(findings: Iterable[Diagnostic], book: Book,
                 chapters: Sequence[RenderedChapter]) -> list[Diagnostic]:
    """Drop what is switched off or silenced on its line; re-grade what `checks:` asks."""
    settings, problems = read_settings(book)
    silenced = {(c.chapter.path, line): codes
                for c in chapters for line, codes in c.source.suppressed.items()}
    kept = []
    for diag in findings:
        if diag.code in silenced.get((diag.path, diag.line), ()):
            continue
        if diag.code in settings:
            severity = settings[diag.code]
            if severity is None:
                continue
            diag = dataclasses.replace(diag, severity=severity)
        kept.append(diag)
    return sorted([*kept, *problems])
