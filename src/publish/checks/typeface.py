"""Print rules (P): what the book face cannot set.

A character the face lacks would be drawn in some other font on the machine (or as a blank):
the author hears of it here, at its line, rather than from a reader.
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont
from PIL import Image, UnidentifiedImageError

from publish.checks.base import CheckInput
from publish.diagnostics import Diagnostic
from publish.model import RenderedChapter
from publish.printing import text_width
from publish.rules import finding

_FONT_FACE = re.compile(r"@font-face\s*{(.*?)}", re.DOTALL)
_URL = re.compile(r"""url\(\s*["']?([^"')]+)["']?\s*\)""")
_STYLE = re.compile(r"font-style\s*:\s*(\w+)")
_FAMILY = re.compile(r"""font-family\s*:\s*["']?([^"';]+)["']?""")
_WEIGHT = re.compile(r"font-weight\s*:\s*(\w+)")
BOLD_FROM = 600
"""A face of this weight or more sets bold text."""


def theme_css(styles: Path, theme: str) -> Path:
    """The stylesheet of theme `theme`."""
    return styles / "themes" / f"{theme}.css"


def book_face(styles: Path, theme: str) -> Path | None:
    """The text face: the first upright font file the theme declares."""
    sheet = theme_css(styles, theme)
    if not sheet.is_file():
        return None
    for block in _FONT_FACE.findall(sheet.read_text(encoding="utf-8")):
        style = _STYLE.search(block)
        url = _URL.search(block)
        if url and (style is None or style.group(1) == "normal"):
            return (sheet.parent / url.group(1)).resolve()
    return None


def theme_families(styles: Path, theme: str) -> frozenset[str]:
    """Every font family the theme's @font-face rules declare."""
    sheet = theme_css(styles, theme)
    text = sheet.read_text(encoding="utf-8") if sheet.is_file() else ""
    return frozenset(m.group(1).strip() for block in _FONT_FACE.findall(text)
                     if (m := _FAMILY.search(block)))


def theme_fonts(styles: Path, theme: str) -> list[Path]:
    """Every font file the theme's @font-face rules load, in the order they declare them."""
    sheet = theme_css(styles, theme)
    text = sheet.read_text(encoding="utf-8") if sheet.is_file() else ""
    return [(sheet.parent / url).resolve() for block in _FONT_FACE.findall(text)
            for url in _URL.findall(block)]


def check_theme(given: CheckInput) -> Iterator[Diagnostic]:
    """M021: the theme book.yaml names exists."""
    if given.styles is not None and not theme_css(given.styles, given.book.theme).is_file():
        pos = given.book.position_of("theme")
        yield finding("M021", given.book.config_path, pos.line, pos.col,
                      value=given.book.theme)


@cache
def _coverage(font_file: Path) -> frozenset[int]:
    return frozenset(TTFont(font_file, lazy=True).getBestCmap())


def _needs_glyph(char: str) -> bool:
    # Line ends, tabs, joiners, soft hyphens and variation selectors draw nothing.
    return unicodedata.category(char) not in ("Cc", "Cf", "Mn", "Zl", "Zp")


def check_glyphs(given: CheckInput) -> Iterator[Diagnostic]:
    """P001: every character the PDF prints is in the book face (first use per file)."""
    face = book_face(given.styles, given.book.theme) if given.styles else None
    if face is None or not face.is_file():
        return
    covered = _coverage(face)
    book = given.book
    meta = book.metadata
    printed = {"title": [meta.title], "subtitle": [meta.subtitle], "author": meta.authors,
               "publisher": [meta.publisher], "rights": [meta.rights]}
    seen: set[str] = set()
    for key, values in printed.items():
        pos = book.position_of(key)
        for value in values:
            for _col, char in _uncovered(value, covered, seen):
                yield finding("P001", book.config_path, pos.line, pos.col, char=char,
                              codepoint=f"{ord(char):04X}", face=face.stem)
    for rendered in given.chapters:
        chapter = rendered.chapter
        if not any(ord(c) not in covered and _needs_glyph(c) for c in set(chapter.text)):
            continue  # the usual case, found without walking every line
        seen = set()
        for offset, line in enumerate(chapter.text.split("\n")):
            for col, char in _uncovered(line, covered, seen):
                yield finding("P001", chapter.path, chapter.first_line + offset, col,
                              char=char, codepoint=f"{ord(char):04X}", face=face.stem)


