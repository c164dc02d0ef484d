"""Pandoc's Markdown, measured by Pandoc itself: each case of tests/fixtures/pandoc/cases.md
(one for every construct of Pandoc's reader, written here) is rendered by `publish` and by
Pandoc (`pandoc -f markdown -t html5 --mathml`, from pypandoc-binary; code not
highlighted), and the two compared as a reader meets them: structure and words, notes in
the order they are called (tests/pandoc_structure.py). The differences we accept are listed
in `ACCEPTED`, each with its reason, and in the README's "Coming from Pandoc" table."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image

from publish.manuscript.load import load_book
from publish.manuscript.markup import render_book
from tests.conftest import MINIMAL_YAML
from tests.pandoc_structure import tokens

pypandoc = pytest.importorskip("pypandoc", reason="the conformance test needs Pandoc "
                               "(pip install pypandoc-binary)")

CASES_FILE = Path(__file__).resolve().parents[1] / "fixtures" / "pandoc" / "cases.md"
ACCEPTED: dict[str, str] = {
    "inline html that is no tag": "a `<` that begins no element of HTML is text: Pandoc "
                                  "passes `<j-1 and j>` on as a tag, which no reader sees",
}
"""Case → why `publish` writes it otherwise than Pandoc (the README says so too)."""


def cases() -> list[tuple[str, str]]:
    text = CASES_FILE.read_text(encoding="utf-8")
    parts = re.split(r"^=== (.+)$", text, flags=re.MULTILINE)[1:]
    return [(name.strip(), body.strip("\n") + "\n") for name, body in zip(parts[::2],
                                                                         parts[1::2],
                                                                         strict=True)]


def ours(markdown: str, root: Path) -> str:
    """`publish`'s XHTML for `markdown` as a chapter's text."""
    (root / "chapters").mkdir(parents=True)
    (root / "book.yaml").write_text(MINIMAL_YAML, encoding="utf-8")
    (root / "chapters" / "01.md").write_text("# Chapter\n\n" + markdown, encoding="utf-8")
    for name in set(re.findall(r"\]\((\w+\.png)\)", markdown)):
        Image.new("RGB", (800, 500), (90, 110, 130)).save(root / "chapters" / name)
    book, _problems = load_book(root)
    chapters, _findings = render_book(book)
    assert chapters, "the chapter did not render"
    return chapters[0].body


def pandoc(markdown: str) -> str:
    return pypandoc.convert_text("# Chapter\n\n" + markdown, "html5", format="markdown",
                                 extra_args=["--mathml", "--syntax-highlighting=none"])


def compared(markdown: str, root: Path) -> tuple[object, object]:
    mine, theirs = tokens(ours(markdown, root)), tokens(pandoc(markdown))
    return mine, theirs


@pytest.mark.parametrize(("name", "markdown"), cases(), ids=[name for name, _ in cases()])
def test_each_construct_reads_as_pandoc_reads_it(name: str, markdown: str, tmp_path: Path):
    if name in ACCEPTED:
        pytest.skip(ACCEPTED[name])
    mine, theirs = compared(markdown, tmp_path / "book")
    assert mine == theirs


def test_every_accepted_difference_is_in_the_readme():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    names = {name for name, _ in cases()}
    assert set(ACCEPTED) <= names
    for reason in ACCEPTED.values():
        assert reason in readme
