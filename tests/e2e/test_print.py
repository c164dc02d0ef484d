"""The print edition per printer profile: page boxes, bleed, KDP's demands, and the gutter
that follows KDP's page-count table."""

from __future__ import annotations

import re
import subprocess

import pikepdf
import pytest

from publish.build import build
from publish.printing import COMFORT, kdp_gutter
from tests.conftest import SAMPLE, STYLES
from tests.e2e.helpers import (
    mislabelled_fonts,
    shipped_families,
    top_level_outline,
    unembedded_fonts,
)

pytestmark = pytest.mark.slow


def inches(box) -> tuple[float, ...]:
    return tuple(round(float(v) / 72, 3) for v in box)


@pytest.fixture(scope="module")
def profiles(tmp_path_factory):
    out = tmp_path_factory.mktemp("profiles")
    return {p: build(SAMPLE, out, styles=STYLES, formats=["pdf"], profile=p).outputs["pdf"]
            for p in ("kdp", "ingram", "lulu", "proof")}


def test_kdp_file_has_bleed_outside_only_no_outline_no_links_and_whole_fonts(profiles):
    with pikepdf.open(profiles["kdp"]) as pdf:
        for page in pdf.pages:
            assert inches(page.mediabox) == (0, 0, 5.625, 8.75)  # 5.5 × 8.5 + bleed
            assert "/Annots" not in page
        assert top_level_outline(pdf) == []
        assert unembedded_fonts(pdf) == []
        names = {str(f.BaseFont) for p in pdf.pages for _n, f in p.resources.Font.items()}
        assert names and not any(re.match(r"/[A-Z]{6}\+", n) for n in names)


def test_lulu_and_proof_bleed_on_every_side_with_a_trim_box(profiles):
    for profile in ("lulu", "proof"):
        with pikepdf.open(profiles[profile]) as pdf:
            for page in pdf.pages:
                trim = inches(page.trimbox)
                media = inches(page.mediabox)
                assert round(trim[2] - trim[0], 3) == 5.5 and round(trim[3] - trim[1], 3) == 8.5
                assert round(media[2] - media[0], 3) > 5.5 + 0.24
                assert round(media[3] - media[1], 3) > 8.5 + 0.24


def test_gutter_follows_kdps_page_count_table(long_book, tmp_path):
    result = build(long_book, tmp_path, styles=STYLES, formats=["pdf"])
    pages = result.pdf_pages
    assert pages > 300  # a band where the gutter is wider than the first guess
    recto = 41  # an odd page number deep in the body: a right-hand page
    words = subprocess.run(["pdftotext", "-bbox", "-f", str(recto), "-l", str(recto),
                            str(result.outputs["pdf"]), "-"],
                           capture_output=True, text=True, check=True).stdout
    left_edge = min(float(x) for x in re.findall(r'xMin="([\d.]+)"', words))
    assert left_edge == pytest.approx((kdp_gutter(pages) + COMFORT) * 72, abs=0.5)


def test_proof_spreads_are_facing_pages(profiles, tmp_path):
    from PIL import Image

    from publish.pdf.proof import make_proof

    with pikepdf.open(profiles["lulu"]) as pdf:
        count = len(pdf.pages)
    written = make_proof(profiles["lulu"], tmp_path / "proof", dpi=20)
    assert len(written) == count // 2 + 1
    with Image.open(written[1]) as spread, Image.open(written[0]) as first:
        assert spread.width > 1.9 * spread.height * 5.75 / 8.75  # two pages side by side
        assert first.size == spread.size


def test_cover_wrap_is_sized_from_the_page_count(tmp_path):
    result = build(SAMPLE, tmp_path, styles=STYLES, formats=["pdf"])
    cover = tmp_path / f"{result.outputs['pdf'].stem}-cover.pdf"
    with pikepdf.open(cover) as pdf:
        assert len(pdf.pages) == 1
        width, height = (float(v) for v in pdf.pages[0].mediabox[2:])
    spine = result.pdf_pages * 0.002252
    assert round(width, 2) == round((2 * 5.5 + spine + 0.25) * 72, 2)
    assert round(height, 2) == round((8.5 + 0.25) * 72, 2)


