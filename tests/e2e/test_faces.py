"""Every style an author writes is set in a real face the theme ships, in the PDF (read
back with pdfminer and fontTools) and in the EPUB."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest
from fontTools.ttLib import TTFont

from publish.build import build
from publish.faces import theme_fonts
from tests.conftest import STYLES
from tests.e2e.helpers import (
    NS,
    family_of,
    font_programs,
    font_runs,
    has_outline,
    is_fixed_pitch,
    is_italic,
    mislabelled_fonts,
    read_epub,
    shipped_families,
    small_capitals,
)

EVERY_STYLE = """\
# Every Style

Plain words, then **a bold phrase**, then *an italic phrase*, then ***bold italic words***,
and a [few small capitals]{.smallcaps} in the line.

## A heading with **Boldword** in it

Some code: `print("hello")` in the line.

```
def main():
    return 42
```

The end.
"""

YAML = """\
title: Every Style
author: Test Author
lang: en
date: 2026-01-01
identifier: urn:uuid:8c1f0b7a-3f5e-4a8e-9d2b-6c1c2e1d9a10
theme: {theme}
"""

# What each theme sets: the text, the headings, the code.
FAMILIES = {"classic": ("EB Garamond", "EB Garamond", "Courier Prime"),
            "modern": ("Charis SIL", "Lato", "IBM Plex Mono")}
EPUB_FONTS = {
    "classic": {"eb-garamond/EBGaramond-Regular.ttf", "eb-garamond/EBGaramond-Italic.ttf",
                "eb-garamond/EBGaramond-Bold.ttf", "eb-garamond/EBGaramond-BoldItalic.ttf",
                "courier-prime/CourierPrime-Regular.ttf"},
    "modern": {"charis-sil/CharisSIL-Regular.ttf", "charis-sil/CharisSIL-Italic.ttf",
               "charis-sil/CharisSIL-Bold.ttf", "charis-sil/CharisSIL-BoldItalic.ttf",
               "lato/Lato-Regular.ttf", "lato/Lato-Bold.ttf",
               "ibm-plex-mono/IBMPlexMono-Regular.ttf"},
}


@dataclass
class Styled:
    theme: str
    pdf: Path
    epub: Path

    def program(self, snippet: str) -> TTFont:
        """The embedded program that sets the run holding `snippet`."""
        with pikepdf.open(self.pdf) as pdf:
            programs = font_programs(pdf)
        for text, name in font_runs(self.pdf):
            if snippet in " ".join(text.split()):
                return programs[name]
        raise AssertionError(f"{snippet!r} is not one run of one font in {self.pdf}")


@pytest.fixture(scope="module", params=["classic", "modern"])
def styled(request, tmp_path_factory) -> Styled:
    root = tmp_path_factory.mktemp(f"every-style-{request.param}")
    (root / "chapters").mkdir()
    (root / "chapters" / "01.md").write_text(EVERY_STYLE, encoding="utf-8")
    (root / "book.yaml").write_text(YAML.format(theme=request.param), encoding="utf-8")
    result = build(root, root / "build", styles=STYLES, formats=["pdf", "epub"])
    return Styled(request.param, result.outputs["pdf"], result.outputs["epub"])


def test_bold_italic_and_bold_italic_are_real_faces(styled):
    text_family = FAMILIES[styled.theme][0]
    for snippet, bold, italic in [("Plain words", False, False), ("a bold phrase", True, False),
                                  ("an italic phrase", False, True),
                                  ("bold italic", True, True)]:
        program = styled.program(snippet)
        assert family_of(program) == text_family, snippet
        assert (program["OS/2"].usWeightClass >= 600) == bold, snippet
        assert is_italic(program) == italic, snippet


def test_a_bold_word_in_a_heading_is_the_heading_face_in_bold(styled):
    program = styled.program("Boldword")
    assert family_of(program) == FAMILIES[styled.theme][1]
    assert program["OS/2"].usWeightClass >= 600
    assert family_of(styled.program("A heading with")) == FAMILIES[styled.theme][1]


def test_code_is_the_themes_monospace_face(styled):
    for snippet in ('print("hello")', "return 42"):
        program = styled.program(snippet)
        assert family_of(program) == FAMILIES[styled.theme][2]
        assert is_fixed_pitch(program)


def test_no_face_but_the_themes_and_each_is_what_its_name_says(styled):
    with pikepdf.open(styled.pdf) as pdf:
        assert mislabelled_fonts(pdf, shipped_families(styled.theme)) == []
        assert {family_of(p) for p in font_programs(pdf).values()} == set(FAMILIES[styled.theme])


def test_small_capitals_are_the_faces_own(styled):
    face = theme_fonts(STYLES, styled.theme)[0]
    substitutes = small_capitals(face)
    program = styled.program("Plain words")
    # Letters only the small-capitals span sets in small capitals: their `smcp` glyphs are
    # drawn, so the capitals are the face's own, not shrunken ones.
    assert all(has_outline(program, substitutes[letter]) for letter in "fwmp")
    assert not any(has_outline(program, substitutes[letter]) for letter in "qxz")


def test_the_epub_carries_the_faces_it_uses_and_no_other(styled):
    from publish.epub.validate import run_epubcheck

    files = read_epub(styled.epub)
    opf = files["EPUB/content.opf"].decode()
    from lxml import etree

    items = etree.fromstring(opf.encode()).xpath(
        "//opf:item[starts-with(@media-type, 'font/')]/@href", namespaces=NS)
    assert {href.removeprefix("fonts/") for href in items} == EPUB_FONTS[styled.theme]
    sheet = files[f"EPUB/css/{styled.theme}.css"].decode()
    named = {m.removeprefix("../fonts/") for m in re.findall(r'url\("([^"]+)"\)', sheet)}
    assert named == EPUB_FONTS[styled.theme]  # no @font-face left for a face not carried
    for href in items:
        assert files[f"EPUB/{href}"] == (STYLES / href).read_bytes()
    assert run_epubcheck(styled.epub) == []
