"""Illustrations drawn once: an SVG is rasterised for print (600 dpi of its printed width)
by resvg, kept in the cache, and the EPUB keeps the author's SVG."""

from __future__ import annotations

import sys
from pathlib import Path

import pikepdf
import pytest

from publish.build import build
from tests.conftest import REPO, STYLES
from tests.e2e.helpers import read_epub

pytestmark = pytest.mark.slow

sys.path.insert(0, str(REPO / "scripts"))
from illustrated import write_book  # noqa: E402  (the bench's generator, a script)


@pytest.fixture(scope="module")
def illustrated(tmp_path_factory) -> tuple[Path, Path]:
    book = write_book(tmp_path_factory.mktemp("illustrated") / "book", chapters=2, figures=2,
                      points=20_000)
    out = tmp_path_factory.mktemp("out")
    build(book, out, styles=STYLES, formats=["pdf", "epub"])
    return book, out


def test_print_draws_each_svg_as_one_raster_at_600_dpi(illustrated):
    _book, out = illustrated
    with pikepdf.open(out / "an-illustrated-generated-book.pdf") as pdf:
        images = {}
        for page in pdf.pages:
            for _name, image in page.get_images().items():
                images[image.objgen] = pikepdf.PdfImage(image)
            assert len(page.Contents.read_bytes()) < 50_000  # no path data in the page
        assert len(images) == 4
        for image in images.values():
            assert image.width >= round(600 * (5.5 - 0.675 - 0.6))  # 600 dpi across the text
            assert image.colorspace == "/DeviceGray"


def test_rasters_are_kept_and_reused(illustrated):
    book, out = illustrated
    rasters = sorted((out / ".cache" / "images").glob("*.png"))
    assert len(rasters) == 4
    # A raster drawn again would be a new file renamed into place: a new inode.
    inodes = [p.stat().st_ino for p in rasters]
    (book / "chapters" / "01.md").write_text(
        (book / "chapters" / "01.md").read_text(encoding="utf-8") + "\nOne more line.\n",
        encoding="utf-8")
    build(book, out, styles=STYLES, formats=["pdf"])
    assert [p.stat().st_ino for p in rasters] == inodes


def test_the_epub_keeps_the_authors_svg(illustrated):
    book, out = illustrated
    files = read_epub(out / "an-illustrated-generated-book.epub")
    svg = sorted(name for name in files if name.endswith(".svg"))
    assert len(svg) == 4
    first = Path(svg[0]).name
    assert files[svg[0]] == (book / "chapters" / "images" / first).read_bytes()


def test_an_illustrated_book_builds_into_a_relative_folder(illustrated, tmp_path, monkeypatch):
    book, _out = illustrated
    monkeypatch.chdir(tmp_path)
    built = build(book, Path("out"), styles=STYLES, formats=["pdf"])
    with pikepdf.open(built.outputs["pdf"]) as pdf:
        assert len({image.objgen for page in pdf.pages
                    for image in page.get_images().values()}) == 4
