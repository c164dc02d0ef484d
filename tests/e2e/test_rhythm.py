"""Vertical rhythm, measured in the PDF: every line of the text stands on the page's
baseline grid — under a subhead, a scene break, a quotation — so the lines of facing pages
align and two full facing pages end level, under a chapter's title too. Measured on
the sample and, when the corpus is at hand, on a book nobody here wrote."""

from __future__ import annotations

import itertools
import statistics

import pytest

from publish.build import build
from publish.pdf.readback import Page, Word, _lines, read
from tests.conftest import PRIDE, SAMPLE, STYLES

pytestmark = pytest.mark.slow
TOLERANCE = 1.0
"""Points a line may stand off the grid (poppler rounds the boxes it reports)."""


def _text_lines(page: Page) -> list[list[Word]]:
    inside = (w for w in page.words if 40 < w.y0 < page.height - 45)  # heads and folios aside
    return sorted(_lines(inside), key=lambda line: line[0].y1)


def _body_pages(pages: list[Page]) -> list[Page]:
    """The pages after the contents (whose entries end in leader dots)."""
    contents = [n for n, page in enumerate(pages)
                if any(w.text == "." for w in page.words)]
    return pages[(contents[-1] + 1 if contents else 0):]


def _off_grid(pdf) -> tuple[list[tuple[int, float, str]], float]:
    """The lines of text off the grid of the fullest page's line pitch (page, points off,
    words), and that pitch."""
    pages = _body_pages(read(pdf))
    lines = [(n, line) for n, page in enumerate(pages) for line in _text_lines(page)]
    height = statistics.mode(round(max(w.y1 - w.y0 for w in line), 1) for _n, line in lines)
    text = [(n, line) for n, line in lines
            if abs(max(w.y1 - w.y0 for w in line) - height) <= 0.3  # not a title or a note
            and any(ch.isalnum() for w in line for ch in w.text)]  # not a scene break
    fullest = max(pages, key=lambda page: len(_text_lines(page)))
    baselines = [line[0].y1 for line in _text_lines(fullest)]
    pitch = statistics.median(b - a for a, b in itertools.pairwise(baselines))
    origin = statistics.mode(round(line[0].y1 % pitch, 1) for _n, line in text)
    off = []
    for n, line in text:
        phase = ((line[0].y1 - origin) / pitch) % 1
        distance = min(phase, 1 - phase) * pitch
        if distance > TOLERANCE:
            off.append((n, round(distance, 1), " ".join(w.text for w in line)[:40]))
    return off, pitch


def _level(pdf) -> None:
    off, pitch = _off_grid(pdf)
    assert off == [], f"lines off the {pitch:.2f} pt grid: {off[:5]}"


def test_the_sample_keeps_its_lines_on_the_grid(tmp_path):
    result = build(SAMPLE, tmp_path / "out", styles=STYLES, formats=["pdf"])
    _level(result.outputs["pdf"])


def test_a_corpus_book_keeps_its_lines_on_the_grid(tmp_path):
    book = PRIDE.parent / "sherlock-holmes"
    if not (book / "book.yaml").is_file():
        pytest.skip(f"the corpus is not at {PRIDE.parent} (it lives in ../shared)")
    result = build(book, tmp_path / "out", styles=STYLES, formats=["pdf"])
    _level(result.outputs["pdf"])
