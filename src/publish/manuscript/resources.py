"""What a chapter's markup asks for besides its words: images and other files, styles,
scripts. Every reference goes through the containment rule (publish.sandbox); every image
is opened once, by its header, to prove it is an image of a size the renderers can bear.

Hyperlinks (`a href`) are publish.manuscript.links' business, except where they would run a script.
"""

from __future__ import annotations

import base64
import binascii
import io
import warnings
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote_to_bytes

from lxml import etree
from PIL import Image, UnidentifiedImageError

from publish.diagnostics import Diagnostic
from publish.limits import MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS, megabytes
from publish.manuscript.cssrefs import css_references
from publish.model import Chapter, ChapterSource
from publish.rules import finding
from publish.sandbox import Reference, classify, locate

XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
URL_ATTRIBUTES = frozenset({"src", "href", XLINK_HREF, "data", "poster", "srcset", "action",
                            "formaction", "background", "cite", "longdesc", "lowsrc",
                            "dynsrc", "manifest", "codebase", "archive", "icon"})
"""Attributes whose value is a URL (or, for srcset, starts with one)."""
IMAGE_FORMATS = ("JPEG", "PNG", "GIF", "WEBP")
"""Raster formats both outputs show (SVG is checked as XML)."""


@dataclass(frozen=True)
class Where:
    """The chapter being read, for findings."""

    chapter: Chapter
    source: ChapterSource
    book_root: Path
    seen: Counter[tuple[str, str]] = field(default_factory=Counter)
    """How often each (code, needle) has been reported: the next report is at the next
    place it is written."""

    def at(self, code: str, needle: str, **fields: object) -> Diagnostic:
        places = self.source.places_of(needle)
        nth = self.seen[code, needle]
        self.seen[code, needle] += 1
        if places:
            line, col = places[min(nth, len(places) - 1)]
        else:
            line, col = self.source.position_of(needle, self.chapter.first_line)
        return finding(code, self.chapter.path, line, col, **fields)


def strip_comments(root: etree._Element) -> None:
    """Remove HTML comments and processing instructions: an author's `<!-- ask the
    editor -->` is a note to themselves, never part of the book."""
    for node in root.xpath("//comment() | //processing-instruction()"):
        parent = node.getparent()
        if node.tail:
            previous = node.getprevious()
            if previous is not None:
                previous.tail = (previous.tail or "") + node.tail
            else:
                parent.text = (parent.text or "") + node.tail
        parent.remove(node)


def check_resources(root: etree._Element, chapter: Chapter, source: ChapterSource,
                    book_root: Path) -> tuple[list[str], list[Diagnostic]]:
    """Check everything the chapter's markup names; rewrite each image's path, written
    relative to its chapter file, relative to the book's folder (where both outputs find
    it). Returns the images (paths relative to the book's folder) and the findings."""
    where = Where(chapter, source, book_root)
    problems = list(_scripts(root, where))
    images: list[str] = []
    for element in root.iter(etree.Element):
        for name, value in element.attrib.items():
            if name in URL_ATTRIBUTES and not (element.tag == "a" and name == "href"):
                url = value.split()[0] if name == "srcset" and value.split() else value
                problems += _resource(element, name, url, where, images)
        if element.get("style"):
            problems += _css(element.get("style", ""), where)
        if element.tag == "style":
            problems += _css(element.text or "", where)
    return images, problems


def _scripts(root: etree._Element, where: Where) -> Iterator[Diagnostic]:
    for element in root.iter(etree.Element):
        if element.tag == "script":
            yield where.at("L009", "<script", what="a `<script>` element")
        for name, value in element.attrib.items():
            if name.lower().startswith("on"):
                yield where.at("L009", name, what=f"the `{name}` attribute")
            elif name in URL_ATTRIBUTES and classify(value) is Reference.SCRIPT:
                yield where.at("L009", value, what=f"`{value.strip()[:40]}`")


