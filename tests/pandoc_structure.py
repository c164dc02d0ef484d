"""What a reader meets in a piece of HTML, as a list of tokens — the structure (lists, items,
tables, cells and their alignment, captions, figures, quotes, code, emphasis, headings…) and
the words — so that `publish`'s rendering of some Markdown can be compared with Pandoc's.

Ids, classes that only style, Pandoc's code highlighting and the way each writes a note are
left out; notes are compared as their text, in the order the text calls them.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

STRUCTURE = frozenset({
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "blockquote", "ul", "ol", "li", "dl", "dt", "dd",
    "table", "caption", "tr", "th", "td", "pre", "code", "em", "strong", "sub", "sup", "del",
    "figure", "figcaption", "img", "hr", "u", "mark", "math", "a"})
"""The elements a reader tells apart."""
NOTE_CALL = "doc-noteref"
_SPACES = re.compile(r"[\s\u00a0\u2060]+")


def tokens(fragment: str) -> tuple[list[str], list[str]]:
    """(the structure and words of `fragment`, the text of each note in call order)."""
    root = lxml_html.fragment_fromstring(f"<div>{fragment}</div>")
    notes = _notes(root)
    made: list[str] = []
    _walk(root, made, {e.get("id") for e in root.iter() if e.get("id")})
    return made, notes


def _notes(root: etree._Element) -> list[str]:
    """Take the notes out of `root` and return their texts, in the order they are called."""
    bodies: dict[str, str] = {}
    for holder in root.xpath(".//*[@role='doc-footnote'] | .//section[@role='doc-endnotes']"
                             "//li | .//section[contains(@class, 'footnotes')]//li"):
        for back in holder.xpath(".//*[@role='doc-backlink']"):
            _drop(back)
        bodies[holder.get("id", "")] = " ".join(_words("".join(holder.itertext())))
    for section in root.xpath(".//*[@role='doc-footnote'] | .//section[@role='doc-endnotes']"
                              " | .//section[contains(@class, 'footnotes')]"):
        if section.getparent() is not None:
            _drop(section)
    made = []
    for call in root.xpath(f".//a[@role='{NOTE_CALL}'] | .//a[contains(@class, 'footnote-ref')]"):
        made.append(bodies.get((call.get("href") or "").lstrip("#"), "(a note not found)"))
        # The call is the note's number, whatever each writes around it.
        holder = call.getparent() if call.getparent().tag == "sup" else call
        number = "".join(call.itertext()).strip()
        holder.tag, holder.text = "notecall", ""
        holder.set("number", number)
        for child in list(holder):
            holder.remove(child)
    return made


def _drop(element: etree._Element) -> None:
    parent = element.getparent()
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _words(text: str) -> list[str]:
    return _SPACES.sub(" ", text).split()


def _walk(element: etree._Element, made: list[str], ids: set[str]) -> None:
    """Append `element`'s markers and words to `made`; text runs across elements a reader
    does not tell apart (a span, a citation) are one run: "[@key]." is one word either way."""
    chunks: list[str] = []
    _visit(element, chunks, ids)
    text: list[str] = []
    for chunk in chunks:
        if chunk.startswith("\x00"):
            made += _words("".join(text))
            text = []
            made.append(chunk[1:])
        else:
            text.append(chunk)
    made += _words("".join(text))


def _visit(element: etree._Element, chunks: list[str], ids: set[str]) -> None:
    if not isinstance(element.tag, str):
        return  # a comment or processing instruction: no reader sees it
    tag = element.tag
    if tag == "p" and not "".join(element.itertext()).strip() and not len(element):
        return  # an empty paragraph: nothing a reader meets
    shown = tag in STRUCTURE
    if tag == "notecall":
        chunks.append(f"\x00[note {element.get('number')}]")
    elif tag == "input" and element.get("type") == "checkbox":
        chunks.append("\x00[x]" if element.get("checked") is not None else "\x00[ ]")
    elif tag == "span" and "math" in (element.get("class") or "").split():
        chunks += ["\x00<math>", "\x00</math>"]  # MathML, or TeX where it could not be
        return
    elif tag in ("br", "img", "hr") and not shown:
        chunks.append(" ")
    described = _describe(element, ids) if shown else ""
    if shown:
        chunks.append(f"\x00<{described}>")
    if element.text and tag not in ("script", "style"):
        chunks.append(element.text)
    if tag != "math":
        for child in element:
            _visit(child, chunks, ids)
            if child.tail:
                chunks.append(child.tail)
    if shown:
        chunks.append(f"\x00</{described.split()[0]}>")


def _describe(element: etree._Element, ids: set[str]) -> str:
    """An element's tag and what of its attributes a reader sees."""
    tag = element.tag
    if tag == "ol":
        kind = element.get("type") or "1"
        return f"ol start={element.get('start') or '1'} type={kind}"
    if tag == "th" and not "".join(element.itertext()).strip() and not len(element):
        tag = "td"  # an empty header cell is an empty cell (publish writes it so: DAISY Ace)
    if tag in ("td", "th"):
        style = element.get("style") or ""
        align = re.search(r"text-align:\s*(\w+)", style)
        found = align.group(1) if align else element.get("align") or "default"
        return f"{tag} {found if found not in ('left',) else 'left'}"
    if tag == "img":
        return f"img alt={' '.join(_words(element.get('alt') or ''))}"
    if tag == "a":
        href = element.get("href") or ""
        if href.startswith("#"):
            return "a internal" if href[1:] in ids else "a broken"
        return f"a {href}"
    if tag in ("span", "div"):
        return tag
    return tag
