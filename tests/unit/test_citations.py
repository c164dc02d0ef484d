"""Citations read as Pandoc's citeproc gives them, in a style that sets them in notes and
with the bibliography where the author put `::: {#refs}`; citations found as Pandoc finds
them (not in code, not an e-mail address)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pypandoc
from lxml import html as lxml_html

from publish.manuscript.citations import find_citations
from publish.manuscript.load import load_book
from publish.manuscript.markup import render_book
from publish.manuscript.source import scan
from tests.nonfiction import WORKS

NOTES_CSL = Path(__file__).resolve().parent.parent / "fixtures" / "csl" / "notes.csl"
TEXT = ("# Sources\n\nFirst [@doe2020, p. 12]. Second [see @roe2018; @poe1999].\n"
        "@doe2020 says so, and mail goes to keeper@example.org, not `[@code]`.\n\n"
        "::: {#refs}\n:::\n\nAfter the works.\n")


def _book(root: Path) -> Path:
    (root / "chapters").mkdir(parents=True)
    (root / "works.json").write_text(json.dumps(WORKS), encoding="utf-8")
    shutil.copy(NOTES_CSL, root / "notes.csl")
    (root / "book.yaml").write_text(
        "title: Noted\nauthor: A. Writer\nlang: en\nbibliography: works.json\n"
        "csl: notes.csl\n", encoding="utf-8")
    (root / "chapters" / "01.md").write_text(TEXT, encoding="utf-8")
    return root


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def test_citations_are_found_as_pandoc_finds_them(tmp_path: Path):
    found = find_citations(TEXT, scan(TEXT, 1), tmp_path / "01.md", 1)
    assert [(c.written, c.keys, c.line, c.col) for c in found] == [
        ("[@doe2020, p. 12]", ("doe2020",), 3, 7),
        ("[see @roe2018; @poe1999]", ("roe2018", "poe1999"), 3, 33),
        ("@doe2020", ("doe2020",), 4, 1)]


def test_a_notes_style_sets_each_citation_in_a_footnote_as_pandoc_does(tmp_path: Path):
    root = _book(tmp_path / "book")
    book, _ = load_book(root)
    chapters, problems = render_book(book)
    assert problems == []
    ours = lxml_html.fromstring(chapters[0].body)
    theirs = lxml_html.fromstring(pypandoc.convert_text(
        TEXT, "html5", format="markdown",
        extra_args=["--citeproc", "--wrap=none", f"--bibliography={root / 'works.json'}",
                    f"--csl={NOTES_CSL}"]))
    assert [_text(n) for n in ours.xpath("//span[@class='citation-note']")] == [
        _text(li).rstrip("↩︎").strip() for li in theirs.xpath("//li[starts-with(@id, 'fn')]")]
    # The note's call after the punctuation, with no space before it, as Pandoc sets it.
    first = ours.xpath("//p")[0]
    assert _text(first).startswith("First.1 Second.2 Doe3 says so")
    # The bibliography where the author put it, and no section of its own.
    assert len(chapters) == 1
    refs = ours.xpath("//div[@id='refs']")[0]
    assert [_text(e) for e in refs] == [
        _text(e) for e in theirs.xpath("//div[contains(@class, 'csl-entry')]")]
    assert refs.getnext() is not None and _text(refs.getnext()) == "After the works."
