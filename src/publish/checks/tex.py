"""TeX and YAML in a chapter (T016, T018, T019): what Pandoc's Markdown reads as something
other than text — raw LaTeX, a metadata block, math — where it does not reach the page as
the author may expect. Read from the source, as publish.manuscript.tex and
publish.manuscript.pandoc find them."""

from __future__ import annotations

from collections.abc import Iterator

from publish.checks.base import CheckInput
from publish.diagnostics import Diagnostic
from publish.manuscript.tex import formula, spans, to_mathml
from publish.model import RenderedChapter, SourceLine
from publish.rules import finding


def check_tex(given: CheckInput) -> Iterator[Diagnostic]:
    """T016 for raw TeX (left out), T019 for math latex2mathml cannot read (shown as TeX)."""
    for chapter in given.chapters:
        for paragraph in chapter.source.paragraphs():
            text = "\n".join(line.raw for line in paragraph)
            for span in spans(text):
                if span.kind == "raw":
                    yield _at(chapter, paragraph, span.start, "T016",
                              text=_shown(span.tex))
                elif to_mathml(formula(span), span.kind == "display") is None:
                    yield _at(chapter, paragraph, span.start, "T019", text=_shown(span.tex),
                              problem="it uses a command MathML has no equal for")
        block_start = True
        for line in chapter.source.lines:
            if line.kind == "tex" and block_start:
                yield finding("T016", chapter.chapter.path, line.number, 1,
                              text=_shown(line.raw.strip()))
            block_start = line.kind != "tex"


def check_metadata_blocks(given: CheckInput) -> Iterator[Diagnostic]:
    """T018: a YAML metadata block in a chapter (Pandoc reads it; a book's is book.yaml)."""
    for chapter in given.chapters:
        previous = ""
        for line in chapter.source.lines:
            if line.kind == "metadata" and previous != "metadata":
                yield finding("T018", chapter.chapter.path, line.number, 1)
            previous = line.kind


def _shown(tex: str) -> str:
    first = tex.split("\n")[0]
    return first if len(first) <= 40 else first[:39] + "…"


def _at(chapter: RenderedChapter, paragraph: list[SourceLine], offset: int, code: str,
        **fields: object) -> Diagnostic:
    """A finding at character `offset` of the paragraph's raw lines joined with newlines."""
    for line in paragraph:
        if offset <= len(line.raw):
            return finding(code, chapter.chapter.path, line.number, offset + 1, **fields)
        offset -= len(line.raw) + 1
    return finding(code, chapter.chapter.path, paragraph[-1].number, 1, **fields)
