"""Where each page of the typeset print edition begins, read from WeasyPrint's layout, so the
EPUB can carry the print page numbers (see publish.epub.pagebreaks, which places the markers).

A page is described by its folio, the chapter it begins in, and the first letters of its
running text: the characters of the chapter's own words only (no generated content such as
footnote calls or ornaments, no footnotes, no running heads), squeezed (publish.letters).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from weasyprint.document import Document

from publish.letters import KEY_LENGTH, squeeze
from publish.model import PageStart
from publish.pdf import boxes

GENERATED = ("titlepage", "copyright", "toc")
"""The generated front matter the EPUB has too: its pages are found by these ids (the
half-title has no counterpart in the EPUB)."""


PageKey = tuple[str, str, bool]
"""A page's chapter id ('' for none), its first letters squeezed ('' for none), and whether
the body's first section begins on it."""


def page_keys(document: Document, body_start_id: str) -> tuple[PageKey, ...]:
    """For each page of `document`: the chapter (or title page, copyright page, contents)
    its running text begins in, its first letters, and whether `body_start_id` (the section
    whose first page is arabic page 1) begins there."""
    keys = []
    for page in boxes.pages(document):
        sections = []
        text = []
        for section, piece in _running_text(page):
            sections.append(section)
            text.append(piece)
            if len(squeeze("".join(text))) >= KEY_LENGTH:
                break
        chapter = sections[0] if sections and sections[0] else ""
        key = squeeze("".join(text))[:KEY_LENGTH] if chapter else ""
        keys.append((chapter, key, body_start_id in sections))
    return tuple(keys)


def starts_from_keys(keys: Sequence[PageKey]) -> tuple[PageStart, ...]:
    """The pages that open with running text, labelled as their folios read (roman before
    the body's first page, arabic from it)."""
    first_body = next((i for i, (_c, _k, starts) in enumerate(keys) if starts), len(keys))
    return tuple(PageStart(label(index, first_body), chapter, key)
                 for index, (chapter, key, _starts) in enumerate(keys) if key)


def label(index: int, first_body: int) -> str:
    """The folio of the page at `index`: roman before the body, arabic from it."""
    if index >= first_body:
        return str(index - first_body + 1)
    return _roman(index + 1)


def _roman(number: int) -> str:
    digits = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
              (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
    out = []
    for value, letters in digits:
        count, number = divmod(number, value)
        out.append(letters * count)
    return "".join(out)


def _running_text(page: boxes.PageBox) -> Iterator[tuple[str, str]]:
    """(chapter id or '', text) for each piece of the page's own text, in reading order."""
    for child in page.children:
        if boxes.is_margin(child) or boxes.is_footnote_area(child):
            continue  # running heads, folios, footnotes
        yield from _texts(child, "")


def _texts(box: boxes.Box, chapter: str) -> Iterator[tuple[str, str]]:
    tag = boxes.tag(box)
    if "::" in tag and not tag.endswith("::first-line"):
        return  # generated content: a footnote call, an ornament, a leader
    if _starts_document(box):
        chapter = box.element.get("id") or ""
    if boxes.is_text(box):
        yield chapter, box.text
        return
    for child in boxes.children(box):
        yield from _texts(child, chapter)


def _starts_document(box: boxes.Box) -> bool:
    """Whether `box` opens what the EPUB has as a document: a chapter's section, or the
    title page, copyright page or contents."""
    element, tag = boxes.element(box), boxes.tag(box)
    if element is None or tag not in ("section", "nav"):
        return False
    return ((tag == "section" and "chapter" in (element.get("class") or ""))
            or element.get("id") in GENERATED)
