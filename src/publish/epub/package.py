"""Stage 4a: the EPUB 3, packaged with ebooklib.

ebooklib writes the package document, the NCX and the zip. We give it finished XHTML as
plain items (its EpubHtml re-parses content with an HTML parser and rewrites it), write the
navigation document ourselves (its own adds a bogus page list and titles the ToC with the
book's title), then rewrite the zip once: `xml:lang` on the package, which ebooklib cannot
set, and fixed entry times so the same manuscript gives the same bytes.
"""

from __future__ import annotations

import dataclasses
import datetime
import io
import mimetypes
import posixpath
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ebooklib import epub
from lxml import etree
from markupsafe import Markup

from publish import bookindex
from publish.diagnostics import ToolError
from publish.epub import endnotes
from publish.epub.accessibility import accessibility_metadata
from publish.epub.ebookcover import CoverText, describe, describe_title, typographic_cover
from publish.epub.index import FILE_NAME as INDEX_FILE
from publish.epub.index import index_markup, where_marks_are
from publish.epub.pagebreaks import PageTarget, Paginated, mark_generated, mark_pages
from publish.faces import book_face, resolver_for, theme_css
from publish.frontmatter import (
    around_contents,
    authors_line,
    body_start,
    copyright_page,
    titlepage,
)
from publish.manuscript.cssrefs import without_comments
from publish.manuscript.pandoc import NEWPAGE_HTML
from publish.model import Book, PageStart, RenderedChapter
from publish.sandbox import read_inside
from publish.templating import render
from publish.xhtml import MATHML_NS

XHTML = "application/xhtml+xml"
OPF_PATH = "EPUB/content.opf"
STYLESHEETS = ("base.css", "epub.css")


@dataclass(frozen=True)
class Entry:
    """One line of the table of contents."""

    href: str
    title: str


@dataclass(frozen=True)
class Landmark:
    type: str
    href: str
    title: str


def write_epub(book: Book, chapters: Sequence[RenderedChapter], target: Path,
               *, styles: Path, modified: datetime.datetime,
               pages: Sequence[PageStart] = (), page_source: str = "") -> Paginated:
    """Write the book's EPUB to `target` (which the caller moves into place). With `pages`,
    where the print edition's pages begin, it carries their numbers (`page_source` names
    that edition); the result tells which pages were placed."""
    paginated = mark_pages(chapters, pages)
    package, page_list = _package(book, paginated, styles, page_source, pages)
    raw = io.BytesIO()
    epub.write_epub(raw, package, {
        "epub3_pages": False,  # ebooklib's guess at a page list is wrong; see FIELD.md
        "epub3_landmark": False,  # our nav document carries the landmarks
        "mtime": modified.astimezone(datetime.UTC),
        "raise_exceptions": True,
    })
    target.write_bytes(_finish_zip(raw.getvalue(), book.metadata.lang, modified))
    return dataclasses.replace(paginated, pages=page_list)


