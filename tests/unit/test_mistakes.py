"""An author's common mistakes, one at a time, in a small book typed as authors type
(straight quotes, `--`, `...`): each answered at the line and column where it starts, in the
author's words, with a hint and exit status 1; the book without a mistake checks clean."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import STYLES

YAML = """\
title: The Keeper's Daughter
author: Ann Author
lang: en
identifier: urn:uuid:2f1c9a4e-8b7d-4c3a-9e21-5a6b7c8d9e0f
"""
CHAPTER = """\
# One

"It's late," she said -- and lit the lamp... It was the keeper's way.[^1]

[^1]: The lamp was lit at dusk.
"""
LISTED = "chapters:\n  - chapters/01.md\n"

MISTAKES = {
    "a footnote label defined twice": (
        {"chapters/01.md": CHAPTER + "\n[^1]: Or at dawn.\n"}, YAML,
        "chapters/01.md:7:1: error[L012]: footnote `[^1]` is defined twice (first on line 5)"),
    "a chapter file not listed": (
        {"chapters/01.md": CHAPTER, "chapters/02.md": "# Two\n\nText.\n"}, YAML + LISTED,
        "book.yaml:6:3: warning[S011]: `chapters/02.md` is in chapters/ but not in `chapters:`"),
    "an unclosed quote in book.yaml": (
        {"chapters/01.md": CHAPTER}, YAML.replace("author: Ann Author", 'author: "Ann Author'),
        "book.yaml:2:9: error[M001]: book.yaml cannot be read here: the quotation mark \" "
        "opened here is never closed"),
    "a tab in book.yaml": (
        {"chapters/01.md": CHAPTER}, YAML.replace("lang: en", "lang:\ten"),
        "book.yaml:3:6: error[M001]: book.yaml cannot be read here: a tab: YAML takes spaces "
        "only"),
    "a colon in a value": (
        {"chapters/01.md": CHAPTER}, YAML.replace("Daughter", "Daughter: A Novel"),
        "book.yaml:1:29: error[M001]: book.yaml cannot be read here: a second `: ` in a value"),
    "an unclosed ** under a scene break": (
        {"chapters/01.md": CHAPTER + "\n***\n\nThe **light went out.\n"}, YAML,
        "chapters/01.md:9:5: warning[T015]: `**` is printed: an emphasis mark without its pair"),
    "a missing title": (
        {"chapters/01.md": CHAPTER}, YAML.replace("title: The Keeper's Daughter\n", ""),
        "book.yaml:1:1: error[M003]: required key `title` is missing"),
    "a chapter listed twice": (
        {"chapters/01.md": CHAPTER}, YAML + LISTED + "  - chapters/01.md\n",
        "book.yaml:7:5: error[S007]: `chapters/01.md` is listed twice in `chapters:`"),
    "a missing image": (
        {"chapters/01.md": CHAPTER + "\n![A gull](gull.png)\n"}, YAML,
        "chapters/01.md:7:11: error[L001]: image `gull.png` does not exist in the book's folder"),
    "a Latin-1 file": (
        {"chapters/01.md": "# One\n\nCaf\u00e9 au lait.\n".encode("latin-1")}, YAML,
        "chapters/01.md:3:4: error[S003]: cannot read this file as UTF-8 text"),
    "an empty chapter": (
        {"chapters/01.md": CHAPTER, "chapters/02.md": ""}, YAML,
        "chapters/02.md:1:1: error[S006]: chapter file is empty"),
    "a heading level skipped": (
        {"chapters/01.md": CHAPTER + "\n### Deep\n\nText.\n"}, YAML,
        "chapters/01.md:7:1: error[H003]: heading level 3 follows level 1: level 2 is skipped"),
}
CLEAN = {
    "typed as authors type": {"chapters/01.md": CHAPTER},
    "with a byte order mark": {"chapters/01.md": "\ufeff".encode() + CHAPTER.encode()},
    "with Windows line ends": {"chapters/01.md": CHAPTER.replace("\n", "\r\n").encode()},
}


def _write(root: Path, files: dict[str, str | bytes], yaml: str) -> None:
    (root / "chapters").mkdir(parents=True)
    (root / "book.yaml").write_text(yaml, encoding="utf-8")
    for name, content in files.items():
        path = root / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def _check(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "publish", "check", root.name],
                          cwd=root.parent, capture_output=True, text=True, check=False,
                          env={**os.environ, "PUBLISH_STYLES": str(STYLES)})


@pytest.mark.parametrize("name", MISTAKES)
def test_each_mistake_is_answered_where_it_starts(name, tmp_path):
    files, yaml, expected = MISTAKES[name]
    _write(tmp_path / "book", files, yaml)
    result = _check(tmp_path / "book")
    findings = [line for line in result.stderr.splitlines() if "[" in line and "]: " in line]
    assert any(line.startswith("book/" + expected) for line in findings), result.stderr
    assert len(findings) == 1, result.stderr  # that one, and nothing else
    assert "hint: " in result.stderr
    assert "Traceback" not in result.stderr
    assert result.returncode == (0 if "warning[" in expected else 1)


@pytest.mark.parametrize("name", CLEAN)
def test_a_manuscript_typed_as_authors_type_checks_clean(name, tmp_path):
    _write(tmp_path / "book", CLEAN[name], YAML)
    result = _check(tmp_path / "book")
    assert result.returncode == 0
    assert result.stderr.strip() == "book: 0 errors, 0 warnings"
