"""Notes WeasyPrint lost or misplaced. A note is printed at the foot of the page that calls
it; when two notes are called on a page's last lines and do not fit there, WeasyPrint moves
them on to the next page, and has been seen to print only one of them, or both in the wrong
order. A paragraph whose note was lost or misplaced is kept whole (`break-inside: avoid`)
and the unit laid out again: its calls then stand on the next page with their notes."""

from __future__ import annotations

import itertools
from collections.abc import Collection

from lxml import html as lxml_html
from weasyprint.document import Document

from publish.pdf import boxes
from publish.xhtml import PHRASING


def lost_notes(document: Document) -> frozenset[str]:
    """The ids of the notes (`span.footnote`) of `document` no page prints, or that are
    printed out of their order."""
    pages = boxes.pages(document)
    if not pages:
        return frozenset()
    called = [element.get("id") for element in boxes.root_element(pages[0]).iter()
              if element.tag == "span" and element.get("class") == "footnote"]
    order = {note: index for index, note in enumerate(called)}
    printed = [boxes.element(note).get("id") for page in pages for area in page.children
               if boxes.is_footnote_area(area) for note in boxes.children(area)
               if boxes.element(note) is not None]
    misplaced = set(called) - set(printed)
    for before, after in itertools.pairwise(printed):
        if order.get(after, -1) < order.get(before, -1):
            misplaced |= {before, after}
    return frozenset(misplaced - {None})


def keep_whole(html: str, notes: Collection[str]) -> str:
    """`html` with each paragraph (or other block) that calls one of `notes` kept on one
    page."""
    if not notes:
        return html
    root = lxml_html.document_fromstring(html)
    for note in notes:
        for span in root.xpath("//span[@class='footnote'][@id=$id]", id=note):
            block = next((a for a in span.iterancestors() if a.tag not in PHRASING), None)
            if block is not None and block.tag not in ("body", "section", "div"):
                style = block.get("style", "")
                block.set("style", f"{style}; break-inside: avoid".lstrip("; "))
    return lxml_html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")
