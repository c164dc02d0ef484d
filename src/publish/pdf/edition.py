"""The print and screen editions, typeset unit by unit: lay out every unit (cached, on every
core), lay the furniture over them, write the contents' page numbers in, join.

The passes: the page geometry depends on the page count (KDP's gutter bands), and the
contents on the folios; each pass lays out only the units whose key changed, so a second
pass costs the contents page and the furniture, and a band change (rare) the book.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from weasyprint.document import Document

from publish import bookindex
from publish.diagnostics import PublishError
from publish.faces import faces_digest, resolver_for, theme_fonts
from publish.frontmatter import body_start
from publish.model import Book, PageStart, RenderedChapter
from publish.pdf.cache import LayoutCache, code_version
from publish.pdf.furniture import FURNITURE_CSS, Slot, shells, slots_of
from publish.pdf.html import (
    STYLESHEETS,
    PrintOptions,
    Unit,
    book_html,
    book_units,
    chapter_body,
    document_html,
    stylesheets,
)
from publish.pdf.illustrations import svg_digest
from publish.pdf.invariants import LOST, Breach, diagnostics, markup_breaches
from publish.pdf.join import join
from publish.pdf.loops import PASSES, RESETS
from publish.pdf.pagestarts import PageKey, label, starts_from_keys
from publish.pdf.render import Layout, render
from publish.pdf.typeset import set_type
from publish.pdf.typeset.measure import Measure, measure_from, probe_html
from publish.pdf.typeset.report import Report, report
from publish.pdf.units import NO_MARGIN_BOXES, Rasters, UnitJob, UnitLayout, lay_out_all
from publish.printing import (
    PrintSettings,
    estimate_pages,
    geometry,
    kdp_gutter,
    page_css,
    text_width,
)
from publish.progress import Progress, silent
from publish.workers import default_workers

PLACEHOLDER = "000"
"""A chapter's page number in a first layout of the contents: three figures wide."""
NO_OUTLINE_CSS = "section.chapter, section.chapter h2 { bookmark-level: none !important; }\n"
FONT_SUFFIXES = (".otf", ".ttf")


@dataclass(frozen=True)
class Typeset:
    """A typeset edition: its PDF and what the other outputs learn from it."""

    pdf: bytes
    pages: int
    starts: tuple[PageStart, ...]
    laid_out: int
    """Units laid out in this build (the others came from the cache)."""
    report: Report | None = None
    """How well the pages are set (publish.pdf.typeset.report)."""


@dataclass(frozen=True)
class Setup:
    """What stays the same across the passes of one edition."""

    book: Book
    chapters: Sequence[RenderedChapter]
    styles: Path
    created: datetime.datetime
    options: PrintOptions
    page_rules: Callable[[int], str]
    band: Callable[[int], object]
    whole_fonts: bool = False
    images: Path | None = None
    """Where rasterised illustrations are kept (None: WeasyPrint draws SVG itself)."""
    figure_width: float = 0.0
    """The text block's width in inches: a figure's printed width."""
    tagged: bool = False
    """A tagged PDF (PDF/UA-1): the screen edition."""
    even: bool = True
    """End on an even page, as a printed book does."""
    label: str = "print"
    """The edition's name in progress reports."""
    total_fit: bool = False
    """Choose each paragraph's line breaks as a whole (publish.pdf.typeset.paragraphs)."""
    dated: datetime.datetime | None = None
    """The time the joined PDF's metadata carries (`created` is LAYOUT_DATE: the pages, and
    so the layout cache, do not depend on the day of the build)."""


LAYOUT_DATE = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
"""The date the units' HTML carries: a constant, so that no layout is redone for a date."""


def typeset_print(book: Book, chapters: Sequence[RenderedChapter], *, styles: Path,
                  created: datetime.datetime, settings: PrintSettings,
                  cache: LayoutCache, workers: int | None = None,
                  progress: Progress = silent) -> Typeset:
    """The print edition as `settings` ask."""
    kdp = settings.profile == "kdp"
    setup = Setup(book, chapters, styles, LAYOUT_DATE,
                PrintOptions(links=not kdp, opening=settings.opening,
                             chapter_start=settings.chapter_start,
                             measure=text_width(settings) * 72),
                lambda count: page_css(geometry(settings, count)) + (NO_OUTLINE_CSS if kdp
                                                                     else ""),
                kdp_gutter, whole_fonts=kdp,
                images=cache.folder.parent / "images" if cache.folder else None,
                figure_width=text_width(settings, pages=1),  # the widest it can be
                total_fit=settings.line_breaks == "total-fit", dated=created)
    guess = estimate_pages(settings, sum(len(c.chapter.text) for c in chapters), len(chapters))
    return _typeset(setup, guess, cache, workers or default_workers(), progress)