def _resource(element: etree._Element, name: str, url: str, where: Where,
              images: list[str]) -> list[Diagnostic]:
    """The findings for one URL attribute of a non-hyperlink element."""
    kind = classify(url)
    if kind in (Reference.FRAGMENT, Reference.SCRIPT):
        return []  # SCRIPT: reported by _scripts
    if kind is Reference.FILE:
        return [where.at("L008", url, src=url)]
    if kind in (Reference.REMOTE, Reference.OTHER):
        return [where.at("L002", url, src=url)]
    if kind is Reference.DATA:
        return _image_problems(where, url, _data_bytes(url)) if element.tag == "img" else []
    path = locate(where.chapter.path.parent, url, [where.book_root])
    if path is None:
        return [where.at("L008", url, src=url)]
    if element.tag != "img" or name != "src":
        return []
    if not path.is_file():
        return [where.at("L001", url, src=url)]
    problems = []
    if not element.get("alt", "").strip():
        problems.append(where.at("L004", url, src=url))
    problems += _image_file_problems(where, url, path)
    relative = path.resolve().relative_to(where.book_root.resolve()).as_posix()
    element.set("src", relative)
    if relative not in images:
        images.append(relative)
    return problems


def _css(text: str, where: Where) -> list[Diagnostic]:
    """A `style` attribute or `<style>` element may name files too."""
    problems = []
    for ref in css_references(text):
        kind = classify(ref.url)
        if kind is Reference.REMOTE:
            problems.append(where.at("L002", ref.url, src=ref.url))
        elif kind is Reference.SCRIPT:
            problems.append(where.at("L009", ref.url, what=f"`{ref.url[:40]}`"))
        elif kind is Reference.FILE or (
                kind is Reference.LOCAL
                and locate(where.chapter.path.parent, ref.url, [where.book_root]) is None):
            problems.append(where.at("L008", ref.url, src=ref.url))
    return problems


def _data_bytes(url: str) -> bytes | None:
    header, _, payload = url.partition(",")
    try:
        if header.endswith(";base64"):
            return base64.b64decode(payload, validate=False)
        return unquote_to_bytes(payload)
    except (binascii.Error, ValueError):
        return None


def _image_file_problems(where: Where, src: str, path: Path) -> list[Diagnostic]:
    size = path.stat().st_size
    if size > MAX_IMAGE_BYTES:
        return [where.at("L011", src, src=src, size=megabytes(size),
                         limit=megabytes(MAX_IMAGE_BYTES))]
    return _image_problems(where, src, path.read_bytes())


def _image_problems(where: Where, src: str, data: bytes | None) -> list[Diagnostic]:
    shown = src if len(src) < 60 else src[:57] + "…"
    problem = image_problem(data)
    if problem is None:
        return []
    code, fields = problem
    return [where.at(code, src, src=shown, **fields)]


def image_problem(data: bytes | None) -> tuple[str, dict[str, str]] | None:
    """Why these bytes cannot be printed as an image: ("L010", {problem}) when they are not
    one, ("L011", {size, limit}) when decoding them would cost too much; else None. Only
    the header is read."""
    if data is None or not data:
        return "L010", {"problem": "the file is empty"}
    if len(data) > MAX_IMAGE_BYTES:
        return "L011", {"size": megabytes(len(data)), "limit": megabytes(MAX_IMAGE_BYTES)}
    if data.lstrip()[:5] in (b"<?xml", b"<svg ", b"<svg\n", b"<!DOC") or b"<svg" in data[:1024]:
        return _svg_problem(data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height, kind = image.width, image.height, image.format
    except Image.DecompressionBombError:
        return "L011", {"size": "over 179 million pixels",
                        "limit": f"{MAX_IMAGE_PIXELS:,} pixels"}
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return "L010", {"problem": "it is not an image in a format this tool knows"}
    if kind not in IMAGE_FORMATS:
        return "L010", {"problem": f"{kind} is not a format e-readers show"}
    if width * height > MAX_IMAGE_PIXELS:
        return "L011", {"size": f"{width:,} × {height:,} pixels",
                        "limit": f"{MAX_IMAGE_PIXELS:,} pixels"}
    return None


def _svg_problem(data: bytes) -> tuple[str, dict[str, str]] | None:
    """An SVG must be well-formed XML and name no file or network resource: it is drawn
    by the print stage, which would fetch what it names."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as err:
        return "L010", {"problem": f"its SVG is not well-formed XML ({err.msg})"}
    for element in root.iter(etree.Element):
        for name in ("href", XLINK_HREF, "src"):
            value = element.get(name)
            if value and classify(value) not in (Reference.FRAGMENT, Reference.DATA):
                return "L010", {"problem": f"the SVG names another file ({value[:40]}); "
                                           "an illustration must stand alone"}
    return None
