"""Stage 2: Markdown → one well-formed XHTML fragment per chapter, ids unique in the book.

Python-Markdown writes HTML, not XHTML: raw HTML passes through as written and named
entities such as `&nbsp;` are not XML. Each chapter's output is therefore re-read as XML
(named entities turned into characters first) so that both outputs get well-formed markup,
and a chapter whose raw HTML is broken is reported instead of silently mangled.
"""

from __future__ import annotations

import logging
import multiprocessing
import re
from collections.abc import Sequence
from functools import cache

import markdown
from lxml import etree
from markupsafe import escape

from publish.diagnostics import Diagnostic
from publish.limits import MAX_NESTING
from publish.manuscript.citations import REFERENCES, cite, fill
from publish.manuscript.index import page_refs, take_marks
from publish.manuscript.links import ParsedChapter, resolve_links
from publish.manuscript.notes import restructure_notes
from publish.manuscript.pandoc import PandocExtension, attributes
from publish.manuscript.resources import check_resources, strip_comments
from publish.manuscript.source import scan
from publish.manuscript.tex import TexExtension
from publish.model import (
    ROLES,
    Book,
    Chapter,
    ChapterSource,
    Heading,
    RenderedChapter,
    SourceLine,
    chapter_ids,
)
from publish.rules import finding
from publish.workers import default_workers, worker_signals
from publish.xhtml import PHRASING, parse_fragment, serialize_children

EXTENSIONS = [
    "footnotes",
    "smarty",
    "tables",
    "attr_list",
    "def_list",
    # Pandoc's lists: a., A), iv., #., start numbers, list after list (fancylists), [ ] and
    # [x] (tasklist), `#` headings only with a space after (saneheaders: `#.` is a list).
    "pymdownx.fancylists",
    "pymdownx.tasklist",
    "pymdownx.saneheaders",
    "markdown_grid_tables",  # Pandoc's grid tables (simple and multiline ones: pandoc.py)
    "md_in_html",
    "toc",
    "fenced_code",
    # Pandoc's Markdown: backslash line breaks (and `\ ` as a no-break space), ^sup^,
    # ~sub~, ~~strike~~, [bracketed spans]{.c}; fenced divs, line blocks, \newpage, {-}.
    "pymdownx.escapeall",
    "pymdownx.caret",
    "pymdownx.tilde",
    "pymdownx.bracketspan",
    PandocExtension(),
    TexExtension(),  # $math$ as MathML, raw TeX left out (publish.manuscript.tex)
]

# smarty's defaults are named entities, which XML rejects; write the characters instead.
SMARTY_UNICODE = {
    "left-single-quote": "\u2018",
    "right-single-quote": "\u2019",
    "left-double-quote": "\u201c",
    "right-double-quote": "\u201d",
    "left-angle-quote": "\u00ab",
    "right-angle-quote": "\u00bb",
    "ndash": "\u2013",
    "mdash": "\u2014",
    "ellipsis": "\u2026",
}

EXTENSION_CONFIG = {
    "smarty": {"substitutions": SMARTY_UNICODE},
    # `↩` (the default) has no glyph on Kobo nor in most book faces.
    "footnotes": {"SEPARATOR": "-", "BACKLINK_TEXT": "\u2191",
                  "BACKLINK_TITLE": "Back to the text of note %d",
                  "USE_DEFINITION_ORDER": False},  # numbered as called, as Pandoc does
    "toc": {"permalink": False},
    "pymdownx.escapeall": {"hardbreak": True, "nbsp": True},
    "pymdownx.caret": {"insert": False},  # `^^ins^^` is not Pandoc's
    "pymdownx.tilde": {"subscript": True, "delete": True},
    "pymdownx.tasklist": {"clickable_checkbox": False},
}

RESERVED_IDS = frozenset({"titlepage", "copyright", "toc", "landmarks", "page-list", "index"})
"""Ids the generated front matter uses; headings must not take them."""