def _uncovered(text: str, covered: frozenset[int], seen: set[str]
               ) -> Iterator[tuple[int, str]]:
    """(column, character) for each character of `text` not in the face and not yet seen."""
    for col, char in enumerate(text, 1):
        if char in seen or ord(char) in covered or not _needs_glyph(char):
            continue
        seen.add(char)
        yield col, char


def theme_styles(styles: Path, theme: str) -> dict[str, set[tuple[bool, bool]]]:
    """For each family the theme declares, the (bold, italic) styles it has a face for."""
    sheet = theme_css(styles, theme)
    text = sheet.read_text(encoding="utf-8") if sheet.is_file() else ""
    found: dict[str, set[tuple[bool, bool]]] = {}
    for block in _FONT_FACE.findall(text):
        family = _FAMILY.search(block)
        if not family:
            continue
        style = _STYLE.search(block)
        weight = _WEIGHT.search(block)
        value = weight.group(1).lower() if weight else "400"
        bold = value in ("bold", "bolder") or (value.isdigit() and int(value) >= BOLD_FROM)
        italic = bool(style and style.group(1) in ("italic", "oblique"))
        found.setdefault(family.group(1).strip(), set()).add((bold, italic))
    return found


_STYLE_NAMES = {(True, False): "bold", (True, True): "bold italic", (False, True): "italic"}
_MARKS = {"bold": ("**", "__", "<strong", "<b>", "<b "), "bold italic": ("***", "___"),
          "italic": ("*", "_", "<em", "<i>", "<i ")}


def check_synthetic_styles(given: CheckInput) -> Iterator[Diagnostic]:
    """P003: bold or italic text the theme has no face for (the PDF would fake it), at the
    first line of each chapter that asks for it."""
    if given.styles is None:
        return
    face = book_face(given.styles, given.book.theme)
    families = theme_styles(given.styles, given.book.theme)
    text_family = next((f for f, faces in families.items() if face is not None
                        and (False, False) in faces), None)
    if text_family is None:
        return
    have = families[text_family]
    for rendered in given.chapters:
        for style in sorted(_styles_used(rendered.body) - have):
            name = _STYLE_NAMES[style]
            line, col = _first_mark(rendered, name)
            yield finding("P003", rendered.chapter.path, line, col, style=name,
                          face=text_family)


def _styles_used(body: str) -> set[tuple[bool, bool]]:
    """The (bold, italic) styles the chapter's running text asks for."""
    from publish.manuscript.markup import parse_fragment

    used = set()
    for element in parse_fragment(body).iter("strong", "b", "em", "i"):
        if not "".join(element.itertext()).strip():
            continue
        tags = {element.tag, *(a.tag for a in element.iterancestors())}
        style = (bool(tags & {"strong", "b"}), bool(tags & {"em", "i"}))
        used.add(style)
    return used - {(False, False)}


def _first_mark(rendered: RenderedChapter, name: str) -> tuple[int, int]:
    """Where the chapter first writes a mark of that style."""
    for mark in _MARKS[name]:
        line, col = rendered.source.position_of(mark, 0)
        if line:
            return line, col
    return rendered.chapter.first_line, 0


PRINT_DPI = 300


def check_image_resolution(given: CheckInput) -> Iterator[Diagnostic]:
    """P002: a figure, printed across the text block, has 300 pixels to the inch."""
    width = text_width(given.book.print_settings)
    for chapter in given.chapters:
        for src in chapter.figures:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                    with Image.open(given.book.root / src) as image:
                        pixels = image.width
            except (OSError, UnidentifiedImageError, ValueError, SyntaxError,
                    Image.DecompressionBombError):
                continue  # L010 and L011 report an image that cannot be read
            dpi = round(pixels / width)
            if dpi < PRINT_DPI:
                written = Path(src).name
                line = chapter.source.line_of(written, chapter.chapter.first_line)
                yield finding("P002", chapter.chapter.path, line, 0, src=written, dpi=dpi,
                              inches=f"{width:.2f}", needed=round(width * PRINT_DPI))
