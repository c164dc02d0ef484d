"""Footnotes as e-readers pop them up: Python-Markdown's list of notes becomes one
`aside[epub:type=footnote][role=doc-footnote]` per note, each called by an
`a[epub:type=noteref][role=doc-noteref]`, and each opening with its number as the link back
(Kobo shows no glyph for `↩`). The PDF stage moves each note to the foot of its page.
"""

from __future__ import annotations

from lxml import etree

from publish.xhtml import EPUB_NS

EPUB_TYPE = f"{{{EPUB_NS}}}type"


def restructure_notes(root: etree._Element) -> None:
    """Rewrite Python-Markdown's footnotes in `root` (a chapter's parsed body) in place."""
    numbers: dict[str, str] = {}
    for sup in root.xpath(".//sup[a[contains(@class, 'footnote-ref')]]"):
        link = sup.find("a")
        link.set("id", sup.attrib.pop("id"))
        link.set("class", "noteref")
        link.set(EPUB_TYPE, "noteref")
        link.set("role", "doc-noteref")
        numbers[link.get("href", "")[1:]] = link.text or ""
    for block in root.xpath(".//div[@class='footnote']"):
        parent = block.getparent()
        position = parent.index(block)
        parent.remove(block)
        for offset, item in enumerate(block.iter("li")):
            parent.insert(position + offset, _aside(item, numbers.get(item.get("id", ""), "")))


def _aside(item: etree._Element, number: str) -> etree._Element:
    aside = etree.Element("aside", {"id": item.get("id", ""), "class": "footnote",
                                    EPUB_TYPE: "footnote", "role": "doc-footnote"})
    back_href = ""
    for backref in item.xpath(".//a[contains(@class, 'footnote-backref')]"):
        back_href = backref.get("href", "")
        _drop_keeping_tail(backref)
    for child in list(item):
        aside.append(child)
    paragraphs = aside.findall("p")
    if paragraphs and number:  # an unreferenced note (L006) has nothing to link back to
        for paragraph in paragraphs:  # the non-breaking space Python-Markdown put before ↑
            last = paragraph[-1] if len(paragraph) else None
            if last is not None and last.tail:
                last.tail = last.tail.rstrip("\u00a0 ")
            elif last is None and paragraph.text:
                paragraph.text = paragraph.text.rstrip("\u00a0 ")
        first = paragraphs[0]
        back = etree.Element("a", {"class": "note-number", "href": back_href,
                                   "role": "doc-backlink"})
        back.text = f"{number}."
        back.tail = " " + (first.text or "")
        first.text = None
        first.insert(0, back)
    return aside


def _drop_keeping_tail(element: etree._Element) -> None:
    parent = element.getparent()
    previous = element.getprevious()
    tail = element.tail or ""
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(element)
