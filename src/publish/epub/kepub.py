"""The Kobo edition (`<name>.kepub.epub`): the EPUB with each sentence of every text block in
a `span.koboSpan` numbered `kobo.<block>.<sentence>`, and each document's body inside
`div#book-columns > div#book-inner`, which is what Kobo's reader uses for its page
turns, reading statistics and highlights.

Written here rather than taken from a library: the reference tool, kepubify, is a Go program,
and PyPI has no maintained equivalent. The text is not changed, only wrapped, so the
result stays as valid as the EPUB it comes from (checked by EPUBCheck in the tests).
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from lxml import etree

XHTML_NS = "http://www.w3.org/1999/xhtml"
_BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "td", "th",
                     "figcaption", "blockquote", "div", "section", "aside", "figure", "body",
                     "header", "footer", "nav", "ol", "ul", "dl", "table", "tr", "pre"})
_SENTENCE_END = re.compile(r"[.!?…][\"”’)\]]*\s+")
_UNTOUCHED = ("nav.xhtml",)
"""Documents left as they are: the navigation document's lists must hold links only."""


def write_kepub(epub: Path, target: Path) -> None:
    """Write the Kobo edition of the EPUB at `epub` to `target`, entry by entry in the same
    order, with the same (fixed) times."""
    out = io.BytesIO()
    with zipfile.ZipFile(epub) as source, zipfile.ZipFile(out, "w") as kepub:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename.endswith(".xhtml") and not info.filename.endswith(_UNTOUCHED):
                content = kobo_document(content)
            kepub.writestr(info, content, compresslevel=9)
    target.write_bytes(out.getvalue())


def kobo_document(xhtml: bytes) -> bytes:
    """One content document with its sentences in koboSpans and its body wrapped."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    root = etree.fromstring(xhtml, parser)
    body = root.find(f"{{{XHTML_NS}}}body")
    if body is None:
        return xhtml
    counter = _Counter()
    _spans_in_block(body, counter)
    _wrap_body(body)
    return etree.tostring(root, encoding="utf-8", xml_declaration=True,
                          doctype="<!DOCTYPE html>")


class _Counter:
    """Numbers the blocks that hold text, and the sentences within each."""

    def __init__(self) -> None:
        self.block = 0
        self.sentence = 0

    def next_block(self) -> None:
        self.block += 1
        self.sentence = 0

    def next_id(self) -> str:
        self.sentence += 1
        return f"kobo.{self.block}.{self.sentence}"


def _local(element: etree._Element) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _spans_in_block(block: etree._Element, counter: _Counter) -> None:
    """Wrap the text that belongs to `block` (its own and its inline descendants'), then
    treat each nested block as a block of its own."""
    counter.next_block()
    nested: list[etree._Element] = []
    _wrap_inline(block, counter, nested)
    for child in nested:
        _spans_in_block(child, counter)


def _wrap_inline(element: etree._Element, counter: _Counter,
                 nested: list[etree._Element]) -> None:
    children = list(element)  # before the text's own spans join them
    element.text = _wrap_text(element, None, element.text, counter)
    for child in children:
        if isinstance(child.tag, str):  # not a comment or processing instruction
            if _local(child) in _BLOCKS:
                nested.append(child)
            else:
                _wrap_inline(child, counter, nested)
        child.tail = _wrap_text(element, child, child.tail, counter)


def _wrap_text(parent: etree._Element, after: etree._Element | None, text: str | None,
               counter: _Counter) -> str | None:
    """Replace `text` (parent.text when `after` is None, else after.tail) by koboSpans, one
    per sentence, inserted in its place; return what stays as plain text (white space)."""
    if not text or not text.strip():
        return text
    pieces = _sentences(text)
    lead = ""
    while pieces and not pieces[0].strip():
        lead += pieces.pop(0)
    index = 0 if after is None else parent.index(after) + 1
    previous: etree._Element | None = None
    for piece in pieces:
        if not piece.strip() and previous is not None:
            previous.tail = (previous.tail or "") + piece
            continue
        span = etree.Element(f"{{{XHTML_NS}}}span", {"class": "koboSpan",
                                                      "id": counter.next_id()})
        stripped = piece.rstrip()
        span.text = stripped
        span.tail = piece[len(stripped):] or None
        parent.insert(index, span)
        index += 1
        previous = span
    return lead or None


def _sentences(text: str) -> list[str]:
    """`text` cut after each sentence's end (and the space after it); the pieces join up to
    `text` again."""
    pieces, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        pieces.append(text[start:match.end()])
        start = match.end()
    if start < len(text):
        pieces.append(text[start:])
    return pieces


def _wrap_body(body: etree._Element) -> None:
    columns = etree.Element(f"{{{XHTML_NS}}}div", {"id": "book-columns"})
    inner = etree.SubElement(columns, f"{{{XHTML_NS}}}div", {"id": "book-inner"})
    inner.text = body.text
    body.text = "\n"
    for child in list(body):
        inner.append(child)
    body.append(columns)
    columns.tail = "\n"
