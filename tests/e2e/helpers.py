"""What a user would check in a built book, as functions the end-to-end tests share."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

import pikepdf
from lxml import etree

from publish.preflight import squeeze  # noqa: F401  (the tests compare text as preflight does)

NS = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops",
      "opf": "http://www.idpf.org/2007/opf"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


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