def _package(book: Book, paginated: Paginated, styles: Path, page_source: str,
             starts: Sequence[PageStart]) -> tuple[epub.EpubBook, tuple[PageTarget, ...]]:
    """The package, and its page list in reading order."""
    meta = book.metadata
    chapters = paginated.chapters
    notes: tuple[endnotes.NoteGroup, ...] = ()
    if book.notes == "endnotes":
        gathered = endnotes.gather(chapters)
        chapters, notes = gathered.chapters, gathered.groups
    package = epub.EpubBook()
    _add_metadata(package, book, chapters, page_source if starts else "")
    sheets = _add_stylesheets(package, book, styles)
    css = [item.file_name for _, item in sheets]
    cover = _add_images(package, book, chapters, styles)

    def document(uid: str, file_name: str, title: str, content: Markup, matter: str,
                 properties: Sequence[str] = ()) -> epub.EpubItem:
        item = epub.EpubItem(uid=uid, file_name=file_name, media_type=XHTML,
                             content=render("epub/document.xhtml", lang=meta.lang, title=title,
                                            stylesheets=css, matter=matter,
                                            content=content).encode())
        # EPUB wants a document that holds MathML to say so (Pandoc's $math$ is MathML).
        mathml = ["mathml"] if f"<math xmlns=\"{MATHML_NS}\"" in str(content) else []
        item.properties = [*properties, *mathml]
        package.add_item(item)
        return item

    def chapter_document(chapter: RenderedChapter) -> epub.EpubItem:
        # A page break (`\newpage`) is the print edition's business.
        text = chapter.body.replace(NEWPAGE_HTML, "")
        body = Markup(render("epub/chapter.xhtml", chapter=chapter, body=Markup(text)))
        # An untitled section's document is named by the book's title: no name of ours.
        return document(chapter.id, chapter.file_name, chapter.title or meta.title, body,
                        f"{chapter.role.matter}matter")

    before, after = around_contents(chapters)
    start = body_start(chapters)
    # Endnotes follow the body, before any back matter.
    body_end = max((i for i, c in enumerate(after) if c.role.matter != "back"), default=-1) + 1
    contents = [Entry(c.file_name, c.title) for c in chapters if c.in_contents]
    notes_document = []
    notes_markup = Markup(render("epub/endnotes.xhtml", groups=notes, book_title=meta.title)) \
        if notes else Markup("")
    if notes:
        contents.insert(len(before) + body_end, Entry(endnotes.FILE_NAME, "Notes"))
        notes_document = [document("endnotes", endnotes.FILE_NAME, "Notes", notes_markup,
                                   "backmatter")]
    index_document = []
    if bookindex.wanted(chapters, book.index):
        title = bookindex.title(meta.lang, book.index_title)
        hrefs, folios = where_marks_are(
            chapters, {endnotes.FILE_NAME: str(notes_markup)} if notes else {})
        groups = bookindex.gather(bookindex.marks_of(chapters), meta.lang)
        markup = index_markup(groups, title, meta.lang, hrefs, folios,
                              {c.id: c.title or meta.title for c in chapters})
        contents.append(Entry(INDEX_FILE, title))
        index_document = [document("index", INDEX_FILE, title, markup, "backmatter",
                                   ["index"])]
    # The generated documents carry the print page they begin (the contents: its first).
    title_markup, title_pages = mark_generated(titlepage(meta), "titlepage",
                                               "titlepage.xhtml", starts)
    rights_markup, rights_pages = mark_generated(copyright_page(meta), "copyright",
                                                 "copyright.xhtml", starts)
    nav_top, nav_pages = mark_generated("", "toc", "nav.xhtml", starts)

    def pages_in(group: Sequence[RenderedChapter]) -> list[PageTarget]:
        return [p for c in group for p in paginated.pages if p.href.startswith(f"{c.file_name}#")]

    page_list = (*title_pages, *rights_pages, *pages_in(before), *nav_pages, *pages_in(after))
    landmarks = _landmarks(start)
    for chapter in chapters:  # the bibliography: a section of its own, or `::: {#refs}`
        if chapter.role.name == "bibliography":
            landmarks.append(Landmark("bibliography", chapter.file_name, chapter.title))
        elif 'id="refs"' in chapter.body:
            landmarks.append(Landmark("bibliography", f"{chapter.file_name}#refs",
                                      chapter.title))
    if index_document:
        landmarks.append(Landmark("index", INDEX_FILE, contents[-1].title))
    nav = Markup(nav_top) + Markup(render("epub/nav.xhtml", contents=contents,
                                          landmarks=landmarks, pages=page_list))
    package.spine = [
        document("cover", "cover.xhtml", "Cover",
                 Markup(render("epub/cover.xhtml", cover=cover)), "frontmatter"),
        document("titlepage", "titlepage.xhtml", meta.title, Markup(title_markup),
                 "frontmatter"),
        document("copyright", "copyright.xhtml", "Copyright", Markup(rights_markup),
                 "frontmatter"),
        *(chapter_document(c) for c in before),
        document("nav", "nav.xhtml", "Contents", nav, "frontmatter", ["nav"]),
        *(chapter_document(c) for c in after[:body_end]),
        *notes_document,
        *(chapter_document(c) for c in after[body_end:]),
        *index_document,
    ]
    package.toc = [epub.Link(entry.href, entry.title, entry.href.removesuffix(".xhtml"))
                   for entry in contents]
    package.guide = [
        {"type": "cover", "href": "cover.xhtml", "title": "Cover"},
        {"type": "title-page", "href": "titlepage.xhtml", "title": "Title Page"},
        {"type": "copyright-page", "href": "copyright.xhtml", "title": "Copyright"},
        {"type": "toc", "href": "nav.xhtml", "title": "Contents"},
        {"type": "text", "href": start.file_name, "title": "Start of Content"},
    ]
    _add_fonts(package, book, styles, sheets, [*package.spine])
    package.add_item(epub.EpubNcx())
    return package, page_list