def test_preflight_passes_every_profile(profiles):
    from publish.build import prepare
    from publish.pdf.preflight import last_words, preflight
    from publish.printing import PrintSettings

    checked = prepare(SAMPLE)
    words = last_words(checked.chapters[-1])
    for profile, path in profiles.items():
        assert preflight(path, PrintSettings(profile=profile), words) == [], profile


def test_preflight_catches_a_truncated_odd_file(profiles, tmp_path):
    from publish.build import prepare
    from publish.pdf.preflight import last_words, preflight
    from publish.printing import PrintSettings

    cut = tmp_path / "cut.pdf"
    with pikepdf.open(profiles["lulu"]) as pdf:
        del pdf.pages[-3:]  # lose the end of the text, keep an odd count
        pdf.save(cut)
    words = last_words(prepare(SAMPLE).chapters[-1])
    problems = preflight(cut, PrintSettings(profile="lulu"), words)
    assert any("even page count" in p for p in problems)
    assert any("text stops early" in p for p in problems)


@pytest.mark.parametrize("theme", ["classic", "modern"])
@pytest.mark.parametrize("profile", [None, "kdp", "ingram", "lulu", "proof"])
def test_sample_builds_in_every_theme_and_profile(theme, profile, tmp_path):
    from publish.build import prepare
    from publish.faces import theme_faces
    from publish.pdf.preflight import last_words, preflight
    from publish.printing import PrintSettings

    result = build(SAMPLE, tmp_path, styles=STYLES, formats=["pdf"], theme=theme,
                   profile=profile)
    words = last_words(prepare(SAMPLE).chapters[-1])
    assert preflight(result.outputs["pdf"], PrintSettings(profile=profile or ""), words) == []
    with pikepdf.open(result.outputs["pdf"]) as pdf:
        names = {re.sub(r"^/([A-Z]{6}\+)?", "", str(f.BaseFont)).split("-")[0:2]
                 [1] for p in pdf.pages for _n, f in p.resources.Font.items()}
        assert mislabelled_fonts(pdf, shipped_families(theme)) == []
    assert names <= {name.split()[1] for name in {f.family for f in theme_faces(STYLES, theme)}}


# Each theme and each profile at least once (a build of the novel takes half a minute; the
# sample book goes through every combination above).
@pytest.mark.parametrize(("theme", "profile"), [
    ("classic", "kdp"), ("classic", "ingram"), ("modern", "lulu"), ("modern", "proof"),
])
def test_pride_and_prejudice_in_every_theme_and_profile(pride_dir, tmp_path, theme, profile):
    from publish.build import prepare
    from publish.pdf.preflight import last_words, preflight
    from publish.printing import PrintSettings

    result = build(pride_dir, tmp_path, styles=STYLES, formats=["pdf"], theme=theme,
                   profile=profile)
    words = last_words(prepare(pride_dir).chapters[-1])
    assert preflight(result.outputs["pdf"], PrintSettings(profile=profile), words) == []
    with pikepdf.open(result.outputs["pdf"]) as pdf:
        assert mislabelled_fonts(pdf, shipped_families(theme)) == []


