"""The index, in print and in the EPUB, from one marking: built from a generated nonfiction
book (tests/nonfiction.py), read back as a reader would — every entry lists exactly the
folios its marks are printed on, every EPUB locator reaches its mark, EPUBCheck and Ace
find nothing — and a page reference prints the folio its target stands on."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pikepdf
import pytest
from lxml import etree

from publish import bookindex
from publish.build import build, prepare
from publish.epub.validate import run_epubcheck
from tests.conftest import STYLES
from tests.e2e.helpers import NS, ace_violations, page_text
from tests.nonfiction import make_nonfiction

pytestmark = pytest.mark.slow
FOLIO = re.compile(r"^(\d+|[ivxlc]+)$")


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory):
    root = make_nonfiction(tmp_path_factory.mktemp("nonfiction") / "book")
    result = build(root, root.parent / "out", styles=STYLES, formats=["pdf", "epub"])
    return root, result


def _destinations(pdf: Path) -> dict[str, int]:
    """Each named destination of the PDF (an id of the book) → its page (from 0)."""
    with pikepdf.open(pdf) as document:
        pages = {page.objgen: number for number, page in enumerate(document.pages)}
        tree = pikepdf.NameTree(document.Root.Names.Dests)
        return {name: pages[(dest if isinstance(dest, pikepdf.Array) else dest.D)[0].objgen]
                for name, dest in tree.items()}


def _folio(pdf: Path, page: int) -> str:
    """The folio printed on a page (its only line that is a page number)."""
    found = [line.strip() for line in page_text(pdf, page).splitlines()
             if FOLIO.match(line.strip())]
    assert len(found) == 1, (page, found)
    return found[0]


def _index_lines(pdf: Path, first: int) -> list[str]:
    count = len(pikepdf.open(pdf).pages)
    return [line.strip() for page in range(first, count)
            for line in page_text(pdf, page).splitlines() if line.strip()]


def _expected_lines(entry: bookindex.Entry, folios: dict[str, str]) -> list[str]:
    runs = bookindex.page_runs(entry.locators, folios)
    line = entry.term + "".join(f", {text}" for text, _anchor in runs)
    for word, targets in (("See", entry.see), ("See also", entry.see_also)):
        if targets:
            line += f". {word} " + "; ".join(bookindex.reference(t) for t in targets)
    lines = [line]
    for child in entry.sub_entries:
        lines += _expected_lines(child, folios)
    return lines


def test_every_entry_lists_the_folios_its_marks_are_printed_on(book):
    root, result = book
    _entries_match_their_marks(root, result.outputs["pdf"])


def test_at_another_trim_for_another_printer_too(book):
    root, _result = book
    other = build(root, root.parent / "out-6x9", styles=STYLES, formats=["pdf"], trim="6x9",
                  profile="ingramspark", theme="modern")
    _entries_match_their_marks(root, other.outputs["pdf"])


def _entries_match_their_marks(root: Path, pdf: Path) -> None:
    checked = prepare(root, STYLES)
    marks = bookindex.marks_of(checked.chapters)
    destinations = _destinations(pdf)
    folios = {}
    for mark in marks:
        page = destinations[mark.anchor]
        folios[mark.anchor] = _folio(pdf, page)
    # Where a mark has words, they are printed on the page its folio names.
    squeezed = {page: " ".join(page_text(pdf, page).split()) for page in destinations.values()}
    for chapter in checked.chapters:
        for span in re.finditer(r'<span class="index" id="([^"]+)">([^<]+)</span>', chapter.body):
            assert span.group(2).split()[-1] in squeezed[destinations[span.group(1)]], span.group(0)
    index_page = destinations[bookindex.ID]
    printed = _index_lines(pdf, index_page)
    groups = bookindex.gather(marks)
    expected = [line for group in groups for entry in group.entries
                for line in _expected_lines(entry, folios)]
    assert [line for line in expected if line not in printed] == []
    assert len(expected) >= 12 and any("–" in line for line in expected)  # a range
    # Grouped by letter in the book's collation: Ó with O, Æ and Å with A, é with E.
    letters = {group.letter: [entry.term for entry in group.entries] for group in groups}
    assert list(letters) == sorted(letters) and set(letters) <= set(printed)
    assert letters["A"] == ["Æsir", "Ångström"] and "Óbidos" in letters["O"]
    assert letters["E"] == ["éclair"]
    # The index is in the contents, with its folio.
    contents = " ".join(page_text(pdf, destinations["toc"]).split())
    assert re.search(rf"Index( \.)+ {_folio(pdf, index_page)}\b", contents), contents


def test_a_page_reference_prints_the_folio_of_its_target(book):
    _root, result = book
    pdf = result.outputs["pdf"]
    destinations = _destinations(pdf)
    folio = _folio(pdf, destinations["station-2"])
    text = " ".join(" ".join(page_text(pdf, page).split())
                    for page in range(len(pikepdf.open(pdf).pages)))
    assert f"the second station, page {folio}." in text
    # In the EPUB it stays a link, with no folio added.
    with zipfile.ZipFile(result.outputs["epub"]) as archive:
        chapter = archive.read("EPUB/chapter-04.xhtml").decode()
    assert re.search(r'<a class="page-ref" href="chapter-02.xhtml#station-2">the second '
                     r"station</a>\.", chapter)


def test_the_epub_index_reaches_every_mark_and_validates(book):
    _root, result = book
    epub = result.outputs["epub"]
    with zipfile.ZipFile(epub) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    index = etree.fromstring(files["EPUB/index.xhtml"])
    locators = index.xpath("//x:a[@epub:type='index-locator']", namespaces=NS)
    assert len(locators) >= 20
    for locator in locators:
        target, _, anchor = locator.get("href").partition("#")
        document = etree.fromstring(files[f"EPUB/{target}"])
        assert document.xpath("//*[@id=$a]", a=anchor), locator.get("href")
        assert FOLIO.match(locator.text.split("–")[0])  # the print edition's folio
    assert index.xpath("//x:section[@epub:type='index'][@role='doc-index']", namespaces=NS)
    nav = etree.fromstring(files["EPUB/nav.xhtml"])
    assert nav.xpath("//x:nav[@epub:type='landmarks']//x:a[@epub:type='index']",
                     namespaces=NS)
    assert nav.xpath("//x:nav[@epub:type='toc']//x:a[@href='index.xhtml']", namespaces=NS)
    assert [f for f in run_epubcheck(epub)] == []
    assert ace_violations(epub) == []


def test_the_book_with_its_index_reads_back_whole(book):
    from tests.e2e.test_whole import read_back

    root, result = book
    assert read_back(root, result.outputs["pdf"]) == []
    assert result.report is not None and result.report.far() == []


def _texts(elements) -> list[str]:
    return [" ".join("".join(e.itertext()).split()) for e in elements]


def test_citations_and_bibliography_read_as_pandocs_citeproc_gives_them(book):
    """The same chapters and bibliography through Pandoc 3 (`--citeproc`, its default
    Chicago author-date): every citation, in order, and every entry read the same."""
    import pypandoc
    from lxml import html as lxml_html

    from tests.nonfiction import CITATIONS

    root, result = book
    chapters = sorted((root / "chapters").glob("*.md"))
    text = "\n\n".join(path.read_text(encoding="utf-8") for path in chapters)
    assert all(form in text for form in CITATIONS)  # one of every form
    theirs = lxml_html.fromstring("<div>" + pypandoc.convert_text(
        "---\nnocite: |\n  @lee2001\n---\n\n" + text, "html5", format="markdown",
        extra_args=["--citeproc", "--wrap=none", f"--bibliography={root / 'works.json'}",
                    "-M", "lang=en"]) + "</div>")
    with zipfile.ZipFile(result.outputs["epub"]) as archive:
        ours = [etree.fromstring(archive.read(f"EPUB/chapter-{n:02d}.xhtml"))
                for n in range(1, len(chapters) + 1)]
        bibliography = etree.fromstring(archive.read("EPUB/bibliography.xhtml"))
        nav = etree.fromstring(archive.read("EPUB/nav.xhtml"))
    our_citations = [t for doc in ours
                     for t in _texts(doc.xpath("//x:span[@class='citation']", namespaces=NS))]
    their_citations = _texts(theirs.xpath("//span[@class='citation']"))
    assert len(our_citations) >= 15 and our_citations == their_citations
    our_entries = _texts(bibliography.xpath("//x:div[@class='csl-entry']", namespaces=NS))
    assert our_entries == _texts(theirs.xpath("//div[contains(@class, 'csl-entry')]"))
    assert any("Østergaard" in entry for entry in our_entries)
    assert any("Lighthouse Service" in entry for entry in our_entries)  # nocite
    assert bibliography.xpath("//x:section[@role='doc-bibliography']", namespaces=NS)
    assert nav.xpath("//x:nav[@epub:type='landmarks']//x:a[@epub:type='bibliography']",
                     namespaces=NS)
    # In print too: the citations as the EPUB has them, the bibliography at the back.
    printed = " ".join(" ".join(page_text(result.outputs["pdf"], n).split())
                       for n in range(len(pikepdf.open(result.outputs["pdf"]).pages)))
    for citation in set(our_citations) | set(our_entries):
        assert citation.replace(" ", "") in printed.replace(" ", "").replace("‐", ""), citation


def test_the_kobo_edition_and_the_kindle_conversion_keep_the_index(book):
    import shutil

    from publish.epub.validate import run_kindle_check
    from publish.pdf.preflight import last_words

    root, result = book
    build(root, root.parent / "out-kobo", styles=STYLES, formats=["kepub"])
    kepub = next((root.parent / "out-kobo").glob("*.kepub.epub"))
    assert run_epubcheck(kepub) == []
    with zipfile.ZipFile(kepub) as archive:
        assert b'epub:type="index-locator"' in archive.read("EPUB/index.xhtml")
    if shutil.which("ebook-convert") is None:
        pytest.skip("the Kindle check needs Calibre")
    chapters = [(c.title, last_words(c)) for c in prepare(root, STYLES).chapters]
    assert run_kindle_check(result.outputs["epub"], chapters) == []
