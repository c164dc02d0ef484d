"""What a laid-out unit must keep before it ships, read from its own boxes (no text is taken
back out of a PDF): every word of its HTML printed, in order, once; no glyph drawn over
another; no line wider than its measure; no word space outside hard limits; nothing printed
outside the page.

The hard limits, which a well-set page is nowhere near (Pride and Prejudice's widest word
space set by total fit is under 0.4 em, its narrowest over 0.1 em):

- a word space as printed is at least `MIN_SPACE` em and at most `MAX_SPACE` em, and never
  less than nothing (then the words are drawn over each other);
- neighbouring pieces of a line overlap by no more than `SLACK` CSS pixels (a quarter point);
- a line's text ends no more than `SLACK` past its measure;
- nothing is drawn more than `SLACK` outside the page.

Each breach names the page of the unit, the chapter and the words; the print stage sets a
paragraph whose lines were chosen by total fit again with WeasyPrint's own breaking when it
breaks one, and fails the build for what still does (publish.pdf.edition).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from lxml import etree
from lxml import html as lxml_html
from weasyprint.document import Document

from publish.diagnostics import Diagnostic
from publish.faces import FaceResolver
from publish.letters import squeeze
from publish.model import Book, RenderedChapter
from publish.pdf import boxes
from publish.rules import finding
from publish.xhtml import drop, parse_fragment, without_math

MIN_SPACE = 0.05
MAX_SPACE = 1.5
SLACK = 0.35
"""CSS pixels (a quarter of a point)."""
GENERATED_PAGES = ("titlepage", "copyright", "toc")
_NOT_TEXT = frozenset({"script", "style", "head", "title", "svg", "math", "template"})
CONTEXT = 8
"""Words shown around a breach."""

OVERPRINT, TOO_WIDE, SPACING, OUTSIDE, LOST = "P011", "P012", "P013", "P014", "P010"


@dataclass(frozen=True)
class Breach:
    """One invariant a laid-out unit breaks."""

    code: str
    page: int
    """The unit's page, from 0."""
    section: str
    """The id of the chapter (or generated page) it is in; '' for none."""
    words: str
    """The words it concerns, as the manuscript has them."""
    paragraph: int | None = None
    """The paragraph's number when its lines were chosen by total fit."""
    amount: float = 0.0
    """How far past the limit, in points (a word space: its width in ems)."""


def line_breaches(document: Document, resolver: FaceResolver) -> list[Breach]:
    """Every line of `document` that is drawn over itself, wider than its measure, spaced
    outside the hard limits, or outside the page."""
    found: dict[tuple[int, str, int | None], Breach] = {}  # the first on a page of each
    sections = _Sections()
    for index, page in enumerate(boxes.pages(document)):
        right, bottom = page.margin_width(), page.margin_height()
        breach = sections.breach_maker(page, index)
        made: list[Breach] = []
        for box in boxes.descendants(page):
            drawn = (boxes.is_text(box) and box.text.strip()) or boxes.is_replaced(box)
            if drawn and (box.position_x < -SLACK or box.position_y < -SLACK
                          or box.position_x + box.width > right + SLACK
                          or box.position_y + box.height > bottom + SLACK):
                made.append(breach(OUTSIDE, box, 0.0))
        for line, measure in boxes.lines_in(page):
            made += _line(line, measure, resolver, breach)
        for one in made:  # every paragraph set by total fit that breaks one is named
            found.setdefault((index, one.code, one.paragraph), one)
    return list(found.values())


_Maker = Callable[[str, boxes.Box, float], "Breach"]


def _line(line: boxes.LineBox, measure: float, resolver: FaceResolver, breach: _Maker
          ) -> Iterator[Breach]:
    overflow = boxes.right_edge(line) - measure
    if overflow > SLACK:
        yield breach(TOO_WIDE, line, overflow * boxes.PX)
    pieces = [b for b in boxes.descendants(line)
              if boxes.is_text(b) and b.width > SLACK and "::" not in boxes.tag(b)
              and b.is_in_normal_flow()]
    for before, after in itertools.pairwise(pieces):
        if after.position_x < before.position_x + before.width - SLACK:
            yield breach(OVERPRINT, line, 0.0)
            return
    for piece in pieces:
        if " " not in piece.text and "\u00a0" not in piece.text:
            continue
        style = piece.style
        size = style["font_size"]
        letters = style["letter_spacing"] if style["letter_spacing"] != "normal" else 0
        natural = resolver.space(style["font_family"], style["font_weight"],
                                 style["font_style"] != "normal")
        space = (natural * size + style["word_spacing"] + letters
                 + getattr(piece, "justification_spacing", 0)) / size
        if space < 0:
            yield breach(OVERPRINT, line, space)
            return
        if not MIN_SPACE <= space <= MAX_SPACE:
            yield breach(SPACING, line, space)
            return


