"""XHTML fragments as every stage reads and writes them: a chapter's body parsed as XML (HTML's
named entities turned into numbers first), and written back without the wrapper."""

from __future__ import annotations

import html.entities
import re

from lxml import etree

EPUB_NS = "http://www.idpf.org/2007/ops"
"""The namespace of `epub:type` and the EPUB's other attributes."""
MATHML_NS = "http://www.w3.org/1998/Math/MathML"
"""The namespace of MathML (Pandoc's `$math$`, publish.manuscript.tex)."""
PHRASING = frozenset({"a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "dfn",
                      "em", "i", "img", "kbd", "mark", "q", "s", "samp", "small", "span",
                      "strong", "sub", "sup", "time", "u", "var", "wbr", "svg", "math",
                      "ruby", "rt", "rp", "del", "ins"})
"""HTML's inline (phrasing) elements: any other closes an open paragraph when HTML is
parsed."""
_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")
_XML_ENTITIES = frozenset({"amp", "lt", "gt", "quot", "apos"})


def parse_fragment(html_text: str) -> etree._Element:
    """Parse Python-Markdown output as XML inside a `<div>`; raises XMLSyntaxError."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    # The epub prefix is declared so that raw HTML may use epub:type, and so that the
    # attributes we add serialise as `epub:type` rather than `ns0:type`.
    return etree.fromstring(
        f'<div xmlns:epub="{EPUB_NS}">{_numeric_entities(html_text)}</div>', parser)


def serialize_children(root: etree._Element) -> str:
    """The XML of everything inside `root`, without `root` itself (and without the `epub`
    namespace declaration lxml repeats: the documents that hold the fragment declare it)."""
    parts = [root.text or ""]
    parts += [etree.tostring(child, encoding="unicode", method="xml") for child in root]
    return "".join(parts).replace(f' xmlns:epub="{EPUB_NS}"', "")


def without_math(root: etree._Element) -> etree._Element:
    """`root` with each formula emptied (its words are symbols and TeX, not text a reader
    reads as words; print draws it): returned for chaining."""
    for math in root.iter(f"{{{MATHML_NS}}}math"):
        tail = math.tail
        math.clear()
        math.tail = tail
    return root


def drop(element: etree._Element) -> None:
    """Take `element` out of its tree, the text after it (its tail) staying in place."""
    parent, previous = element.getparent(), element.getprevious()
    if element.tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _numeric_entities(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in _XML_ENTITIES:
            return match.group(0)
        chars = html.entities.html5.get(name + ";")
        if chars is None:
            return match.group(0)  # left for the XML parser to report
        return "".join(f"&#x{ord(c):x};" for c in chars)

    return _ENTITY.sub(replace, text)