def typeset_screen(book: Book, chapters: Sequence[RenderedChapter], *, styles: Path,
                   created: datetime.datetime, cache: LayoutCache, extra_css: str,
                   workers: int | None = None, progress: Progress = silent) -> Typeset:
    """The screen edition: `extra_css` gives its single-sided pages; notes at each
    chapter's end; tagged."""
    settings = book.print_settings
    setup = Setup(book, chapters, styles, LAYOUT_DATE,
                PrintOptions(notes_at_foot=False, opening=settings.opening,
                             chapter_start=settings.chapter_start,
                             measure=text_width(settings) * 72),
                lambda _count: extra_css, lambda _count: 0,
                images=cache.folder.parent / "images" if cache.folder else None,
                figure_width=text_width(settings, pages=1), tagged=True, even=False,
                label="screen", dated=created)
    return _typeset(setup, 0, cache, workers or default_workers(), progress)


@dataclass(frozen=True)
class Furniture:
    """The furniture layer, as plain data: its PDF, and what each of its pages stands for."""

    pdf: bytes
    slots: tuple[Slot, ...]


def _typeset(setup: Setup, guess: int, cache: LayoutCache, workers: int,
             progress: Progress) -> Typeset:
    hint = _numbers_key(setup)
    # The last build's numbers, for the chapters the book still has (a chapter added
    # since is given a placeholder until this build has its number).
    remembered = cache.get(hint, dict) or {}
    numbers = {c.id: remembered.get(c.id, PLACEHOLDER) for c in setup.chapters}
    numbers |= {name: remembered.get(name, PLACEHOLDER) for name in _numbered_ids(setup.chapters)}
    laid_out = 0
    sides: dict[str, str] = {}
    for _ in range(PASSES):
        rules = setup.page_rules(guess) + NO_MARGIN_BOXES
        units = book_units(setup.book, setup.chapters, setup.options,
                           numbers=numbers, sides=sides)
        measure = _measure(setup, rules, cache) if setup.total_fit else None
        layouts, count = _lay_out(setup, units, rules, cache, workers, progress, measure)
        laid_out += count
        furniture = _furniture(setup, units, layouts, setup.page_rules(guess), cache)
        slots = furniture.slots
        total = len(slots) + (len(slots) % 2 if setup.even else 0)
        if setup.band(total) != setup.band(guess):
            guess = total
            continue  # the gutter was wrong: lay the book out again
        fallen = _sides(units, slots) if setup.even else {}  # the screen's pages have no sides
        if any(fallen.get(unit.name, unit.side) != unit.side for unit in units):
            sides = fallen
            continue  # a chapter opens on the other side than it was laid out for
        found = _folios(units, layouts, slots, setup.chapters)
        if found != numbers:
            numbers = found
            continue  # the contents now carry the right numbers
        break
    cache.put(hint, numbers)
    _refuse_breaches(setup, layouts, slots, [
        breach for chapter in setup.chapters
        for breach in markup_breaches(chapter, chapter_body(chapter, setup.options))])
    progress(f"{setup.label}: joining the pages", 0, 1)
    pdf = join(layouts, furniture.pdf, slots, originals=_originals(setup, layouts),
               whole_fonts=setup.whole_fonts, even=setup.even, tagged=setup.tagged,
               dated=setup.dated)
    keys: list[PageKey] = [("", "", False) if s.unit is None else layouts[s.unit].keys[s.page]
                           for s in slots]
    progress(f"{setup.label}: joining the pages", 1, 1)
    stats = [None if s.unit is None else layouts[s.unit].stats[s.page] for s in slots]
    ends = [s.unit is not None and s.page == layouts[s.unit].pages - 1 for s in slots]
    return Typeset(pdf, total, starts_from_keys(keys), laid_out,
                   report(stats, ends, sum(layout.fallbacks for layout in layouts)))