_FOOTNOTE_ID = re.compile(r"^fn(?:ref\d*)?-")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
def new_markdown() -> markdown.Markdown:
    """A Python-Markdown converter with the extensions a book needs."""
    # A grid table it cannot read is reported by check T020, at its line: not logged.
    logging.getLogger("markdown-grid-tables").disabled = True
    return markdown.Markdown(
        extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIG, output_format="xhtml"
    )


PARALLEL_FROM = 200_000
"""Characters of Markdown from which chapters are converted on every core (a novel: yes;
a short book: the worker start-up would cost more than it saves)."""


def convert_all(texts: Sequence[str]) -> list[str | None]:
    """Python-Markdown's HTML for each text, in order; on several cores for a long book."""
    cores = default_workers()
    if cores < 2 or len(texts) < 2 or sum(map(len, texts)) < PARALLEL_FROM:
        return [_convert(text) for text in texts]
    context = multiprocessing.get_context("fork")
    with context.Pool(min(cores, len(texts)), initializer=worker_signals) as pool:
        return pool.map(_convert, texts, chunksize=max(1, len(texts) // (4 * cores)))


@cache
def _converter() -> markdown.Markdown:
    # One converter per process, reset between chapters (building one costs more than
    # converting a short chapter).
    return new_markdown()


def _convert(text: str) -> str | None:
    """The HTML, or None when the text nests deeper than Python-Markdown can recurse (the
    line scan in render_book catches the usual ways first)."""
    converter = _converter()
    converter.reset()
    try:
        return converter.convert(text)
    except RecursionError:
        return None
    except AttributeError:
        # Python-Markdown's footnotes fail on a note defined empty where it cannot stand
        # (`[^1]: [^1]:`, `> [^1]: `): such definitions are then read as the text they are;
        # failing that, every note mark is.
        for escaped in (_NOTE_DEFINITION.sub(r"\1\\[^", text), text.replace("[^", "\\[^")):
            converter.reset()
            try:
                return converter.convert(escaped)
            except AttributeError:
                continue
        return None


_NOTE_DEFINITION = re.compile(r"^((?:[ \t]*>)*\s*)\[\^(?=[^\]]+\]:)", re.MULTILINE)


_START_TAG = re.compile(r"<([A-Za-z][\w-]*)((?:\s+[^\s=<>/\"']+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'"
                        r"|[^\s\"'<>=`]+))?)*)\s*(/?)>")
_ATTRIBUTE = re.compile(r"([^\s=<>/\"']+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'<>=`]+))?")
_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
_BAD_CHARACTER = re.compile(r"&#(?:x0*(?:[0-8bcefBCEF]|1[0-9a-fA-F])|0*(?:[0-8]|1[1-24-9]|2[0-9]|"
                            r"3[01]));")
"""A character reference to a control character XML forbids (Pandoc drops it too)."""


def xml_ready(html_text: str) -> str:
    """HTML that is valid but not XML, made XML: a void element (`<br>`, `<hr>`) closed, a
    boolean attribute (`disabled`, `open`) given its value, an unquoted value quoted, a
    reference to a control character dropped. Broken markup stays broken (S004)."""
    def tag(match: re.Match[str]) -> str:
        name, attrs, closed = match.groups()
        written = []
        for attr, value in _ATTRIBUTE.findall(attrs):
            if not value:
                value = f'"{attr}"'
            elif value[0] not in "\"'":
                value = f'"{value}"'
            written.append(f" {attr}={value.replace('<', '&lt;')}")
        end = "/" if closed or name.lower() in _VOID else ""
        return f"<{name}{''.join(written)}{end}>"

    return _START_TAG.sub(tag, _BAD_CHARACTER.sub("", html_text))


def render_book(book: Book) -> tuple[list[RenderedChapter], list[Diagnostic]]:
    """Convert every chapter of `book`; return what rendered and what could not.

    Two passes: every chapter is parsed first, so that links between chapters can then be
    resolved against the ids each one really has.
    """
    diagnostics: list[Diagnostic] = []
    too_deep = {}
    for chapter in book.chapters:
        if (deep := nesting_in_source(chapter)) is not None:
            too_deep[chapter.path] = deep
    diagnostics += too_deep.values()
    cited = cite(book, [c.text for c in book.chapters])
    diagnostics += cited.diagnostics
    converted = convert_all(["" if c.path in too_deep else text
                             for c, text in zip(book.chapters, cited.texts, strict=True)])
    ids = chapter_ids(len(book.chapters))
    used: set[str] = set(RESERVED_IDS) | set(ids)
    parsed: list[ParsedChapter] = []
    chapters = zip(book.chapters, ids, converted, strict=True)
    for number, (chapter, chapter_id, html_text) in enumerate(chapters, 1):
        if chapter.path in too_deep:
            continue
        if html_text is None:
            diagnostics.append(finding("S009", chapter.path, chapter.first_line, 1,
                                       what="Markdown", depth="too many",
                                       limit=MAX_NESTING))
            continue
        source = scan(chapter.text, chapter.first_line)
        html_text = xml_ready(html_text)
        try:
            root = parse_fragment(html_text)
        except etree.XMLSyntaxError as err:
            line, col, problem = locate_html_error(source, chapter.first_line, err)
            diagnostics.append(finding("S004", chapter.path, line, col, problem=problem))
            # Read as a browser would (tags closed where HTML closes them), so that a book
            # whose `checks:` lets S004 through has this chapter too; by default S004 is an
            # error and nothing is built.
            root = _as_a_browser_reads(html_text)
            if root is None:
                continue
        if (deep := nesting_in_tree(root, chapter, source)) is not None:
            diagnostics.append(deep)
            continue
        strip_comments(root)
        if book.bibliography:
            fill(root, cited.rendered)
        _pandoc_span_tags(root)
        _line_block_paragraphs(root)
        _table_captions(root)
        _attributes(root)
        renames = _make_ids_unique(root, chapter_id, used)
        marks = take_marks(root, chapter_id, source, used)
        _list_paragraphs(root)
        _quotes_at_edges(root)
        restructure_notes(root)
        _keep_last_words_together(root)
        _plain_cells(root)
        _headerless_tables(root)
        _labelled_checkboxes(root)
        images, image_problems = check_resources(root, chapter, source, book.root)
        figures = _make_figures(root)
        diagnostics += image_problems
        parsed.append(ParsedChapter(chapter, number, chapter_id, root, source, renames,
                                    tuple(images), tuple(figures), book.root, marks))
    diagnostics += resolve_links(parsed)
    diagnostics = list(dict.fromkeys(diagnostics))  # one finding per place, however often met
    rendered = []
    for item in parsed:
        headings = _locate_headings(item.root, item.chapter, item.source)
        title = next((h.text for h in headings if h.level == 1), item.chapter.role.label)
        rendered.append(RenderedChapter(
            chapter=item.chapter, number=item.number, id=item.id, title=title,
            body=serialize_children(item.root), headings=tuple(headings),
            source=item.source, images=item.images, figures=item.figures,
            index_marks=item.index_marks, page_refs=page_refs(item.root)))
    if cited.rendered.bibliography and not any(item.root.xpath(".//div[@id='refs']")
                                               for item in parsed):
        rendered.append(_bibliography(book, cited.rendered.bibliography, len(rendered) + 1,
                                      used))
    return rendered, diagnostics


def _bibliography(book: Book, entries: Sequence[str], number: int, used: set[str]
                  ) -> RenderedChapter:
    """The bibliography as a back-matter section of its own, at the end of the book (where
    the author put no `::: {#refs}`), titled by `reference-section-title:` or in the book's
    language."""
    lang = (book.metadata.lang or "en").split("-")[0].lower()
    title = book.reference_section_title or REFERENCES.get(lang, REFERENCES["en"])
    text = f"# {title}\n"
    root = parse_fragment(f'<h1 id="{_unique("references", used)}">{escape(title)}</h1>'
                          f'<div id="refs" class="references" role="list">{"".join(entries)}'
                          "</div>")
    for element in root.iter():
        if element.get("id") and element.get("id") != "refs" and element.tag != "h1":
            element.set("id", _unique(element.get("id"), used))
            used.add(element.get("id"))
    chapter = Chapter(path=book.config_path, text=text, first_line=1,
                      role=ROLES["bibliography"])
    heading = root[0]
    return RenderedChapter(
        chapter=chapter, number=number, id=_unique("bibliography", used), title=title,
        body=serialize_children(root),
        headings=(Heading(level=1, text=title, id=heading.get("id"), line=1, col=1),),
        source=scan(text, 1))


_QUOTE_MARKS = re.compile(r"^(?:[ \t]*>)+")
_INDENT = re.compile(r"^[ \t]*(?=[-*+]|\d+[.)])")


def nesting_in_source(chapter: Chapter) -> Diagnostic | None:
    """S009 for quotes or list items nested deeper than MAX_NESTING, found in the Markdown
    itself: Python-Markdown recurses once per level and would exhaust the stack first."""
    for offset, line in enumerate(chapter.text.split("\n")):
        quotes = _QUOTE_MARKS.match(line)
        depth = quotes.group().count(">") if quotes else 0
        what = "block quotes"
        if depth <= MAX_NESTING:
            indent = _INDENT.match(line)
            depth = len(indent.group().expandtabs(4)) // 4 + 1 if indent else 0
            what = "list items"
        if depth > MAX_NESTING:
            return finding("S009", chapter.path, chapter.first_line + offset, 1, what=what,
                           depth=depth, limit=MAX_NESTING)
    return None


def nesting_in_tree(root: etree._Element, chapter: Chapter, source: ChapterSource
                    ) -> Diagnostic | None:
    """S009 for elements nested deeper than MAX_NESTING (raw HTML, say), at the line of the
    first element that crosses the limit."""
    for element in root.iter(etree.Element):
        depth = sum(1 for _ in element.iterancestors())
        if depth > MAX_NESTING:
            line, col = _nth_tag(source, element, root, chapter.first_line)
            return finding("S009", chapter.path, line, col, what="elements", depth=depth,
                           limit=MAX_NESTING)
    return None


def _nth_tag(source: ChapterSource, element: etree._Element, root: etree._Element,
             default: int) -> tuple[int, int]:
    """Where `element` is written, when it is raw HTML: the source's nth `<tag` for the
    tree's nth element of that tag (the chapter's first line when the count disagrees)."""
    index = next(i for i, e in enumerate(root.iterdescendants(element.tag)) if e is element)
    opening = re.compile(rf"<{re.escape(str(element.tag))}(?=[\s/>])")
    seen = 0
    for line in source.lines:
        if line.kind == "code":
            continue
        for match in opening.finditer(line.raw):
            if seen == index:
                return line.number, match.start() + 1
            seen += 1
    return default, 0


def locate_html_error(source: ChapterSource, first_line: int, err: etree.XMLSyntaxError
                      ) -> tuple[int, int, str]:
    """Find the source block whose raw HTML is broken: parse each block holding a tag on
    its own and report the first that fails, at the parser's line and column in it."""
    block: list[SourceLine] = []
    blocks = []
    for line in source.lines:
        if line.kind in ("blank", "code"):
            if block:
                blocks.append(block)
            block = []
        else:
            block.append(line)
    if block:
        blocks.append(block)
    for lines in blocks:
        text = "\n".join(line.raw for line in lines)
        if "<" not in text:
            continue
        try:
            parse_fragment(_markdown_as_xml(text))
        except etree.XMLSyntaxError as block_err:
            row, col = block_err.position
            start = lines[0].number - 1
            # libxml2 counts lines from the block's start; the author counts from the file's.
            message = re.sub(r"line (\d+)", lambda m, s=start: f"line {s + int(m.group(1))}",
                             re.sub(r", line \d+, column \d+$", "", block_err.msg))
            return start + row, max(col, 1), message
    return first_line, 0, err.msg


def _markdown_as_xml(text: str) -> str:
    """Markdown source with what is legal Markdown but not XML made harmless, keeping the
    line and column of every tag: code spans, autolinks, bare `&` and `<`."""
    def blank(match: re.Match[str]) -> str:
        return " " * len(match.group(0))

    text = re.sub(r"(`+)(?:(?!\1).)+?\1", blank, text)
    text = re.sub(r"<(?:https?|mailto):[^>\s]*>", blank, text)
    text = re.sub(r"&(?![A-Za-z][A-Za-z0-9]*;|#[0-9]+;|#x[0-9A-Fa-f]+;)", "&amp;", text)
    return re.sub(r"<(?![A-Za-z/!])", "&lt;", text)


def _as_a_browser_reads(html_text: str) -> etree._Element | None:
    """Markup that is not well-formed, parsed by an HTML parser's rules and written again as
    XML (None if even that fails)."""
    from lxml import html as lxml_html

    try:
        holder = lxml_html.fragment_fromstring(html_text, create_parent="div")
        written = "".join([holder.text or "", *(etree.tostring(child, encoding="unicode",
                                                                method="xml")
                                                for child in holder)])
        return parse_fragment(written)
    except (etree.XMLSyntaxError, etree.ParserError, ValueError):
        return None


def _make_ids_unique(root: etree._Element, chapter_id: str, used: set[str]) -> dict[str, str]:
    """Give footnotes the chapter's prefix, rename any other id already used in the book,
    and follow the renames in the chapter's own `#fragment` links. Returns the renames."""
    renames: dict[str, str] = {}
    for element in root.iter():
        old = element.get("id")
        if old is None:
            continue
        new = f"{chapter_id}-{old}" if _FOOTNOTE_ID.match(old) else old
        new = _unique(new, used)
        used.add(new)
        if new != old:
            renames[old] = new
            element.set("id", new)
    for link in root.iter("a"):
        href = link.get("href", "")
        if href.startswith("#") and href[1:] in renames:
            link.set("href", "#" + renames[href[1:]])
    return renames


def _unique(candidate: str, used: set[str]) -> str:
    if candidate not in used:
        return candidate
    n = 2
    while f"{candidate}-{n}" in used:
        n += 1
    return f"{candidate}-{n}"


def _make_figures(root: etree._Element) -> list[str]:
    """An image alone in its paragraph is a figure, its text (`![Caption](src)`) the caption,
    as Pandoc 3 makes it; a description for those who cannot see it may be given apart
    (`{alt="…"}`, kept by the preprocessor as `data-description`), else the caption is the
    image's alt text too and screen readers are spared reading it twice. Returns the
    figures' image paths."""
    figures = []
    for paragraph in root.xpath(".//p[count(*) = 1 and img]"):
        image = paragraph[0]
        if (paragraph.text or "").strip() or (image.tail or "").strip():
            continue
        paragraph.tag = "figure"
        paragraph.text = image.tail = None
        caption = " ".join((image.get("alt") or "").split())
        description = image.attrib.pop("data-description", None)
        if description is not None:
            image.set("alt", description)
        if caption:
            figcaption = etree.SubElement(paragraph, "figcaption")
            figcaption.text = caption
            if description is None:
                figcaption.set("aria-hidden", "true")
        figures.append(image.get("src", ""))
    for image in root.xpath(".//img[@data-description]"):  # an image inside the text
        image.set("alt", image.attrib.pop("data-description"))
    return figures


_SPAN_TAGS = {"underline": "u", "mark": "mark"}
"""Bracketed-span classes Pandoc writes as elements of their own."""


def _line_block_paragraphs(root: etree._Element) -> None:
    """A line block read as a paragraph (one in a quotation) is a div, as Pandoc's are."""
    for paragraph in root.xpath(".//p[@class='line-block']"):
        paragraph.tag = "div"


def _pandoc_span_tags(root: etree._Element) -> None:
    """`[text]{.underline}` is `<u>`, `[text]{.mark}` is `<mark>`, as Pandoc writes them."""
    for span in root.iter("span"):
        classes = (span.get("class") or "").split()
        tag = next((_SPAN_TAGS[c] for c in classes if c in _SPAN_TAGS), None)
        if tag:
            span.tag = tag
            rest = [c for c in classes if c not in _SPAN_TAGS]
            if rest:
                span.set("class", " ".join(rest))
            else:
                del span.attrib["class"]


_HTML_ATTRIBUTES = frozenset({
    "id", "class", "style", "lang", "title", "dir", "role", "hidden", "tabindex", "href",
    "src", "alt", "width", "height", "colspan", "rowspan", "start", "type", "reversed",
    "value", "datetime", "cite", "headers", "scope", "abbr", "checked", "disabled", "open",
    "name", "rel", "hreflang", "span", "translate", "accesskey", "xmlns", "display",
    "alttext", "encoding", "mathvariant", "stretchy", "linebreak", "srcset", "sizes"})
"""Attributes HTML (and MathML) know; any other an author sets (`{key=value}`) is written
`data-key`, as Pandoc's HTML writer does — EPUBCheck refuses the rest."""
_LENGTH = re.compile(r"^\d+(?:\.\d+)?(?:%|px|em|rem|pt|cm|mm|in|ex|ch|vw|vh)$")


def _attributes(root: etree._Element) -> None:
    """Authors' attributes as HTML takes them: unknown ones as `data-` attributes; an
    image's width or height with a unit (Pandoc's `{width=50%}`) as its style."""
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag.startswith("{"):
            continue  # MathML and comments keep theirs
        for name in list(element.attrib):
            value = element.get(name)
            if name in ("width", "height") and _LENGTH.match(value or "") \
                    and not value.isdigit():
                del element.attrib[name]
                style = element.get("style", "").rstrip("; ")
                element.set("style", f"{style}; {name}: {value}".lstrip("; "))
            elif not (name in _HTML_ATTRIBUTES or name.startswith(("data-", "aria-", "{"))
                      or name.lower().startswith("on")):  # a script's: L009 refuses it
                del element.attrib[name]
                element.set(f"data-{name}", value)
            elif name == "href" and re.search(r"\s", value):
                element.set(name, re.sub(r"\s+", "%20", value.strip()))  # as Pandoc writes it


_CAPTION = re.compile(r"^\s*(?:Table)?:\s+")


def _table_captions(root: etree._Element) -> None:
    """Pandoc's table captions: a paragraph beginning `Table:` (or just `:`) right before or
    after a table becomes its `caption`."""
    for table in root.iter("table"):
        for paragraph in (table.getnext(), table.getprevious()):
            if paragraph is None or paragraph.tag != "p" or table.find("caption") is not None:
                continue
            match = _CAPTION.match(paragraph.text or "")
            if match is None:
                continue
            caption = etree.Element("caption")
            caption.text = paragraph.text[match.end():]
            for child in paragraph:
                caption.append(child)
            caption.tail = None
            tail = paragraph.tail
            paragraph.getparent().remove(paragraph)
            if tail and tail.strip():
                table.tail = (table.tail or "") + tail
            table.insert(0, caption)
            _caption_attributes(caption, table)


_TRAILING_ATTRIBUTES = re.compile(r"\s*(\{[^{}]*\})\s*$")


def _caption_attributes(caption: etree._Element, table: etree._Element) -> None:
    """`: A caption {#id .class key=value}`: Pandoc gives the attributes to the table."""
    last = caption[-1] if len(caption) else None
    text = (last.tail if last is not None else caption.text) or ""
    found = _TRAILING_ATTRIBUTES.search(text)
    if found is None:
        return
    kept = text[:found.start()]
    if last is not None:
        last.tail = kept
    else:
        caption.text = kept
    for name, value in attributes(found.group(1)).items():
        if name == "class" and table.get("class"):
            value = f"{table.get('class')} {value}"
        table.set(name, value)


def _plain_cells(root: etree._Element) -> None:
    """A table cell holding one paragraph holds its text (a grid table's cells come
    wrapped, where Pandoc writes them bare); `colspan`/`rowspan` of 1 say nothing."""
    for cell in root.xpath(".//td | .//th"):
        for name in ("colspan", "rowspan"):
            if cell.get(name) == "1":
                del cell.attrib[name]
        if len(cell) == 1 and cell[0].tag == "p" and not (cell.text or "").strip() \
                and not (cell[0].tail or "").strip():
            paragraph = cell[0]
            cell.text = paragraph.text
            cell.remove(paragraph)
            for child in list(paragraph):
                cell.append(child)


def _headerless_tables(root: etree._Element) -> None:
    """A table whose header row is empty has no header (as Pandoc reads it); any other empty
    header cell is a plain cell (a header with nothing in it says nothing to a screen
    reader: DAISY Ace's empty-table-header)."""
    for head in root.iter("thead"):
        if not "".join(head.itertext()).strip() and not len(head.xpath(".//img")):
            head.getparent().remove(head)
    for cell in root.iter("th"):
        if not "".join(cell.itertext()).strip() and not len(cell):
            cell.tag = "td"
    # A pipe table with no body gets a row of empty cells from Python-Markdown: not Pandoc's.
    for body in root.iter("tbody"):
        rows = body.findall("tr")
        if len(rows) == 1 and not "".join(rows[0].itertext()).strip() and not len(
                rows[0].xpath(".//*[not(self::td)]")):
            body.getparent().remove(body)


_TEXT_BLOCKS = ("p", "li", "dt", "dd", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6",
                "figcaption")
_NOT_PROSE = frozenset({"code", "kbd", "samp", "pre", "script", "style"})


def _quotes_at_edges(root: etree._Element) -> None:
    """Quotes smart punctuation turns the wrong way at a paragraph's edges, turned as
    Pandoc turns them: one ending a paragraph after a word or a dash closes (`client---"`:
    speech broken off), one opening it opens (`"'My dear` as a div's first line)."""
    for block in root.iter(*_TEXT_BLOCKS):
        holder = _edge_text(block, last=True)
        if holder is not None:
            element, attr = holder
            text = getattr(element, attr)
            body = text.rstrip()
            before = body[-2:-1] or ("".join(element.itertext())[-1:] if attr == "tail" else "")
            if body[-1:] in ("\u201c", "\u2018") and before and not before.isspace():
                closing = "\u201d" if body[-1] == "\u201c" else "\u2019"
                setattr(element, attr, body[:-1] + closing + text[len(body):])
        holder = _edge_text(block, last=False)
        if holder is not None:
            element, attr = holder
            text = getattr(element, attr)
            body = text.lstrip()
            if body.startswith("\u201d") and len(body) > 1 and not body[1].isspace():
                setattr(element, attr, text[:len(text) - len(body)] + "\u201c" + body[1:])


def _edge_text(element: etree._Element, last: bool) -> tuple[etree._Element, str] | None:
    """The element and attribute (`text` or `tail`) holding the first or last words of
    `element`, inline elements looked into; None if code or nothing stands there."""
    if element.tag in _NOT_PROSE or not isinstance(element.tag, str):
        return None
    children = [child for child in element if isinstance(child.tag, str)]
    if not last:
        if (element.text or "").strip() or not children:
            return (element, "text") if (element.text or "").strip() else None
        first = children[0]
        return _edge_text(first, last) if first.tag in PHRASING else None
    if not children:
        return (element, "text") if (element.text or "").strip() else None
    final = element[-1]
    if (final.tail or "").strip():
        return final, "tail"
    return _edge_text(final, last) if final.tag in PHRASING else None


def _list_paragraphs(root: etree._Element) -> None:
    """A list's items are lines or paragraphs as Pandoc makes them (its `compactify`):
    where a paragraph stands in an item but as the last item's last block, every item's
    lines become paragraphs; where that last block is the only one, it is a line. (Python-
    Markdown decides item by item, so one list came out half in paragraphs.)"""
    for items in root.xpath(".//ul | .//ol"):
        if any("footnote" in (a.get("class") or "") for a in items.iterancestors("div")):
            continue
        lis = [li for li in items if li.tag == "li"]
        paragraphs = [p for li in lis for p in li if p.tag == "p"]
        if not paragraphs:
            continue
        last = lis[-1]
        final = last[-1] if len(last) and not (last[-1].tail or "").strip() else None
        if paragraphs == [final]:
            _unwrap(final)
        elif paragraphs:
            for li in lis:
                _wrap_lines(li)


def _unwrap(paragraph: etree._Element) -> None:
    """`paragraph`'s content in its parent, in its place."""
    parent = paragraph.getparent()
    at = parent.index(paragraph)
    children, tail = list(paragraph), paragraph.tail or ""
    parent.remove(paragraph)
    for offset, child in enumerate(children):
        parent.insert(at + offset, child)
    ending = (paragraph.text or "") if not children else ""
    if children:
        children[-1].tail = (children[-1].tail or "") + tail
    _add_text(parent, at, (paragraph.text or "") if children else ending + tail)


def _add_text(parent: etree._Element, at: int, text: str) -> None:
    """`text` put before the child at index `at` of `parent`."""
    if at == 0:
        parent.text = (parent.text or "") + text
    else:
        parent[at - 1].tail = (parent[at - 1].tail or "") + text


def _wrap_lines(item: etree._Element) -> None:
    """Each run of text and inline elements directly in `item` put in a paragraph."""
    runs: list[list] = [[item.text, []]]  # [text, inline children] before each block
    blocks = []
    for child in list(item):
        if child.tag in PHRASING | {"input", "label"} or not isinstance(child.tag, str):
            runs[-1][1].append(child)
        else:
            blocks.append(child)
            runs.append([child.tail, []])
    item.text = None
    for position, (text, inline) in enumerate(runs):
        if not (text or "").strip() and not inline:
            continue
        paragraph = etree.Element("p")
        paragraph.text = (text or "").strip("\n") if not inline else (text or "").lstrip("\n")
        for child in inline:
            paragraph.append(child)
        if inline and inline[-1].tail:
            inline[-1].tail = inline[-1].tail.rstrip("\n")
        if position == 0:
            item.insert(0, paragraph)
        else:
            blocks[position - 1].tail = None
            blocks[position - 1].addnext(paragraph)
        paragraph.tail = "\n"


def _labelled_checkboxes(root: etree._Element) -> None:
    """A task item's checkbox and its text in one `label`, as Pandoc writes them (a form
    control without a label is an error to DAISY Ace)."""
    for box in root.xpath(".//li/input[@type='checkbox'] | .//li/p/input[@type='checkbox']"):
        parent = box.getparent()
        label = etree.Element("label")
        parent.replace(box, label)
        label.append(box)
        # The checkbox keeps its text (its tail); the inline elements after it follow it in.
        following = label.getnext()
        while following is not None and following.tag in PHRASING:
            label.append(following)
            following = label.getnext()


def _keep_last_words_together(root: etree._Element) -> None:
    """Tie a heading's last two words with a no-break space, so that no title ends on a
    line holding one short word ("Walk / Away")."""
    for heading in root.iter("h1", "h2", "h3"):
        last = heading[-1] if len(heading) else None
        text = (last.tail if last is not None else heading.text) or ""
        head, space, word = text.rstrip().rpartition(" ")
        if not space or len(word) > 12 or not head.strip():
            continue
        tied = f"{head}\u00a0{word}{text[len(text.rstrip()):]}"
        if last is not None:
            last.tail = tied
        else:
            heading.text = tied


def _locate_headings(root: etree._Element, chapter: Chapter, source: ChapterSource
                     ) -> list[Heading]:
    """The rendered headings, each paired with its line in the Markdown source."""
    found = [el for el in root.iter() if el.tag in _HEADINGS]
    scanned = source.headings
    headings = []
    for index, element in enumerate(found):
        if index < len(scanned):
            line, col = scanned[index].line, scanned[index].col
        else:  # the scan and Python-Markdown disagree: point at the chapter, not a wrong line
            line, col = chapter.first_line, 0
        text = " ".join("".join(element.itertext()).split())
        headings.append(Heading(int(element.tag[1]), text, element.get("id", ""), line, col))
    return headings

