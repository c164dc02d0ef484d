"""Every construct of Pandoc's Markdown in one book: the conformance cases
(tests/fixtures/pandoc/cases.md), a chapter each, pass `publish check` without an error,
and then give an EPUB that EPUBCheck and DAISY Ace pass, and a PDF — math drawn, tables set,
notes at the foot — that keeps every word (the build's invariants) and passes preflight."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from PIL import Image

from publish.build import build, check
from publish.diagnostics import Severity
from publish.epub.validate import run_epubcheck
from tests.conftest import MINIMAL_YAML, STYLES
from tests.e2e.helpers import ace_violations
from tests.unit.test_pandoc_conformance import cases

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pandoc_book(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("pandoc") / "book"
    (root / "chapters").mkdir(parents=True)
    (root / "book.yaml").write_text(MINIMAL_YAML, encoding="utf-8")
    # The themes' faces have no CJK letters: P001 rightly stops a book that uses them.
    settable = [(name, markdown) for name, markdown in cases()
                if not any(unicodedata.east_asian_width(char) in "WF" for char in markdown)]
    for number, (name, markdown) in enumerate(settable, 1):
        (root / "chapters" / f"{number:02}.md").write_text(
            f"# {name.capitalize()}\n\n{markdown}", encoding="utf-8")
        for image in set(re.findall(r"\]\((\w+\.png)\)", markdown)):
            Image.new("RGB", (1600, 1000), (90, 110, 130)).save(root / "chapters" / image)
    return root, tmp_path_factory.mktemp("pandoc-out")


def test_every_construct_passes_check_without_an_error(pandoc_book):
    root, _out = pandoc_book
    _book, found = check(root, STYLES)
    assert [f"{d.code} {d.path.name}:{d.line} {d.message}" for d in found
            if d.severity is Severity.ERROR] == []


def test_every_construct_gives_a_valid_epub_and_a_whole_pdf(pandoc_book):
    root, out = pandoc_book
    result = build(root, out, styles=STYLES)  # fails if a word is lost in print
    assert [f"{f.code} {f.document} {f.message}" for f in run_epubcheck(
        result.outputs["epub"])] == []
    done = subprocess.run([sys.executable, "-m", "publish", "preflight",
                           str(result.outputs["pdf"]), "--book", str(root)],
                          capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
    assert "preflight: 0 problems" in done.stdout + done.stderr, done.stdout + done.stderr
    assert ace_violations(result.outputs["epub"]) == []
