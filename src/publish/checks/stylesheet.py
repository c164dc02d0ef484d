"""The book's own style.css (L): every file it names (`@import`, `url()`, `@font-face`) must
lie inside the book's folder or the styles folder, and nothing may come from the network.
Sheets it imports from the book are read the same way, each once."""

from __future__ import annotations

from collections.abc import Iterator

from publish.checks.base import CheckInput
from publish.diagnostics import Diagnostic
from publish.limits import MAX_CHAPTER_BYTES
from publish.manuscript.cssrefs import css_references
from publish.manuscript.textfile import read_text
from publish.rules import finding
from publish.sandbox import Reference, classify, locate


def check_stylesheet(given: CheckInput) -> Iterator[Diagnostic]:
    """L002, L008, L009 in style.css and the sheets it imports; S003 if one is not text."""
    sheet = given.book.style_override
    if sheet is None:
        return
    roots = [given.book.root] + ([given.styles] if given.styles else [])
    pending, seen = [sheet], set()
    while pending:
        path = pending.pop()
        if path.resolve() in seen:
            continue
        seen.add(path.resolve())
        text, problem = read_text(path, MAX_CHAPTER_BYTES)
        if text is None:
            if problem:
                yield problem
            continue
        for ref in css_references(text):
            kind = classify(ref.url)
            local = locate(path.parent, ref.url, roots) if kind is Reference.LOCAL else None
            if kind is Reference.REMOTE or kind is Reference.OTHER:
                yield finding("L002", path, ref.line, ref.col, src=ref.url)
            elif kind is Reference.SCRIPT:
                yield finding("L009", path, ref.line, ref.col, what=f"`{ref.url[:40]}`")
            elif kind is Reference.FILE or (kind is Reference.LOCAL and local is None):
                yield finding("L008", path, ref.line, ref.col, src=ref.url)
            elif ref.is_import and local is not None and local.suffix.lower() == ".css":
                pending.append(local)
