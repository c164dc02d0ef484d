"""Print page numbers in the EPUB: a page-break marker where each printed page begins, and
the list of them for the navigation document's `page-list`.

The print stage says where pages begin (publish.pagestarts: a folio, a chapter and the page's
first letters); here each page's letters are found again in the chapter's XHTML, searching
forward from the previous page, and an empty
`span[epub:type=pagebreak][role=doc-pagebreak][aria-label=N]` goes in at that point. A page
that begins inside a word (the word was hyphenated across the turn) gets its marker before the
next whole word; one that begins with a heading or a paragraph gets it just before that block,
so that the number never joins a heading's accessible name.
"""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from lxml import etree

from publish.letters import KEY_LENGTH, squeeze
from publish.manuscript.notes import EPUB_TYPE
from publish.model import PageStart, RenderedChapter
from publish.xhtml import parse_fragment, serialize_children

_BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6"})
_MIN_KEY = 12
"""Fewest letters a page's key may be cut to when the whole key is not found."""


@dataclass(frozen=True)
class PageTarget:
    """One entry of the page list: the folio and where its marker is."""

    label: str
    href: str


@dataclass(frozen=True)
class Paginated:
    """The chapters with their page markers, the page list, and the pages not placed."""

    chapters: tuple[RenderedChapter, ...]
    pages: tuple[PageTarget, ...]
    missed: tuple[PageStart, ...]


@dataclass
class _Spot:
    """Where one kept character of a chapter's text sits in its tree."""

    element: etree._Element
    tail: bool
    """In the element's tail (after it) rather than its text (inside it)."""
    offset: int


def mark_pages(chapters: Sequence[RenderedChapter], starts: Sequence[PageStart]
               ) -> Paginated:
    """Insert a marker for each page of `starts` into the chapter it begins in."""
    by_chapter: dict[str, list[PageStart]] = {}
    for start in starts:
        by_chapter.setdefault(start.chapter_id, []).append(start)
    marked, targets, missed = [], [], []
    for chapter in chapters:
        pages = by_chapter.get(chapter.id, [])
        if not pages:
            marked.append(chapter)
            continue
        root = parse_fragment(chapter.body)
        placed = _place(root, pages)
        missed += [page for page in pages if page not in placed]
        targets += [PageTarget(p.label, f"{chapter.file_name}#{page_id(p.label)}")
                    for p in pages if p in placed]
        marked.append(dataclasses.replace(chapter, body=serialize_children(root)))
    return Paginated(tuple(marked), tuple(targets), tuple(missed))


def page_id(label: str) -> str:
    return f"page-{label}"


def mark_generated(content: str, section_id: str, file_name: str,
                   starts: Sequence[PageStart]) -> tuple[str, tuple[PageTarget, ...]]:
    """A generated document (title page, copyright page, contents) with a marker for the
    first printed page it begins, at its very start. (The contents may run over several
    pages; the navigation document's lists may hold nothing but links, so only its first
    page is marked.)"""
    first = next((start for start in starts if start.chapter_id == section_id), None)
    if first is None:
        return content, ()
    label = html.escape(first.label)
    marker = (f'<span id="{page_id(label)}" epub:type="pagebreak" role="doc-pagebreak" '
              f'aria-label="{label}"/>')
    return f"{marker}\n{content}", (PageTarget(first.label,
                                                f"{file_name}#{page_id(first.label)}"),)


def _place(root: etree._Element, pages: Sequence[PageStart]) -> set[PageStart]:
    text, spots = _letters(root)
    placed: set[PageStart] = set()
    found: list[tuple[PageStart, _Spot]] = []
    cursor = 0
    for page in pages:
        at = _find(text, page.key, cursor)
        if at < 0:
            continue
        spot = _word_start(spots, text, at)
        found.append((page, spot))
        placed.add(page)
        cursor = at + 1
    # Insert from the last to the first, so that earlier spots stay valid.
    for page, spot in reversed(found):
        _insert(spot, _marker(page.label))
    return placed


def _find(text: str, key: str, cursor: int) -> int:
    """The first place from `cursor` where `key` (or, failing that, its opening) occurs."""
    length = min(len(key), KEY_LENGTH)
    while length >= min(_MIN_KEY, len(key)):
        at = text.find(key[:length], cursor)
        if at >= 0:
            return at
        length //= 2
    return -1


def _letters(root: etree._Element) -> tuple[str, list[_Spot]]:
    """The chapter's running text squeezed, and where each of its characters sits. Notes and
    note calls are left out: the print edition sets them at the foot of the page."""
    chars: list[str] = []
    spots: list[_Spot] = []

    def take(element: etree._Element, tail: bool, value: str | None) -> None:
        for offset, char in enumerate(value or ""):
            for kept in _squeeze_char(char):
                chars.append(kept)
                spots.append(_Spot(element, tail, offset))

    def walk(element: etree._Element) -> None:
        skip = element.get("role") in ("doc-footnote", "doc-noteref")
        if not skip:
            take(element, False, element.text)
            for child in element:
                walk(child)
        take(element, True, element.tail)

    take(root, False, root.text)
    for child in root:
        walk(child)
    return "".join(chars), spots


@cache
def _squeeze_char(char: str) -> str:
    """`squeeze` of one character, remembered: a novel has a few hundred distinct ones."""
    return squeeze(char)


def _word_start(spots: list[_Spot], text: str, at: int) -> _Spot:
    """The spot for a marker at `at`, moved past the rest of a word the page began inside.
    A word is cut when the letter before `at` is a letter of the same text run."""
    spot = spots[at]
    if at == 0:
        return spot
    before = spots[at - 1]
    same_run = before.element is spot.element and before.tail == spot.tail
    source = (spot.element.tail if spot.tail else spot.element.text) or ""
    if not (same_run and text[at - 1].isalnum()
            and not any(c.isspace() for c in source[before.offset + 1:spot.offset])):
        return spot
    # Inside a word: go to the next white space in this run, and the letter after it.
    end = spot.offset
    while end < len(source) and not source[end].isspace():
        end += 1
    while end < len(source) and source[end].isspace():
        end += 1
    return _Spot(spot.element, spot.tail, end)


def _marker(label: str) -> etree._Element:
    return etree.Element("span", {"id": page_id(label), EPUB_TYPE: "pagebreak",
                                  "role": "doc-pagebreak", "aria-label": label})


def _insert(spot: _Spot, marker: etree._Element) -> None:
    element = spot.element
    if spot.tail:
        value = element.tail or ""
        element.tail = value[:spot.offset]
        marker.tail = value[spot.offset:]
        element.addnext(marker)
        return
    value = element.text or ""
    if (element.tag in _BLOCKS and not value[:spot.offset].strip()
            and element.getparent() is not None):
        marker.tail = "\n"
        element.addprevious(marker)  # before the heading or paragraph, not inside it
        return
    element.text = value[:spot.offset]
    marker.tail = value[spot.offset:]
    element.insert(0, marker)
