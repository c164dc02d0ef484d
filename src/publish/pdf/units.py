"""Laying out units — the half-title, title page, copyright page, contents and each chapter
— one by one, in worker processes, each result kept in the cache (publish.pdf.cache).

A unit opens on a page of its own on a known side, so its layout depends only on its own
markup, the style sheets, the page geometry and the side: never on the pages before it.
Its pages are laid out without running heads or folios (those depend on where the unit
falls: publish.pdf.furniture adds them). A worker hands back plain data — the unit's PDF
bytes and what the join needs to know of its pages — since WeasyPrint's Document cannot be
pickled.
"""

from __future__ import annotations

import dataclasses
import hashlib
import multiprocessing
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from publish.faces import resolver_for
from publish.pdf import boxes
from publish.pdf.invariants import Breach, line_breaches, opening_words, word_breaches
from publish.pdf.render import Layout
from publish.pdf.typeset import Measure, set_type
from publish.pdf.typeset.report import PageStat, page_stats
from publish.workers import worker_signals

MARGIN_BOXES = ("top-left-corner", "top-left", "top-center", "top-right", "top-right-corner",
                "right-top", "right-middle", "right-bottom", "bottom-right-corner",
                "bottom-right", "bottom-center", "bottom-left", "bottom-left-corner",
                "left-bottom", "left-middle", "left-top")
NO_MARGIN_BOXES = "@page {\n" + "".join(
    f"  @{box} {{ content: none !important; }}\n" for box in MARGIN_BOXES) + "}\n"
"""A unit's pages carry no running heads or folios: the furniture layer draws them."""


@dataclass(frozen=True)
class FontUse:
    """One face as a unit's PDF embeds it."""

    name: str
    """The PDF's BaseFont, subset tag included (WeasyPrint derives it from the face)."""
    original: str
    """sha256 of the whole font file the subset was cut from."""
    glyphs: tuple[int, ...]


@dataclass(frozen=True)
class Rasters:
    """How to rasterise the SVG illustrations a unit shows (publish.pdf.illustrations)."""

    folder: Path
    figure_width: float
    fonts: tuple[Path, ...]


@dataclass(frozen=True)
class UnitJob:
    """A unit to lay out: its HTML document and how to write its PDF."""

    name: str
    layout: Layout
    side: str
    body_start_id: str
    full_fonts: bool = False
    mending: bool = True
    ghosts: tuple[str, ...] = ()
    """Ids of other units this one links to, planted in its HTML as empty targets so that
    WeasyPrint writes the links (publish.pdf.join points them at the real place)."""
    rasters: Rasters | None = None
    variant: str | None = None
    """WeasyPrint's PDF variant (`pdf/ua-1` for the tagged screen edition)."""
    files: str = ""
    """A digest of the files the HTML names whose bytes the layout depends on (its SVG)."""
    sections: tuple[str, ...] = ()
    """The ids of the chapters the unit sets (several in a continuous run)."""
    measure: Measure | None = None
    """Choose its paragraphs' line breaks for this measure (publish.pdf.typeset)."""

    def key(self, code_version: str) -> str:
        """A digest of everything the unit's layout depends on."""
        digest = hashlib.sha256()
        rasters = (self.rasters.figure_width, self.rasters.fonts) if self.rasters else None
        for part in (self.layout.html, self.layout.extra_css, self.side, self.body_start_id,
                     repr(self.full_fonts), repr(self.mending), code_version,
                     repr(sorted(self.layout.faces)), self.files, repr(rasters),
                     repr(self.variant), repr(self.measure), self.layout.fonts):
            digest.update(hashlib.sha256(part.encode()).digest())
        for sheet in self.layout.sheets:
            digest.update(hashlib.sha256(sheet.read_bytes()).digest())
        return digest.hexdigest()