def test_figures_verse_and_a_drop_cap(make_book, tmp_path):
    from PIL import Image

    from publish.epub.validate import run_epubcheck
    from tests.e2e.helpers import NS, pdf_text, read_epub

    root = make_book({"chapters/01.md": (
        "# The Coast\n\nIt was a grey morning when the boats came in.\n\n"
        '![A grey gull over the sea](images/gull.png "A gull over the harbour wall")\n\n'
        '<div class="verse" markdown="1">\nThe sea is calm tonight,  \n'
        "The tide is full, the moon lies fair\n</div>\n")},
        yaml="title: Figures\nauthor: A\nlang: en\nidentifier: "
             "urn:uuid:2f1c9a4e-8b7d-4c3a-9e21-5a6b7c8d9e0f\nprint:\n  opening: drop-cap\n")
    (root / "chapters" / "images").mkdir()
    Image.new("RGB", (1400, 800), (180, 195, 210)).save(root / "chapters/images/gull.png")
    result = build(root, tmp_path, styles=STYLES)
    assert run_epubcheck(result.outputs["epub"]) == []
    from lxml import etree

    chapter = etree.fromstring(read_epub(result.outputs["epub"])["EPUB/chapter-01.xhtml"])
    # As Pandoc 3 makes a figure: the image's text is its caption.
    assert chapter.xpath("//x:figure/x:figcaption/text()", namespaces=NS) == [
        "A grey gull over the sea"]
    text = pdf_text(result.outputs["pdf"])
    assert "The sea is calm tonight,\nThe tide is full" in text  # the verse keeps its lines
    with pikepdf.open(result.outputs["pdf"]) as pdf:
        drawn = [re.search(rb"([\d.]+) 0 0 -?[\d.]+ [\d.]+ [\d.]+ cm\s*/i\w+ Do",
                           page.Contents.read_bytes()) for page in pdf.pages]
    (matrix,) = [m for m in drawn if m]
    # WeasyPrint draws in CSS pixels, its page matrix scaling each to 0.75 pt.
    width_in = float(matrix.group(1)) * 0.75 / 72
    assert width_in == pytest.approx(5.5 - 0.675 - 0.6, abs=0.05)  # the text block's width


def test_screen_edition_is_single_sided_linked_and_tagged(tmp_path):
    from tests.e2e.helpers import pdf_text

    result = build(SAMPLE, tmp_path, styles=STYLES, formats=["screen"])
    screen = result.outputs["screen"]
    assert screen.name.endswith("-screen.pdf")
    with pikepdf.open(screen) as pdf:
        assert pdf.Root.MarkInfo.Marked is True and "/StructTreeRoot" in pdf.Root
        assert str(pdf.open_metadata().get("pdfuaid:part")) == "1"
        assert len(top_level_outline(pdf)) == 3  # the three titled sections: the opening has none
        assert sum(len(page.get("/Annots", [])) for page in pdf.pages) >= 3  # the contents
    pages = pdf_text(screen).split("\f")[:-1]
    assert all(page.strip() for page in pages)  # no blank versos on a screen


def test_the_modern_theme_reaches_the_epub_with_its_fonts(tmp_path):
    from lxml import etree

    from publish.epub.validate import FONT_FACE_USAGE, run_epubcheck
    from tests.e2e.helpers import NS, read_epub

    result = build(SAMPLE, tmp_path, styles=STYLES, formats=["epub"], theme="modern")
    assert result.outputs["epub"].name.endswith("-modern.epub")
    messages = run_epubcheck(result.outputs["epub"], font_faces=True)
    assert {(m.code, m.document) for m in messages} == {(FONT_FACE_USAGE,
                                                         "EPUB/css/modern.css")}
    files = read_epub(result.outputs["epub"])
    opf = etree.fromstring(files["EPUB/content.opf"])
    fonts = opf.xpath("//opf:item[@media-type='font/ttf']/@href", namespaces=NS)
    # The faces the sample's text is set in (no bold, no code, no italic heading), no other.
    assert sorted(fonts) == [
        "fonts/charis-sil/CharisSIL-Italic.ttf", "fonts/charis-sil/CharisSIL-Regular.ttf",
        "fonts/lato/Lato-Regular.ttf"]
    # Sizes in points are for paper: in the EPUB's copy of the theme they sit under
    # `@media print`, so an e-reader keeps the reader's own size.
    sheet = files["EPUB/css/modern.css"].decode()
    on_screen = sheet[:sheet.index("@media print")]
    assert re.findall(r"\d+(?:\.\d+)?pt", on_screen) == []