def _add_metadata(package: epub.EpubBook, book: Book, chapters: Sequence[RenderedChapter],
                  page_source: str) -> None:
    """Dublin Core from book.yaml, the page source (when there are print page numbers),
    and the accessibility metadata."""
    meta = book.metadata
    package.set_identifier(meta.identifier)
    package.set_title(meta.title)
    package.set_language(meta.lang)
    for index, author in enumerate(meta.authors):
        package.add_author(author, uid=f"creator{index}")
    for name, value in (("publisher", meta.publisher), ("rights", meta.rights),
                        ("description", meta.description), ("date", meta.date)):
        if value:
            package.add_metadata("DC", name, value)
    for subject in meta.subjects:
        package.add_metadata("DC", "subject", subject)
    if page_source:
        package.add_metadata(None, "meta", page_source, {"property": "pageBreakSource"})
    for item in accessibility_metadata(book, chapters, cover=True, page_list=bool(page_source)):
        attributes = {"property": item.property}
        if item.id:
            attributes["id"] = item.id
        if item.refines:
            attributes["refines"] = item.refines
        package.add_metadata(None, "meta", item.value, attributes)


def _add_stylesheets(package: epub.EpubBook, book: Book, styles: Path
                     ) -> list[tuple[Path, epub.EpubItem]]:
    """base, epub, the theme and the book's own style.css, each with the item that carries
    it (its fonts come once the documents are known: see `_add_fonts`)."""
    sources = [styles / name for name in STYLESHEETS]
    theme = theme_css(styles, book.theme)
    if theme.is_file():
        sources.append(theme)
    if book.style_override is not None:  # the book's own style.css, last so that it wins
        sources.append(book.style_override)
    sheets = []
    for path in sources:
        content = read_inside(path, [styles, book.root])
        if path == book.style_override:  # the author's notes to themselves stay home
            content = without_comments(content.decode("utf-8")).encode("utf-8")
        item = epub.EpubItem(uid=f"css-{path.stem}", file_name=f"css/{path.name}",
                             media_type="text/css", content=content)
        package.add_item(item)
        sheets.append((path, item))
    return sheets


def _add_fonts(package: epub.EpubBook, book: Book, styles: Path,
               sheets: Sequence[tuple[Path, epub.EpubItem]],
               documents: Sequence[epub.EpubItem]) -> None:
    """The faces some text of the book is set in, each once, placed where its sheet (in
    `css/`) finds it; the `@font-face` rules of the others leave the sheets."""
    resolver = resolver_for([path for path, _ in sheets], [book.root, styles], media="screen")
    used: set[Path] = set()
    for item in documents:
        root = etree.fromstring(item.content, etree.XMLParser(resolve_entities=False))
        used |= {face.path for face in resolver.used_faces(root)}
    added: set[str] = set()
    for sheet, item in sheets:
        def keep_if_used(rule: re.Match[str], sheet: Path = sheet) -> str:
            url = _FONT_URL.search(rule.group(0))
            path = (sheet.parent / url.group(1)).resolve() if url else None
            if path is None or path not in used:
                return ""
            href = posixpath.normpath(posixpath.join("css", url.group(1)))
            if path.suffix.lower() not in FONT_TYPES or href.startswith("../"):
                raise ToolError(f"{sheet}: the font {url.group(1)} must be an OTF, TTF or "
                                "WOFF file beside the sheet or below its folder's parent")
            if href not in added:
                added.add(href)
                package.add_item(epub.EpubItem(
                    uid=f"font-{len(added)}", file_name=href,
                    media_type=FONT_TYPES[path.suffix.lower()],
                    content=read_inside(path, [styles, book.root])))
            return rule.group(0)

        text = item.content.decode("utf-8")
        item.content = _FONT_FACE_RULE.sub(keep_if_used, text).encode("utf-8")


_FONT_FACE_RULE = re.compile(r"@font-face\s*{[^}]*}\s*", re.IGNORECASE)
_FONT_URL = re.compile(r"""url\(\s*["']?([^"')]+)["']?\s*\)""")


def _add_images(package: epub.EpubBook, book: Book, chapters: Sequence[RenderedChapter],
                styles: Path) -> Cover:
    """The cover image and every image the chapters show; the cover."""
    cover = _cover(book, styles)
    image = epub.EpubItem(uid="cover-image", file_name=cover.href,
                          media_type=mimetypes.guess_type(cover.href)[0] or "image/jpeg",
                          content=cover.data)
    image.properties = ["cover-image"]
    package.add_item(image)
    # EPUB 2 readers and Kindle's converter find the cover by this meta.
    package.add_metadata(None, "meta", "", {"name": "cover", "content": "cover-image"})
    images = sorted({src for chapter in chapters for src in chapter.images} - {cover.href})
    for index, src in enumerate(images, 1):
        media_type = mimetypes.guess_type(src)[0] or "application/octet-stream"
        package.add_item(epub.EpubImage(uid=f"image-{index}", file_name=src,
                                        media_type=media_type,
                                        content=read_inside(book.root / src, [book.root])))
    return cover