class _Sections:
    """Which chapter (or generated page) an element is in. WeasyPrint's element tree knows
    no parents, and a page laid out by itself has a tree of its own: a map of parents is
    made for each tree."""

    def __init__(self) -> None:
        self._parents: dict[int, dict[boxes.Element, boxes.Element]] = {}

    def of(self, root: boxes.Element, element: boxes.Element | None) -> str:
        if id(root) not in self._parents:
            self._parents[id(root)] = {child: parent for parent in root.iter()
                                       for child in parent}
        parents = self._parents[id(root)]
        while element is not None:
            classes = (element.get("class") or "").split()
            if (element.tag == "section" and "chapter" in classes) \
                    or element.get("id") in GENERATED_PAGES:
                return element.get("id") or ""
            element = parents.get(element)
        return ""

    def breach_maker(self, page: boxes.PageBox, index: int) -> _Maker:
        """What makes a breach of a box on this page (the page's `index` in its unit)."""
        root = boxes.root_element(page)

        def make(code: str, box: boxes.Box, amount: float) -> Breach:
            element = boxes.element(box)
            number = element.get("data-paragraph") if element is not None else None
            return Breach(code, index, self.of(root, element),
                          " ".join(boxes.text_of(box).split()),
                          int(number) if number is not None else None, amount)
        return make


def word_breaches(document: Document, html: str, resolver: FaceResolver) -> list[Breach]:
    """Where the words `document` prints differ from those of `html`, the markup it was laid
    out from (those the sheets display): a word lost, printed twice or out of order. Notes
    are compared apart, in their order: they are printed at the foot of the page that calls
    them. (A page set again by itself has a tree of its own, showing only its part: `html`
    is the whole.)"""
    pages = boxes.pages(document)
    root = lxml_html.document_fromstring(html)
    hidden = resolver.hidden(root)
    printed: dict[bool, list[tuple[int, str]]] = {False: [], True: []}
    notes: set[str] = set()
    for index, page in enumerate(pages):
        for text, in_note in _printed(page):
            printed[in_note].append((index, text.text))
        notes.update(boxes.element(note).get("id") or "" for area in page.children
                     if boxes.is_footnote_area(area) for note in boxes.children(area)
                     if boxes.element(note) is not None)
    notes.discard("")
    found = []
    for in_note in (False, True):
        expected = list(_expected(root, hidden, notes, in_note))
        breach = _first_difference(root, expected, printed[in_note])
        if breach is not None:
            found.append(breach)
    return found


def _printed(page: boxes.PageBox) -> Iterator[tuple[boxes.TextBox, bool]]:
    """Each text box a page prints of its document's own text (not generated content such
    as a note's number or a list's marker), and whether it is in the notes' area."""
    def walk(box: boxes.Box, in_note: bool) -> Iterator[tuple[boxes.TextBox, bool]]:
        tag = boxes.tag(box)
        if "::" in tag and not tag.endswith(("::first-line", "::first-letter")):
            return
        if boxes.is_text(box):
            yield box, in_note
            return
        for child in boxes.children(box):
            yield from walk(child, in_note or boxes.is_footnote_area(child))

    for child in page.children:
        if not boxes.is_margin(child):
            yield from walk(child, boxes.is_footnote_area(child))


def _expected(root: etree._Element, hidden: set[etree._Element], notes: set[str],
              in_note: bool) -> Iterator[tuple[str, etree._Element]]:
    """The document's text as (text, element) in order: the notes' when `in_note`, else the
    rest; nothing the sheets hide."""
    body = root.find("body")
    if body is None:
        return

    def walk(element: etree._Element, inside: bool) -> Iterator[tuple[str, etree._Element]]:
        if not isinstance(element.tag, str) or element.tag in _NOT_TEXT or element in hidden:
            return
        inside = inside or element.get("id") in notes
        if element.text and inside == in_note:
            yield element.text, element
        for child in element:
            yield from walk(child, inside)
            if child.tail and inside == in_note:
                yield child.tail, element

    yield from walk(body, False)


def _first_difference(root: etree._Element, expected: Sequence[tuple[str, etree._Element]],
                      printed: Sequence[tuple[int, str]]) -> Breach | None:
    """Where the printed letters part from the expected ones, as a breach naming the words
    expected there (None when they agree)."""
    want = "".join(squeeze(text) for text, _element in expected)
    got = "".join(squeeze(text) for _page, text in printed)
    if want == got:
        return None
    at = next((i for i, (a, b) in enumerate(zip(want, got, strict=False)) if a != b),
              min(len(want), len(got)))
    # The words there, and the page the printed letters had reached.
    words, element, seen = [], None, 0
    for text, owner in expected:
        if seen + len(squeeze(text)) > at or words:
            words += text.split()
            element = element if element is not None else owner
            if len(words) >= CONTEXT:
                break
        seen += len(squeeze(text))
    page, seen = 0, 0
    for index, text in printed:
        seen += len(squeeze(text))
        page = index
        if seen > at:
            break
    return Breach(LOST, page, _section(element),
                  " ".join(words[:CONTEXT]) or "(the end of the text)")