def _refuse_breaches(setup: Setup, layouts: Sequence[UnitLayout], slots: Sequence[Slot],
                     markup: Sequence[Breach]) -> None:
    """Raise PublishError, a finding for each, if the print markup lacks words of the text
    (`markup`), a unit's layout breaks an invariant (publish.pdf.invariants) or one of its
    pages has no place in the book (its words would be lost)."""
    first_body = next((i for i, s in enumerate(slots)
                       if s.unit is not None and layouts[s.unit].keys[s.page][2]), len(slots))
    folio = {(s.unit, s.page): label(i, first_body) for i, s in enumerate(slots)}
    found = [("in the print edition's markup", breach) for breach in markup]
    for unit, layout in enumerate(layouts):
        found += [(f"on page {folio[unit, breach.page]}", breach)
                  for breach in layout.breaches if (unit, breach.page) in folio]
        placed = [folio[unit, page] for page in range(layout.pages) if (unit, page) in folio]
        found += [(f"on a page the book leaves out, after page {placed[-1]}" if placed
                   else "on pages the book leaves out",
                   Breach(LOST, page, layout.keys[page][0], layout.page_words[page]))
                  for page in range(layout.pages) if (unit, page) not in folio]
    if found:
        raise PublishError(diagnostics(found, setup.book, setup.chapters))


def _numbers_key(setup: Setup) -> str:
    """Where the contents' page numbers of the last build of this book are kept: the first
    pass then usually has them right."""
    book = setup.book
    return "numbers-" + hashlib.sha256(
        f"{book.root.resolve()} {book.theme} {setup.options}".encode()).hexdigest()


def _furniture(setup: Setup, units: Sequence[Unit], layouts: Sequence[UnitLayout],
               page_rules: str, cache: LayoutCache) -> Furniture:
    """The furniture for units of these page counts (the same counts: the same furniture,
    from the cache)."""
    html = document_html(setup.book, shells(units, [u.pages for u in layouts],
                                           [u.openings for u in layouts]),
                         setup.created, setup.options)
    layout = _layout(setup, html, page_rules + FURNITURE_CSS)
    key = "furniture-" + UnitJob("furniture", layout, "right", "",
                                 full_fonts=setup.whole_fonts).key(code_version())
    found = cache.get(key, Furniture)
    if found is None:
        document = render(layout)
        found = Furniture(document.write_pdf(full_fonts=setup.whole_fonts),
                          tuple(slots_of([page.anchors for page in document.pages])))
        cache.put(key, found)
    return found


def _layout(setup: Setup, html: str, extra_css: str) -> Layout:
    sheets = tuple(stylesheets(setup.book, setup.styles, *STYLESHEETS))
    resolver = resolver_for(sheets, [setup.book.root, setup.styles])
    return Layout(html, setup.book.root, setup.styles, sheets, extra_css, resolver.families,
                  (setup.images,) if setup.images is not None else (),
                  faces_digest(resolver))


def _measure(setup: Setup, rules: str, cache: LayoutCache) -> Measure | None:
    """The text block's measure, size and faces, read off a small probe layout (kept in
    the cache: it changes only with the sheets and the page geometry)."""
    html = document_html(setup.book, [probe_html()], setup.created, setup.options)
    layout = _layout(setup, html, rules)
    key = "measure-" + UnitJob("measure", layout, "right", "").key(code_version())
    found = cache.get(key, Measure)
    if found is None:
        found = measure_from(render(layout),
                             resolver_for(layout.sheets, [layout.root, layout.styles]),
                             setup.book.metadata.lang)
        if found is not None:
            cache.put(key, found)
    return found


def _lay_out(setup: Setup, units: Sequence[Unit], rules: str, cache: LayoutCache,
             workers: int, progress: Progress, measure: Measure | None = None
             ) -> tuple[list[UnitLayout], int]:
    """Every unit's layout, from the cache or laid out now; and how many were laid out."""
    start = body_start(setup.chapters).id
    jobs = []
    for unit in units:
        ghosts = unit.outside_targets if setup.options.links else ()
        targets = "".join(f'<span id="{name}"></span>' for name in ghosts)
        markup = (f'<div class="link-targets" style="position: absolute; top: 0; left: 0; '
                  f'width: 0; height: 0; overflow: hidden">{targets}</div>' if ghosts
                  else "") + unit.markup
        rasters, files = None, ""
        if setup.images is not None and ".svg" in markup:
            rasters = Rasters(setup.images, setup.figure_width,
                              tuple(theme_fonts(setup.styles, setup.book.theme)))
            files = svg_digest(markup, setup.book.root)
        side = "html { break-before: left; }\n" if unit.side == "left" else ""
        html = document_html(setup.book, [markup], setup.created, setup.options)
        jobs.append(UnitJob(unit.name, _layout(setup, html, rules + side), unit.side, start,
                            full_fonts=setup.whole_fonts, ghosts=ghosts, rasters=rasters,
                            files=files, variant="pdf/ua-1" if setup.tagged else None,
                            sections=unit.sections, measure=measure))
    version = code_version()
    keys = [job.key(version) for job in jobs]
    found: dict[int, UnitLayout] = {}
    missing = []
    for index, key in enumerate(keys):
        hit = cache.get(key, UnitLayout)
        if hit is None:
            missing.append(index)
        else:
            found[index] = hit
    done = [len(found)]

    def one_more(_layout: UnitLayout) -> None:
        done[0] += 1
        progress(f"{setup.label}: laying out units", done[0], len(jobs))

    progress(f"{setup.label}: laying out units", done[0], len(jobs))
    made = lay_out_all([jobs[i] for i in missing], workers, one_more)
    for index, layout in zip(missing, made, strict=True):
        cache.put(keys[index], layout)
        found[index] = layout
    return [found[i] for i in range(len(jobs))], len(missing)


