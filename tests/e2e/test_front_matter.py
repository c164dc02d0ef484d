"""The front matter at every trim the profiles offer: the half-title, the title page and the
copyright page keep every line (preflight finds every word of them where it belongs), and a
long title stands in even lines on the half-title."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from publish.build import build
from publish.frontmatter import HALF_TITLE_SIZE, HALF_TITLE_SPACING, balanced
from publish.manuscript.load import load_book
from publish.printing import TRIMS, PrintSettings, text_width
from tests.conftest import SAMPLE, STYLES

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("trim", sorted(TRIMS))
def test_front_matter_keeps_every_line_at_every_trim(trim, tmp_path):
    pdf = build(SAMPLE, tmp_path / "out", styles=STYLES, formats=["pdf"], trim=trim
                ).outputs["pdf"]
    checked = subprocess.run([sys.executable, "-m", "publish", "preflight", str(pdf), "--book",
                              str(SAMPLE), "--trim", trim], capture_output=True, text=True,
                             env={**os.environ, "NO_COLOR": "1"})
    assert "preflight: 0 problems" in checked.stdout + checked.stderr, checked.stdout
    half_title = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-layout", str(pdf), "-"],
                                capture_output=True, text=True, check=True).stdout
    printed = [line.strip() for line in half_title.splitlines() if line.strip()]
    book, _ = load_book(SAMPLE)
    width = text_width(PrintSettings(TRIMS[trim])) * 72
    expected = str(balanced(book.metadata.title, width / HALF_TITLE_SIZE, HALF_TITLE_SPACING))
    assert printed == [line.strip() for line in expected.split("<br/>")]
    lengths = [len(line) for line in printed]
    assert max(lengths) - min(lengths) < 8  # even lines, no word left alone
