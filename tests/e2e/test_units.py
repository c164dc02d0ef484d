"""The print PDF typeset unit by unit is the book a whole-book layout gives: the same text
on every page (running heads and folios included), the same outline and contents, each face
embedded once and the file no more than 1.3 times the bytes; and a rebuild after an edit,
served from the layout cache, is byte for byte a cold build."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest

from publish.build import build, build_time, prepare
from publish.pdf import LayoutCache, write_pdf
from publish.pdf.edition import whole_book_layout
from tests.conftest import PRIDE, SAMPLE, STYLES
from tests.e2e.helpers import top_level_outline

pytestmark = pytest.mark.slow


def page_texts(pdf: Path | bytes) -> list[str]:
    """Each page's text as pdftotext lays it out, trailing blank pages dropped."""
    data = pdf.read_bytes() if isinstance(pdf, Path) else pdf
    text = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"], input=data,
                          capture_output=True, check=True).stdout.decode()
    pages = [page.rstrip() for page in text.split("\f")]
    while pages and not pages[-1].strip():
        pages.pop()
    return pages


def face_programs(pdf: pikepdf.Pdf) -> dict[str, set[tuple[int, int]]]:
    """Each embedded face's name → the font program objects embedded for it."""
    found: dict[str, set[tuple[int, int]]] = {}
    for page in pdf.pages:
        for xobject in [page, *(x for _n, x in page.resources.get("/XObject", {}).items())]:
            resources = xobject.get("/Resources") if xobject is not page else page.resources
            for _name, font in (resources or {}).get("/Font", {}).items():
                for cid in font.get("/DescendantFonts", []):
                    descriptor = cid.FontDescriptor
                    key = next(k for k in ("/FontFile3", "/FontFile2") if k in descriptor)
                    found.setdefault(str(font.BaseFont), set()).add(descriptor[key].objgen)
    return found


@pytest.fixture(scope="module", params=["sample", "pride"])
def editions(request, tmp_path_factory):
    """(units PDF, whole-book PDF bytes, pages) for the sample and Pride and Prejudice."""
    if request.param == "pride" and not (PRIDE / "book.yaml").is_file():
        pytest.skip(f"Pride and Prejudice corpus not found at {PRIDE}")
    source = SAMPLE if request.param == "sample" else PRIDE
    checked = prepare(source, STYLES)
    out = tmp_path_factory.mktemp(request.param)
    created = build_time(checked.book)
    edition = write_pdf(checked.book, checked.chapters, out / "units.pdf", styles=STYLES,
                        created=created, cache=LayoutCache(out / "cache"))
    whole = whole_book_layout(checked.book, checked.chapters, styles=STYLES, created=created,
                              settings=checked.book.print_settings, pages=edition.pages)
    return out / "units.pdf", whole.write_pdf(), edition.pages


def test_every_page_reads_as_in_a_whole_book_layout(editions):
    units, whole, _pages = editions
    assert page_texts(units) == page_texts(whole)


def test_outline_and_contents_are_a_whole_book_layouts(editions):
    units, whole, _pages = editions
    with pikepdf.open(units) as joined, pikepdf.open(io.BytesIO(whole)) as reference:
        assert top_level_outline(joined) == top_level_outline(reference)
        assert len(top_level_outline(joined)) > 0


def test_each_face_is_embedded_once_and_the_file_stays_small(editions):
    units, whole, pages = editions
    with pikepdf.open(units) as joined:
        assert len(joined.pages) == pages
        programs = face_programs(joined)
        assert programs and all(len(objects) == 1 for objects in programs.values()), programs
    assert units.stat().st_size <= 1.3 * len(whole)


def test_a_rebuild_after_an_edit_is_a_cold_build(tmp_path):
    book = tmp_path / "book"
    shutil.copytree(SAMPLE, book)
    warm = tmp_path / "warm"
    build(book, warm, styles=STYLES, formats=["pdf", "epub"])
    chapter = sorted((book / "chapters").glob("*.md"))[1]
    text = chapter.read_text(encoding="utf-8")
    word = next(w for w in text.split() if w.isalpha() and len(w) > 5)
    chapter.write_text(text.replace(word, word[::-1], 1), encoding="utf-8")
    again = build(book, warm, styles=STYLES, formats=["pdf", "epub"])
    cold = build(book, tmp_path / "cold", styles=STYLES, formats=["pdf", "epub"])
    for fmt in ("pdf", "epub"):
        assert again.outputs[fmt].read_bytes() == cold.outputs[fmt].read_bytes(), fmt


def test_nothing_changed_means_nothing_done(tmp_path):
    book = tmp_path / "book"
    shutil.copytree(SAMPLE, book)
    first = build(book, tmp_path / "out", styles=STYLES, formats=["pdf", "epub"])
    stamps = {path: path.stat().st_mtime_ns for path in first.outputs.values()}
    again = build(book, tmp_path / "out", styles=STYLES, formats=["pdf", "epub"])
    assert again.up_to_date and again.outputs == first.outputs
    assert again.pdf_pages == first.pdf_pages and again.diagnostics == first.diagnostics
    assert {path: path.stat().st_mtime_ns for path in again.outputs.values()} == stamps
    # An output changed by hand, or an input changed, is built again.
    first.outputs["epub"].write_bytes(b"not an epub")
    mended = build(book, tmp_path / "out", styles=STYLES, formats=["pdf", "epub"])
    assert not mended.up_to_date and mended.outputs["epub"].read_bytes()[:2] == b"PK"
    (book / "style.css").write_text("p { color: black; }\n", encoding="utf-8")
    assert not build(book, tmp_path / "out", styles=STYLES, formats=["pdf", "epub"]).up_to_date
