"""What a user would check in a built book, as functions the end-to-end tests share."""

from __future__ import annotations

import io
import re
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import pikepdf
from fontTools.ttLib import TTFont
from lxml import etree

from publish.letters import squeeze  # noqa: F401  (the tests compare text as preflight does)

NS = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops",
      "opf": "http://www.idpf.org/2007/opf"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def ace_violations(epub: Path) -> list[str]:
    """DAISY Ace's findings on `epub` (`code document message`); the test is skipped where
    Ace or the Chromium it drives is not installed."""
    import pytest

    from publish.diagnostics import ToolError
    from publish.epub.validate import CHROMIUM, ace_command, run_ace

    try:
        ace_command()
    except ToolError as err:
        pytest.skip(f"DAISY Ace is not installed here ({err})")
    if not Path(CHROMIUM).is_file():
        pytest.skip("DAISY Ace needs Debian's chromium")
    return [f"{f.code} {f.document} {f.message}" for f in run_ace(epub)]


def read_epub(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def nav_titles(files: dict[str, bytes]) -> list[str]:
    nav = etree.fromstring(files["EPUB/nav.xhtml"])
    links = nav.xpath("//x:nav[@epub:type='toc']//x:a", namespaces=NS)
    return [" ".join("".join(a.itertext()).split()) for a in links]


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout



def last_sentence(markdown: str) -> str:
    paragraph = markdown.strip().split("\n\n")[-1]
    sentences = re.split(r"(?<=[.!?”])\s+", paragraph)
    return re.sub(r"[*_]", "", sentences[-1])


def unembedded_fonts(pdf: pikepdf.Pdf) -> list[str]:
    missing = []
    for page in pdf.pages:
        for _name, font in page.resources.get("/Font", {}).items():
            fonts = [font, *font.get("/DescendantFonts", [])]
            descriptors = [f.get("/FontDescriptor") for f in fonts if "/FontDescriptor" in f]
            if not any(any(k in d for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                       for d in descriptors):
                missing.append(str(font.get("/BaseFont")))
    return missing


def top_level_outline(pdf: pikepdf.Pdf) -> list[str]:
    with pdf.open_outline() as outline:
        return [item.title for item in outline.root]


def embedded_font_programs(pdf: pikepdf.Pdf) -> set[str]:
    """The PostScript names inside the embedded font files (not the PDF's own labels)."""
    from fontTools.ttLib import TTFont

    names = set()
    for page in pdf.pages:
        for _name, font in page.resources.get("/Font", {}).items():
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get("/FontDescriptor", {})
                stream = descriptor.get("/FontFile3") or descriptor.get("/FontFile2")
                if stream is not None:
                    program = TTFont(io.BytesIO(stream.read_bytes()))
                    names.add(str(program["name"].getDebugName(6)))
    return names


def page_markers_order(files: dict[str, bytes]) -> list[str]:
    """The EPUB's content documents in spine order."""
    opf = etree.fromstring(files["EPUB/content.opf"])
    hrefs = {item.get("id"): item.get("href")
             for item in opf.xpath("//opf:manifest/opf:item", namespaces=NS)}
    return [f"EPUB/{hrefs[ref]}" for ref in opf.xpath("//opf:itemref/@idref", namespaces=NS)]


def text_after(marker: etree._Element, length: int = 200) -> str:
    """The running text that follows `marker` in its document (notes and note calls left
    out, as the printed page sets them apart)."""
    pieces = marker.xpath(
        "following::text()[not(ancestor::*[@role='doc-footnote' or @role='doc-noteref'])]")
    out = ""
    for piece in pieces:
        out += piece
        if len(out) >= length:
            break
    return out


def letters(text: str) -> str:
    """Only the letters a typeset page and an EPUB share: no spaces, hyphens, invisible
    format characters (word joiners) or case."""
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return re.sub(r"[\s\-\u2010\u2011]+", "", text).casefold()


def page_text(pdf: Path, page: int, *crop: str) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", "-f", str(page + 1), "-l",
                           str(page + 1), *crop, str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


def text_block(pdf: Path, page: int) -> str:
    """A page's text without its running head: the top margin (0.75 in) cut off."""
    return page_text(pdf, page, "-x", "0", "-y", "54", "-W", "2000", "-H", "2000")


def page_edges(pdf: Path, page: int) -> list[str]:
    """The words of a page's first two and last lines: its running head and folio, or the
    folio at the foot of a chapter's first page."""
    lines = [line for line in page_text(pdf, page).splitlines() if line.strip()]
    return [word for line in lines[:2] + lines[-1:] for word in line.split()]


def folio_one_page(pdf: Path) -> int:
    """The 0-based index of the page whose folio is arabic 1 (the body's first page)."""
    count = len(pdf_text(pdf).split("\f"))
    for page in range(count):
        lines = [line for line in page_text(pdf, page).splitlines() if line.strip()]
        if lines and lines[-1].strip() == "1":
            return page
    raise AssertionError("no page has the folio 1")


def font_programs(pdf: pikepdf.Pdf) -> dict[str, TTFont]:
    """Every embedded font program, by the name the PDF gives it (`ABCDEF+Publish-X-Bold`),
    read with fontTools: what the reader's eye gets, whatever the label says."""
    from fontTools.ttLib import TTFont

    programs = {}
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") != "/Font" \
                or "/FontDescriptor" not in obj:
            continue
        descriptor = obj.FontDescriptor
        stream = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
        if stream is not None:
            programs[str(obj.BaseFont)[1:]] = TTFont(io.BytesIO(stream.read_bytes()))
    return programs


def family_of(program: TTFont) -> str:
    """A font program's family (typographic family first), as its name table says."""
    name = program["name"]
    return str(name.getDebugName(16) or name.getDebugName(1))


def is_italic(program: TTFont) -> bool:
    return program["post"].italicAngle != 0 or bool(program["OS/2"].fsSelection & 1)


def is_fixed_pitch(program: TTFont) -> bool:
    """Every glyph that advances at all advances as far (what a monospace face is)."""
    widths = {width for width, _lsb in program["hmtx"].metrics.values() if width}
    return len(widths) == 1


def font_runs(path: Path) -> list[tuple[str, str]]:
    """(text, font name) for each run of characters set in one font, page by page and line
    by line, as pdfminer reads the PDF's text operators."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar, LTTextContainer, LTTextLine

    runs: list[tuple[str, str]] = []

    def lines(item: object):
        if isinstance(item, LTTextLine):
            yield item
        elif isinstance(item, LTTextContainer) or hasattr(item, "__iter__"):
            for child in item:
                yield from lines(child)

    for page in extract_pages(path):
        for line in lines(page):
            gap = " "  # a line's end is a space between words
            for char in line:
                if not isinstance(char, LTChar):
                    continue
                if runs and runs[-1][1] == char.fontname:
                    runs[-1] = (runs[-1][0] + gap + char.get_text(), char.fontname)
                else:
                    runs.append((char.get_text(), char.fontname))
                gap = ""
    return runs


def small_capitals(face: Path) -> dict[str, int]:
    """For each letter, the glyph id the face's own `smcp` feature puts in its place."""
    from fontTools.ttLib import TTFont

    font = TTFont(face)
    cmap = font.getBestCmap()
    gsub = font["GSUB"].table
    substitutes: dict[str, str] = {}
    for record in gsub.FeatureList.FeatureRecord:
        if record.FeatureTag != "smcp":
            continue
        for index in record.Feature.LookupListIndex:
            for table in gsub.LookupList.Lookup[index].SubTable:
                table = getattr(table, "ExtSubTable", table)
                substitutes.update(getattr(table, "mapping", {}))
    return {chr(code): font.getGlyphID(substitutes[name]) for code, name in cmap.items()
            if name in substitutes and chr(code).isalpha()}


def has_outline(program: TTFont, glyph_id: int) -> bool:
    """Whether the (glyph-id-keeping) embedded program draws something for that glyph."""
    order = program.getGlyphOrder()
    if glyph_id >= len(order):  # cut off after the last glyph the PDF uses
        return False
    return program["glyf"][order[glyph_id]].numberOfContours != 0


def mislabelled_fonts(pdf: pikepdf.Pdf, shipped: set[str]) -> list[str]:
    """Embedded programs that are not what their label says (a `-Bold` that is not bold, an
    `-Italic` that is not italic, or the reverse), or whose family is not one of `shipped`."""
    problems = []
    for label, program in font_programs(pdf).items():
        bold = program["OS/2"].usWeightClass >= 600
        if ("Bold" in label) != bold or ("Italic" in label) != is_italic(program):
            problems.append(f"{label} is weight {program['OS/2'].usWeightClass}, "
                            f"{'italic' if is_italic(program) else 'upright'}")
        if family_of(program) not in shipped:
            problems.append(f"{label} is {family_of(program)}, not a face the theme ships")
    return problems


def shipped_families(theme: str) -> set[str]:
    """The families of the font files the theme ships, as their name tables say."""
    from fontTools.ttLib import TTFont

    from publish.faces import theme_fonts
    from tests.conftest import STYLES

    return {family_of(TTFont(path, lazy=True)) for path in theme_fonts(STYLES, theme)}
