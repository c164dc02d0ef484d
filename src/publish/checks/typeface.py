"""Print rules (P): what the book's faces cannot set, and images too coarse to print.

A character no shipped face has, or a style no shipped face sets, would be drawn in some other
font on the machine or faked: the author hears of it here, at its line, rather than from a
reader. Which face sets which text is `publish.faces`' cascade of the print sheets.
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from lxml import etree
from PIL import Image, UnidentifiedImageError

from publish.checks.base import CheckInput
from publish.diagnostics import Diagnostic
from publish.faces import (
    BOLD_FROM,
    FaceResolver,
    FontFace,
    Run,
    book_sheets,
    coverage,
    resolver_for,
    theme_css,
)
from publish.frontmatter import copyright_page, titlepage
from publish.model import RenderedChapter
from publish.printing import text_width
from publish.rules import finding

SHEETS = ("base.css", "print.css")
"""The shared sheets the print edition is set with, before the theme and the book's own."""


def check_theme(given: CheckInput) -> Iterator[Diagnostic]:
    """M021: the theme book.yaml names exists."""
    if given.styles is not None and not theme_css(given.styles, given.book.theme).is_file():
        pos = given.book.position_of("theme")
        yield finding("M021", given.book.config_path, pos.line, pos.col,
                      value=given.book.theme)


def _needs_glyph(char: str) -> bool:
    # Line ends, tabs, joiners, soft hyphens and variation selectors draw nothing.
    return unicodedata.category(char) not in ("Cc", "Cf", "Mn", "Zl", "Zp")


def _resolver(given: CheckInput) -> FaceResolver | None:
    if given.styles is None or not theme_css(given.styles, given.book.theme).is_file():
        return None
    return resolver_for(book_sheets(given.book, given.styles, *SHEETS),
                        [given.book.root, given.styles])


@lru_cache(maxsize=512)
def _runs(resolver: FaceResolver, body: str) -> tuple[Run, ...]:
    """The runs of a chapter's body, as the print edition sets it (one walk for every rule)."""
    from publish.xhtml import parse_fragment

    fragment = parse_fragment(body)
    fragment.tag = "section"
    fragment.set("class", "chapter")
    root = etree.Element("html")
    etree.SubElement(root, "body").append(fragment)
    return tuple(resolver.runs(root))


def _missing(run: Run) -> Iterator[str]:
    """The characters of `run` that none of its faces can set."""
    for char in set(run.text):
        if _needs_glyph(char) and not any(ord(char) in coverage(face.path)
                                          for face in run.faces):
            yield char


def check_glyphs(given: CheckInput) -> Iterator[Diagnostic]:
    """P001: every character the PDF prints is in the face that sets it (first use of a
    character per file): the text face, a heading face, the code face."""
    resolver = _resolver(given)
    if resolver is None:
        return
    yield from _metadata_glyphs(given, resolver)
    for rendered in given.chapters:
        seen: set[str] = set()
        for run in _runs(resolver, rendered.body):
            face = run.face
            if face is None:
                continue  # P004
            for char in sorted(set(_missing(run)) - seen, key=run.text.index):
                seen.add(char)
                line, col = _locate(rendered, run, char)
                yield finding("P001", rendered.chapter.path, line, col, char=char,
                              codepoint=f"{ord(char):04X}", face=face.path.stem)


def _metadata_glyphs(given: CheckInput, resolver: FaceResolver) -> Iterator[Diagnostic]:
    """P001 for what book.yaml prints on the title and copyright pages."""
    book = given.book
    meta = book.metadata
    printed = {"title": [meta.title], "subtitle": [meta.subtitle], "author": meta.authors,
               "publisher": [meta.publisher], "rights": [meta.rights]}
    html = f"<html><body>{titlepage(meta)}{copyright_page(meta)}</body></html>"
    root = etree.fromstring(html, etree.HTMLParser())
    missing: dict[str, FontFace] = {}
    for run in resolver.runs(root):
        if run.face is not None:
            for char in _missing(run):
                missing.setdefault(char, run.face)
    for key, values in printed.items():
        pos = book.position_of(key)
        seen: set[str] = set()
        for value in values:
            for char in value or "":
                if char in missing and char not in seen:
                    seen.add(char)
                    yield finding("P001", book.config_path, pos.line, pos.col, char=char,
                                  codepoint=f"{ord(char):04X}", face=missing[char].path.stem)


def _locate(rendered: RenderedChapter, run: Run, char: str) -> tuple[int, int]:
    """Where the source writes `char` as part of `run`: the run's text around it (code is
    written as it prints; prose loses the quotes, dashes, ellipses and marks Markdown may
    rewrite) found in the source; else the character's first place; else the chapter's
    first line."""
    index = run.text.index(char)
    if _in_code(run.element):
        start = run.text.rfind("\n", 0, index) + 1
        end = run.text.find("\n", index)
        piece = run.text[start:end if end != -1 else None]
        needles = ["`" + piece, piece]
        offsets = [index - start + 1, index - start]
    else:
        before = _UNSTABLE.split(run.text[:index])[-1][-12:]
        after = _UNSTABLE.split(run.text[index + 1:])[0][:12]
        needles = [before + char + after, char + after, before + char]
        offsets = [len(before), 0, len(before)]
    for needle, offset in [*zip(needles, offsets, strict=True), (char, 0)]:
        for line in rendered.source.lines:
            col = line.raw.find(needle)
            if col != -1:
                return line.number, col + offset + 1
    return rendered.chapter.first_line, 0


_UNSTABLE = re.compile(r"[\s\"'‘’“”–—…&<>*_`\\]")
"""Characters the source may write otherwise than the page prints them."""


def _in_code(element: etree._Element) -> bool:
    return any(str(e.tag).rpartition("}")[2] in ("code", "pre", "kbd", "samp")
               for e in (element, *element.iterancestors()))


_STYLE_NAMES = {(True, False): "bold", (True, True): "bold italic", (False, True): "italic"}


def check_synthetic_styles(given: CheckInput) -> Iterator[Diagnostic]:
    """P003: bold or italic text whose family has no such face (the PDF would fake it), at
    the first run of each chapter that asks for it."""
    resolver = _resolver(given)
    if resolver is None:
        return
    for rendered in given.chapters:
        seen: set[tuple[str, str]] = set()
        for run in _runs(resolver, rendered.body):
            if run.face is None or not any(run.synthetic):
                continue
            name = _STYLE_NAMES[(run.weight >= BOLD_FROM, run.italic)]
            if (name, run.face.family) in seen:
                continue
            seen.add((name, run.face.family))
            line, col = _locate(rendered, run, run.text.strip()[0])
            yield finding("P003", rendered.chapter.path, line, col, style=name,
                          face=run.face.family)


def check_unshipped_faces(given: CheckInput) -> Iterator[Diagnostic]:
    """P004: text whose font-family names no face the theme or the book's style.css ships
    (a generic family such as monospace, or a font of the machine's), first run per family
    list per chapter."""
    resolver = _resolver(given)
    if resolver is None:
        return
    for rendered in given.chapters:
        seen: set[tuple[str, ...]] = set()
        for run in _runs(resolver, rendered.body):
            if run.faces or run.families in seen:
                continue
            seen.add(run.families)
            line, col = _locate(rendered, run, run.text.strip()[0])
            yield finding("P004", rendered.chapter.path, line, col,
                          family=", ".join(run.families),
                          element=str(run.element.tag).rpartition("}")[2])


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
