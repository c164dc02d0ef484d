"""Endnotes (`notes: endnotes` in book.yaml): every chapter's notes gathered, in the EPUB, into
one back-matter document after the body, under the title of the chapter they belong to.

Each note keeps the number it has in the chapter (and in the print edition, which numbers
per chapter too) and the number stays its link back to the call. The section is
`section[epub:type=endnotes][role=doc-endnotes]`, with a list per chapter whose items hold
the notes as they were, `aside[epub:type=footnote][role=doc-footnote]`: EPUBCheck 5.3 flags
the `endnote` type and the `doc-endnote` role as deprecated, and Kobo and Apple Books pop up
a footnote wherever it stands.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree
from markupsafe import Markup

from publish.model import RenderedChapter
from publish.xhtml import EPUB_NS, parse_fragment, serialize_children

FILE_NAME = "notes.xhtml"


@dataclass(frozen=True)
class NoteGroup:
    """One chapter's notes, as XHTML list items."""

    chapter: RenderedChapter
    items: Markup


@dataclass(frozen=True)
class Gathered:
    """The chapters without their notes, and the notes by chapter."""

    chapters: tuple[RenderedChapter, ...]
    groups: tuple[NoteGroup, ...]


def gather(chapters: Sequence[RenderedChapter]) -> Gathered:
    """Move every chapter's footnotes into groups for the endnotes document, pointing each
    call at its note there and each note back at its call."""
    moved, groups = [], []
    for chapter in chapters:
        if "doc-footnote" not in chapter.body:
            moved.append(chapter)
            continue
        root = parse_fragment(chapter.body)
        items = []
        for aside in root.xpath(".//aside[@role='doc-footnote']"):
            aside.getparent().remove(aside)
            items.append(_item(aside, chapter.file_name))
        for call in root.xpath(".//a[@role='doc-noteref']"):
            call.set("href", FILE_NAME + call.get("href", ""))
        moved.append(dataclasses.replace(chapter, body=serialize_children(root)))
        holder = etree.Element("ol", nsmap={"epub": EPUB_NS})
        holder.extend(items)
        groups.append(NoteGroup(chapter, Markup(serialize_children(holder))))
    return Gathered(tuple(moved), tuple(groups))


def _item(aside: etree._Element, chapter_file: str) -> etree._Element:
    """The note, still an `aside` footnote (so readers pop it up, and its role matches its
    type as Ace asks), as an item of the chapter's list, its back link to the call."""
    for back in aside.xpath(".//a[@role='doc-backlink']"):
        back.set("href", chapter_file + back.get("href", ""))
    item = etree.Element("li")
    item.tail = "\n"
    aside.tail = None
    item.append(aside)
    return item