@dataclass(frozen=True)
class UnitLayout:
    """A laid-out unit, as plain data."""

    name: str
    pdf: bytes
    pages: int
    keys: tuple[tuple[str, str, bool], ...]
    """Per page: the chapter its text begins in, its first letters, whether the body starts
    on it (publish.pdf.pagestarts)."""
    fonts: tuple[FontUse, ...]
    ghosts: tuple[str, ...]
    """Ids that stand in this unit's PDF only as link targets held by other units."""
    openings: tuple[tuple[str, int], ...] = ()
    """Each chapter the unit sets, with the page (from 0) it opens on."""
    stats: tuple[PageStat, ...] = ()
    """How well each page is set (publish.pdf.typeset.report)."""
    fallbacks: int = 0
    """Paragraphs left to WeasyPrint's own breaking after total fit failed them."""
    breaches: tuple[Breach, ...] = ()
    """The invariants its layout breaks (publish.pdf.invariants): it must not ship."""
    page_words: tuple[str, ...] = ()
    """The first words of each page (to name it in a message)."""
    anchors: tuple[tuple[str, int], ...] = ()
    """Each id the unit sets, with the page (from 0) it first stands on: where an index's
    mark or a page reference's target is printed."""


def lay_out(job: UnitJob) -> UnitLayout:
    """Lay out one unit and write its PDF (run in a worker process)."""
    from weasyprint.text.fonts import get_hb_object_data

    from publish.pdf.pagestarts import page_keys

    layout = job.layout
    if job.rasters is not None:
        from publish.pdf.illustrations import raster_markup

        rasters = job.rasters
        layout = dataclasses.replace(layout, html=raster_markup(
            layout.html, layout.root, rasters.figure_width, rasters.fonts, rasters.folder))
    typeset = set_type(layout, job.measure, mending=job.mending, side=job.side)
    document = typeset.document
    resolver = resolver_for(layout.sheets, (layout.root, layout.styles),
                            extra_css=layout.extra_css)
    breaches = (*line_breaches(document, resolver),
                *word_breaches(document, typeset.html, resolver))
    keys = page_keys(document, job.body_start_id)
    pdf = document.write_pdf(full_fonts=job.full_fonts, pdf_variant=job.variant)
    # Read after writing: drawing the pages is what records the glyphs each face shows.
    fonts = tuple(FontUse(font.name.decode().lstrip("/"),
                          hashlib.sha256(get_hb_object_data(font.hb_face)).hexdigest(),
                          tuple(sorted(font.to_unicode)))
                  for font in document.fonts.values())
    # A section's id is an anchor on every page it spans: it opens on the first of them.
    openings = tuple((section, next(i for i, page in enumerate(document.pages)
                                    if section in page.anchors))
                     for section in job.sections
                     if any(section in page.anchors for page in document.pages))
    stats = page_stats(document, layout.sheets, (layout.root, layout.styles), job.sections)
    # A unit the sheets do not show at all (the half-title, on a screen) takes no page.
    shown = any((boxes.is_text(box) and box.text.strip()) or boxes.is_replaced(box)
                for page in boxes.pages(document) for box in boxes.text_boxes(page))
    anchors: dict[str, int] = {}
    for number, page in enumerate(document.pages):
        for name in page.anchors:
            if name not in job.ghosts:
                anchors.setdefault(name, number)
    return UnitLayout(job.name, pdf, len(document.pages) if shown else 0, keys, fonts,
                      job.ghosts, openings,
                      stats, typeset.fallbacks, breaches, opening_words(document),
                      tuple(anchors.items()))


def lay_out_all(jobs: Sequence[UnitJob], workers: int,
                done: Callable[[UnitLayout], None] | None = None) -> list[UnitLayout]:
    """Lay out `jobs` on `workers` processes (in this one when 1), in order."""
    if workers <= 1 or len(jobs) <= 1:
        results = []
        for job in jobs:
            results.append(lay_out(job))
            if done:
                done(results[-1])
        return results
    context = multiprocessing.get_context("fork")
    # The longest units first, so that no worker is left with a long one at the end.
    order = sorted(range(len(jobs)), key=lambda i: -len(jobs[i].layout.html))
    results: dict[int, UnitLayout] = {}
    with context.Pool(min(workers, len(jobs)), initializer=worker_signals) as pool:
        for index, layout in zip(order, pool.imap(lay_out, [jobs[i] for i in order]),
                                 strict=True):
            results[index] = layout
            if done:
                done(layout)
    return [results[i] for i in range(len(jobs))]