def _section(element: etree._Element | None) -> str:
    """The chapter (or generated page) an element of an lxml tree is in."""
    for ancestor in element.iterancestors() if element is not None else ():
        if (ancestor.tag == "section" and "chapter" in (ancestor.get("class") or "").split()) \
                or ancestor.get("id") in GENERATED_PAGES:
            return ancestor.get("id") or ""
    return ""


def opening_words(document: Document) -> tuple[str, ...]:
    """The first words each page of `document` prints (to name a page in a message)."""
    made = []
    for page in boxes.pages(document):
        words: list[str] = []
        for text, _in_note in _printed(page):
            words += text.text.split()
            if len(words) >= CONTEXT:
                break
        made.append(" ".join(words[:CONTEXT]))
    return tuple(made)


def _yaml_line(book: Book, words: Sequence[str]) -> int:
    """The first line of book.yaml holding some of `words` (0 for none)."""
    try:
        lines = book.config_path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return 0
    for count in range(min(len(words), 4), 0, -1):
        for start in range(len(words) - count + 1):
            needle = " ".join(words[start:start + count]).strip(".,;:“”")
            if len(needle) < 4:
                continue
            hit = next((n for n, text in enumerate(lines, 1) if needle in text), 0)
            if hit:
                return hit
    return 0


def diagnostics(found: Sequence[tuple[str, Breach]], book: Book,
                chapters: Sequence[RenderedChapter]) -> list[Diagnostic]:
    """Each breach (with the folio of its page) as a finding at the place in the manuscript
    its words come from: the chapter's Markdown, or book.yaml for the generated pages."""
    by_id = {chapter.id: chapter for chapter in chapters}
    made = []
    for folio, breach in found:
        chapter = by_id.get(breach.section)
        words = breach.words.split()
        path, line, col = book.config_path, 0, 0
        if chapter is not None:
            path = chapter.chapter.path
            for count in (4, 3, 2, 1):
                line, col = chapter.source.position_of(" ".join(words[:count]), 0)
                if line:
                    break
        else:  # a generated page: the book.yaml line its words come from
            line = _yaml_line(book, words)
        amount = f"{breach.amount:.2f}".rstrip("0").rstrip(".")
        made.append(finding(breach.code, path, line, col, page=folio,
                            words=" ".join(words) or "(a page with no text)", amount=amount,
                            low=MIN_SPACE, high=MAX_SPACE))
    return made


def markup_breaches(chapter: RenderedChapter, printed: str) -> list[Breach]:
    """Where the chapter's print markup (`printed`, from publish.pdf.html.print_body) lacks
    words its text has (as the EPUB has it): the running text compared in order, and each
    note the text calls whole (notes are moved to where they are called)."""
    source, made = without_math(parse_fragment(chapter.body)), parse_fragment(printed)
    notes = {}
    at_foot = not made.xpath(".//aside[@role='doc-footnote']")  # else kept where they were
    for aside in source.xpath(".//aside[@role='doc-footnote']") if at_foot else ():
        drop(aside)
        for number in aside.xpath(".//a[@role='doc-backlink']"):
            number.text = ""
        notes[aside.get("id")] = aside
    for call in source.xpath(".//a[@role='doc-noteref']") if at_foot else ():
        call.text = ""  # print sets the call's number itself (::footnote-call)
    for folio in made.xpath(".//span[@class='page-ref-folio']"):
        drop(folio)  # a page reference's folio: the print edition's, not the text's
    found = []
    for span in made.xpath(".//span[@class='footnote']"):
        aside = notes.get(span.get("id"))
        drop(span)
        if aside is not None and squeeze("".join(aside.itertext())) \
                != squeeze("".join(span.itertext())):
            found.append(Breach(LOST, 0, chapter.id, " ".join(
                "".join(aside.itertext()).split()[:CONTEXT])))
    want, got = (_squeezed_words(root) for root in (source, made))
    if "".join(w for w, _ in want) != "".join(w for w, _ in got):
        at = next((i for i, (a, b) in enumerate(zip(want, got, strict=False)) if a != b),
                  min(len(want), len(got)))
        found.append(Breach(LOST, 0, chapter.id, " ".join(
            word for _squeezed, word in want[at:at + CONTEXT]) or "(the end of the text)"))
    return found


def _squeezed_words(root: etree._Element) -> list[tuple[str, str]]:
    """Each word under `root`, squeezed and as written."""
    return [(squeeze(word), word) for word in " ".join(root.itertext()).split()
            if squeeze(word)]
