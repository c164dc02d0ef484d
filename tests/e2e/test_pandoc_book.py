"""A book written only with Pandoc's habits builds clean: no syntax left in the EPUB's or the
PDF's text, every construct as Pandoc writes it, EPUBCheck (and Ace, where installed) at
zero; and Pride and Prejudice's chapter 49 prints its address on two lines."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from publish.build import build, check
from publish.diagnostics import ToolError
from publish.epub.validate import CHROMIUM, ace_command, run_ace, run_epubcheck
from tests.conftest import PRIDE, STYLES
from tests.e2e.helpers import NS, pdf_text, read_epub

pytestmark = pytest.mark.slow

PANDOC_CHAPTER = """\
# The Letter

::: {.epigraph}
Some books are to be tasted, others to be swallowed.

::: signature
Francis Bacon
:::
:::

It was a [dark and stormy]{.smallcaps} night, and [the house]{#house} was quiet---or
nearly so. Pages 12--18 say more; see [the house](#house).

“Gracechurch-street, Monday,\\
August 2.”

Water is H~2~O, a kilobyte 2^10^ bytes, and ~~nothing~~ is struck.

| The owl and the pussy-cat went to sea
|    In a beautiful pea-green boat,
| They took some honey, and plenty of money,
   wrapped up in a five-pound note.

::: letter
My dear *Lizzy*,

I write in haste.

::: signature
Jane
:::
:::

\\newpage

## Afterwards {-}

The next page begins here.
"""
LEFT_AS_SYNTAX = re.compile(r"(?m):::|\{[#.:-]|\]\{|\^|~|\\|\[\^|^\|")


@pytest.fixture(scope="module")
def pandoc_book(tmp_path_factory) -> tuple[Path, dict]:
    root = tmp_path_factory.mktemp("pandoc") / "book"
    (root / "chapters").mkdir(parents=True)
    (root / "book.yaml").write_text(
        "title: Pandoc Habits\nauthor: A. Writer\nlang: en-GB\n"
        "identifier: urn:uuid:3b2c1d0e-9f8a-4b7c-8d6e-5f4a3b2c1d0e\n", encoding="utf-8")
    (root / "chapters" / "01.md").write_text(PANDOC_CHAPTER, encoding="utf-8")
    result = build(root, root.parent / "out", styles=STYLES, formats=["epub", "pdf"])
    return root, {"result": result, "files": read_epub(result.outputs["epub"])}


def test_the_manuscript_has_no_finding(pandoc_book):
    root, _built = pandoc_book
    _book, diagnostics = check(root, STYLES)
    assert [f"{d.code} {d.line}:{d.col} {d.message}" for d in diagnostics] == []


def test_each_construct_is_what_pandoc_writes(pandoc_book):
    _root, built = pandoc_book
    chapter = etree.fromstring(built["files"]["EPUB/chapter-01.xhtml"])

    def find(path: str) -> list:
        return chapter.xpath(path, namespaces=NS)

    assert find("//x:span[@class='smallcaps']/text()") == ["dark and stormy"]
    assert find("//x:span[@id='house']/text()") == ["the house"]
    assert find("//x:a[@href='#house']")
    assert find("//x:sub/text()") == ["2"] and find("//x:sup/text()") == ["10"]
    assert find("//x:del/text()") == ["nothing"]
    [epigraph] = find("//x:div[@class='epigraph']")
    assert epigraph.xpath("x:div[@class='signature']/x:p/text()", namespaces=NS) == [
        "Francis Bacon"]
    [letter] = find("//x:div[@class='letter']")
    assert letter.xpath("x:div[@class='signature']/x:p/text()", namespaces=NS) == ["Jane"]
    [verse] = find("//x:div[@class='line-block']")
    assert len(verse.xpath("x:br", namespaces=NS)) == 2
    assert "\u00a0\u00a0\u00a0In a beautiful" in "".join(verse.itertext())
    assert "plenty of money, wrapped up" in "".join(verse.itertext())
    assert find("//x:h2[@class='unnumbered']/text()") == ["Afterwards"]
    assert not find("//x:div[@class='newpage']")  # a page break is the print edition's
    text = "".join(chapter.xpath("//x:body//text()", namespaces=NS))
    assert "—or" in text and "12–18" in text
    assert "Monday,\nAugust 2." in text
    assert LEFT_AS_SYNTAX.findall(text) == []


def test_the_pdf_has_no_syntax_and_breaks_the_page(pandoc_book):
    _root, built = pandoc_book
    pages = pdf_text(built["result"].outputs["pdf"]).split("\f")
    assert LEFT_AS_SYNTAX.findall("\n".join(pages)) == []
    after = next(i for i, page in enumerate(pages) if "Afterwards" in page)
    assert "I write in haste." not in pages[after]
    assert "I write in haste." in pages[after - 1]  # the break came between them


def test_validators_are_at_zero(pandoc_book):
    _root, built = pandoc_book
    epub = built["result"].outputs["epub"]
    assert run_epubcheck(epub) == []
    try:
        ace_command()
    except ToolError:
        return  # Ace is checked where `make check` installed it
    if Path(CHROMIUM).is_file():
        assert [f"{f.code} {f.message}" for f in run_ace(epub)] == []


def test_pride_and_prejudice_chapter_49_breaks_the_address_line(tmp_path):
    if not (PRIDE / "book.yaml").is_file():
        pytest.skip(f"Pride and Prejudice corpus not found at {PRIDE}")
    from publish.build import prepare

    chapters = prepare(PRIDE, STYLES).chapters
    chapter = next(c for c in chapters if "Gracechurch-street, Monday," in c.body)
    assert "Gracechurch-street, Monday,<br/>\nAugust 2." in chapter.body
    assert "Monday,\\" not in chapter.body