def _landmarks(start: RenderedChapter) -> list[Landmark]:
    return [
        Landmark("cover", "cover.xhtml", "Cover"),
        Landmark("titlepage", "titlepage.xhtml", "Title Page"),
        Landmark("copyright-page", "copyright.xhtml", "Copyright"),
        Landmark("toc", "nav.xhtml#toc", "Contents"),
        Landmark("bodymatter", start.file_name, "Start of Content"),
    ]


@dataclass(frozen=True)
class Cover:
    """The cover image as it goes into the EPUB, and what it shows."""

    href: str
    data: bytes
    alt: str


def _cover(book: Book, styles: Path) -> Cover:
    """book.yaml's `cover-image` with its `cover-alt`, else a typographic cover."""
    meta = book.metadata
    text = CoverText(meta.title, meta.subtitle, authors_line(meta))
    if meta.cover_image:
        alt = meta.cover_alt or f"The cover of {describe_title(text)}."
        data = read_inside(book.root / meta.cover_image, [book.root])
        return Cover(meta.cover_image, data, alt)
    face = book_face(styles, book.theme)
    if face is None:
        raise ToolError(f"theme {book.theme!r} declares no text face to set the cover in")
    return Cover("images/cover.jpg", typographic_cover(text, face), describe(text))


FONT_TYPES = {".otf": "font/otf", ".ttf": "font/ttf", ".woff": "font/woff",
              ".woff2": "font/woff2"}


# Apple Books shows embedded fonts only when the book asks it to.
APPLE_DISPLAY_OPTIONS = b"""<?xml version="1.0" encoding="UTF-8"?>
<display_options>
  <platform name="*">
    <option name="specified-fonts">true</option>
  </platform>
</display_options>
"""
APPLE_DISPLAY_OPTIONS_PATH = "META-INF/com.apple.ibooks.display-options.xml"


def _finish_zip(data: bytes, lang: str, modified: datetime.datetime) -> bytes:
    """Re-zip ebooklib's output with `xml:lang` on the package and fixed entry times."""
    stamp = max(modified.astimezone(datetime.UTC), datetime.datetime(1980, 1, 1,
                                                                     tzinfo=datetime.UTC))
    date_time = stamp.timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == OPF_PATH:
                content = _add_package_lang(content, lang)
            elif info.filename.endswith(".ncx"):
                content = _set_ncx_depth(content)
            entry = zipfile.ZipInfo(info.filename, date_time=date_time)
            entry.external_attr = 0o644 << 16
            # The mimetype entry must come first and stay uncompressed (OCF).
            entry.compress_type = (zipfile.ZIP_STORED if info.filename == "mimetype"
                                   else zipfile.ZIP_DEFLATED)
            target.writestr(entry, content, compresslevel=9)
            if info.filename == "META-INF/container.xml":
                extra = zipfile.ZipInfo(APPLE_DISPLAY_OPTIONS_PATH, date_time=date_time)
                extra.external_attr = 0o644 << 16
                extra.compress_type = zipfile.ZIP_DEFLATED
                target.writestr(extra, APPLE_DISPLAY_OPTIONS, compresslevel=9)
    return out.getvalue()


def _set_ncx_depth(ncx: bytes) -> bytes:
    """ebooklib writes `dtb:depth` 0; readers expect the depth of the navMap (1 here)."""
    ns = {"n": "http://www.daisy.org/z3986/2005/ncx/"}
    root = etree.fromstring(ncx)
    depth = max((len(p.xpath("ancestor::n:navPoint", namespaces=ns)) + 1
                 for p in root.iterfind(".//n:navPoint", ns)), default=1)
    for meta in root.iterfind("n:head/n:meta[@name='dtb:depth']", ns):
        meta.set("content", str(depth))
    return etree.tostring(root, encoding="utf-8", xml_declaration=True, pretty_print=True)


def _add_package_lang(opf: bytes, lang: str) -> bytes:
    root = etree.fromstring(opf)
    root.set("{http://www.w3.org/XML/1998/namespace}lang", lang)
    return etree.tostring(root, encoding="utf-8", xml_declaration=True, pretty_print=True)