def _sides(units: Sequence[Unit], slots: Sequence[Slot]) -> dict[str, str]:
    """The side of the spread each unit's first page falls on in the joined book."""
    found = {}
    for index, slot in enumerate(slots):
        if slot.unit is not None and slot.page == 0:
            found[units[slot.unit].name] = "right" if index % 2 == 0 else "left"
    return found


def _folios(units: Sequence[Unit], layouts: Sequence[UnitLayout], slots: Sequence[Slot],
            chapters: Sequence[RenderedChapter]) -> dict[str, str]:
    """The folio of each chapter's first page, as the contents print it (by chapter id),
    of the index's, and of the page each index mark and page reference's target is
    printed on (by its id)."""
    start = body_start(chapters).id
    first: dict[str, int] = {}
    placed: dict[str, int] = {}
    wanted = _numbered_ids(chapters)
    for index, slot in enumerate(slots):
        if slot.unit is None:
            continue
        if slot.page == 0:
            first.setdefault(units[slot.unit].name, index)
        for section, page in layouts[slot.unit].openings:
            if page == slot.page:
                first.setdefault(section, index)
        for name, page in layouts[slot.unit].anchors:
            if page == slot.page and name in wanted:
                placed.setdefault(name, index)
    first_body = first[start]
    found = {c.id: label(first[c.id], first_body) if c.id in first else PLACEHOLDER
             for c in chapters}
    if bookindex.ID in first:
        found[bookindex.ID] = label(first[bookindex.ID], first_body)
    found.update((name, label(index, first_body)) for name, index in placed.items())
    return found


def _numbered_ids(chapters: Sequence[RenderedChapter]) -> frozenset[str]:
    """The ids whose folio the print edition prints: index marks, page references' targets."""
    return frozenset(name for chapter in chapters
                     for name in (*(m.anchor for m in chapter.index_marks), *chapter.page_refs))


def _originals(setup: Setup, layouts: Sequence[UnitLayout]) -> Mapping[str, bytes]:
    """The whole font file each embedded face was cut from, by BaseFont: the theme's fonts
    (in the styles folder) or the book's own."""
    files = {}
    for folder in (setup.styles, setup.book.root):
        for path in folder.rglob("*"):
            if path.suffix.lower() in FONT_SUFFIXES and path.is_file():
                data = path.read_bytes()
                files[hashlib.sha256(data).hexdigest()] = data
    return {use.name: files[use.original] for layout in layouts for use in layout.fonts
            if use.original in files}


def whole_book_layout(book: Book, chapters: Sequence[RenderedChapter], *, styles: Path,
                      created: datetime.datetime, settings: PrintSettings, pages: int
                      ) -> Document:
    """One WeasyPrint layout of the whole book's HTML at the geometry for `pages` pages, as
    the print edition was made before it was typeset unit by unit (for comparisons); its
    line breaks chosen as the print edition's are."""
    kdp = settings.profile == "kdp"
    options = PrintOptions(links=not kdp, opening=settings.opening,
                           chapter_start=settings.chapter_start,
                           measure=text_width(settings) * 72)
    setup = Setup(book, chapters, styles, LAYOUT_DATE, options, lambda _c: "", lambda _c: 0)
    rules = page_css(geometry(settings, pages)) + (NO_OUTLINE_CSS if kdp else "")
    layout = _layout(setup, book_html(book, chapters, created, options), rules)
    measure = (_measure(setup, rules, LayoutCache(None)) if settings.line_breaks == "total-fit"
               else None)
    # Each unit may be laid out again RESETS times: the whole book as often as its units.
    units = len(book_units(book, chapters, options))
    return set_type(layout, measure, resets=RESETS * units).document
