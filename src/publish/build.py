"""The whole pipeline as a list of named steps: load → render → check → write.

Outputs are written beside their final place and moved in only when every requested
output has been made, so a failed build leaves the last good files untouched.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import functools
import json
import os
import signal
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from publish import uptodate
from publish.checks import run_checks
from publish.checks.base import CheckInput
from publish.diagnostics import Diagnostic, PublishError, ToolError
from publish.files import write_atomically
from publish.manuscript.load import load_book
from publish.manuscript.markup import render_book
from publish.model import Book, PageStart, RenderedChapter
from publish.policy import apply_policy
from publish.printing import TRIMS, parse_trim
from publish.progress import Progress, silent

if TYPE_CHECKING:  # the print stage is imported only when a build needs it
    from publish.pdf import LayoutCache
    from publish.pdf.typeset.report import Report

FORMATS = ("epub", "pdf", "screen", "kepub")


@dataclass(frozen=True)
class CheckedBook:
    """A book that loaded and rendered, with every finding about it."""

    book: Book
    chapters: tuple[RenderedChapter, ...]
    diagnostics: tuple[Diagnostic, ...]


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote, and what it found."""

    outputs: dict[str, Path]
    pdf_pages: int | None
    diagnostics: tuple[Diagnostic, ...]
    page_markers: int = 0
    """Print page numbers the EPUB carries."""
    pages_missed: tuple[str, ...] = ()
    """Folios of printed pages whose beginning could not be found in the EPUB's text."""
    up_to_date: bool = False
    """Nothing had changed: the outputs of the last build were kept as they were."""
    report: Report | None = None
    """The typographic report of the print PDF this build wrote (publish.pdf.typeset.report);
    None when it wrote none, or was up to date (its record keeps a summary)."""
    removed: tuple[Path, ...] = ()
    """Outputs of the last build of the book (with the same options) that this one no longer
    writes, removed: a retitled book's old files."""


def check(book_dir: Path, styles: Path | None = None) -> tuple[Book | None, list[Diagnostic]]:
    """Every finding for a book; the book is None when it could not be loaded at all.

    Without `styles` the checks that depend on the print styles (P) are skipped."""
    try:
        checked = _load_and_check(book_dir, styles)
    except PublishError as err:
        return None, err.diagnostics
    return checked.book, list(checked.diagnostics)


def prepare(book_dir: Path, styles: Path | None = None) -> CheckedBook:
    """Load, render and check; raise PublishError if any finding is an error."""
    checked = _load_and_check(book_dir, styles)
    if any(d.is_error for d in checked.diagnostics) or not checked.chapters:
        raise PublishError(checked.diagnostics)
    return checked


LIMIT_CODES = frozenset({"S008", "S010"})
"""Findings after which the book is not even rendered: it is too big to handle safely."""


def _load_and_check(book_dir: Path, styles: Path | None) -> CheckedBook:
    book, diagnostics = load_book(book_dir)
    if any(d.code in LIMIT_CODES for d in diagnostics):
        raise PublishError(diagnostics)
    chapters, render_problems = render_book(book)
    checks = run_checks(CheckInput(book, chapters, styles))
    findings = apply_policy([*diagnostics, *render_problems, *checks], book, chapters)
    return CheckedBook(book, tuple(chapters), tuple(findings))


CACHE_FOLDER = ".cache"
"""Under the output folder: unit layouts (publish.pdf.cache) and build records."""


def build(book_dir: Path, out_dir: Path, *, styles: Path,
          formats: Iterable[str] = FORMATS, profile: str | None = None,
          theme: str | None = None, trim: str | None = None, workers: int | None = None,
          progress: Progress = silent) -> BuildResult:
    """Check the book, then write `out_dir/<name>.<format>` for each format asked for.

    `theme`, `trim` and `profile` set the PDF in that theme, at that trim, for that
    printer, instead of book.yaml's choices, into `<name>-<theme>-<trim>-<profile>.pdf`
    (and the EPUB in that theme into `<name>-<theme>.epub`). The steps: recall an
    up-to-date build, check, write each output into a scratch folder (`WRITERS`, in
    `ORDER`), move them all into place, remember."""
    formats = list(formats)
    options = ("formats", *sorted(formats), "profile", profile, "theme", theme, "trim", trim)
    digest = uptodate.inputs_digest(book_dir, styles, options, out_dir)
    record = uptodate.recall(out_dir, book_dir, options, digest)
    if record is not None:  # nothing changed since the last build of these outputs
        return _recalled(out_dir, record)
    progress("checking the manuscript", 0, 1)
    checked = prepare(book_dir, styles)
    progress("checking the manuscript", 1, 1)
    if out_dir.exists() and not out_dir.is_dir():
        raise ToolError(f"{out_dir} is a file, not a folder to write the book into")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=".publish-") as scratch:
        run = _Run(checked, out_dir, Path(scratch), styles, profile, theme, trim, workers,
                   progress)
        order = [fmt for fmt in ORDER if fmt in formats]
        for index, fmt in enumerate(order):
            progress("outputs", index, len(order))
            WRITERS[fmt](run)
        progress("outputs", len(order), len(order))
        outputs = _move_into_place(run.staged, out_dir)
    from publish import pdf

    pdf.prune_cache(out_dir / CACHE_FOLDER)
    facts = {"pages": run.pages, "markers": run.markers, "missed": list(run.missed),
             "typography": run.report.summary() if run.report is not None else None,
             "total_fit": run.book.print_settings.line_breaks == "total-fit"}
    removed = uptodate.remove_stale(out_dir, book_dir, options, outputs)
    uptodate.remember(out_dir, book_dir, options, digest, outputs, facts, checked.diagnostics)
    return BuildResult(outputs, run.pages, checked.diagnostics, run.markers, run.missed,
                       report=run.report, removed=tuple(removed))


def _recalled(out_dir: Path, record: dict) -> BuildResult:
    """The result of the last build, whose outputs are as it left them."""
    facts = record["facts"]
    return BuildResult({fmt: out_dir / name for fmt, name in record["formats"].items()},
                       facts["pages"], uptodate.recorded_diagnostics(record),
                       facts["markers"], tuple(facts["missed"]), up_to_date=True)


@dataclass
class _Run:
    """What the output writers of one build share: the checked book as asked for, where to
    write, and what one output tells another (the print pages the EPUB carries)."""

    checked: CheckedBook
    out_dir: Path
    scratch: Path
    styles: Path
    profile: str | None
    theme: str | None
    trim: str | None
    workers: int | None
    progress: Progress
    staged: dict[str, Path] = dataclasses.field(default_factory=dict)
    """Each output written so far, in the scratch folder."""
    starts: tuple[PageStart, ...] | None = None
    """Where book.yaml's print edition's pages begin, once known."""
    pages: int | None = None
    markers: int = 0
    missed: tuple[str, ...] = ()
    report: Report | None = None

    @functools.cached_property
    def book(self) -> Book:
        book = self.checked.book
        return dataclasses.replace(book, theme=self.theme) if self.theme else book

    @property
    def chapters(self) -> tuple[RenderedChapter, ...]:
        return self.checked.chapters

    @functools.cached_property
    def stamp(self) -> datetime.datetime:
        return build_time(self.book, self.out_dir)

    @functools.cached_property
    def cache(self) -> LayoutCache:
        from publish import pdf

        return pdf.LayoutCache(self.out_dir / CACHE_FOLDER / "layout")

    @property
    def ebook(self) -> str:
        """The EPUB's file stem: the book's name, and the theme asked for."""
        return f"{self.book.name}{f'-{self.theme}' if self.theme else ''}"

    def print_starts(self) -> tuple[PageStart, ...]:
        """Where the print pages begin: from this build's PDF, the last print build of this
        very manuscript, or typeset now."""
        if self.starts is None:
            self.starts = _print_pages(self.book, self.chapters, self.styles, self.stamp,
                                       self.out_dir, self.cache, self.workers, self.progress)
        return self.starts


def _write_pdf(run: _Run) -> None:
    """The print PDF, and the printer's cover wrap (its spine depends on the page count)."""
    from publish import pdf
    from publish.pdf import cover

    book = run.book
    settings = book.print_settings
    if run.profile is not None:
        settings = dataclasses.replace(settings, profile=run.profile)
    if run.trim is not None:
        settings = dataclasses.replace(settings, trim=_trim(run.trim))
    suffix = "".join(f"-{v}" for v in (run.theme, run.trim, run.profile) if v)
    run.staged["pdf"] = run.scratch / f"{book.name}{suffix}.pdf"
    edition = pdf.write_pdf(book, run.chapters, run.staged["pdf"], styles=run.styles,
                            created=run.stamp, settings=settings, cache=run.cache,
                            workers=run.workers, progress=run.progress)
    run.pages, run.report = edition.pages, edition.report
    if run.profile is None and run.trim is None:  # book.yaml's own: the EPUB's page source
        run.starts = edition.starts
        _save_pages(book, run.out_dir, pdf.layout_key(book, run.chapters, run.styles,
                                                      run.stamp), edition.starts)
    run.staged["cover"] = run.scratch / f"{book.name}{suffix}-cover.pdf"
    cover.write_cover(book, edition.pages, run.staged["cover"], styles=run.styles,
                      settings=settings, created=run.stamp)


def _trim(value: str) -> tuple[float, float]:
    trim = parse_trim(value)
    if trim is None:
        raise ToolError(f"{value!r} is not a trim size: give one of {', '.join(TRIMS)}, or "
                        "a width and height such as 6.14x9.21in or 152x229mm")
    return trim


def _epub_into(run: _Run, target: Path) -> None:
    from publish import epub

    paginated = epub.write_epub(run.book, run.chapters, target, styles=run.styles,
                                modified=run.stamp, pages=run.print_starts(),
                                page_source=page_source(run.book))
    run.markers = len(paginated.pages)
    run.missed = tuple(page.label for page in paginated.missed)


def _write_epub(run: _Run) -> None:
    """The EPUB, carrying the print edition's page numbers."""
    run.staged["epub"] = run.scratch / f"{run.ebook}.epub"
    _epub_into(run, run.staged["epub"])


def _write_kepub(run: _Run) -> None:
    """The Kobo edition, made from the EPUB (written for it if it is not asked for)."""
    from publish.epub import kepub

    source = run.staged.get("epub")
    if source is None:
        source = run.scratch / "for-kobo.epub"
        _epub_into(run, source)
    run.staged["kepub"] = run.scratch / f"{run.ebook}.kepub.epub"
    kepub.write_kepub(source, run.staged["kepub"])


def _write_screen(run: _Run) -> None:
    """The screen edition."""
    from publish import pdf

    run.staged["screen"] = run.scratch / f"{run.book.name}-screen.pdf"
    pdf.write_screen_pdf(run.book, run.chapters, run.staged["screen"], styles=run.styles,
                         created=run.stamp, cache=run.cache, workers=run.workers,
                         progress=run.progress)


WRITERS: dict[str, Callable[[_Run], None]] = {
    "pdf": _write_pdf, "epub": _write_epub, "kepub": _write_kepub, "screen": _write_screen}
"""One writer per output format. (Imports inside them: `publish check` needs neither
ebooklib nor WeasyPrint, which are slow to import.)"""
ORDER = ("pdf", "epub", "kepub", "screen")
"""The print PDF first (the EPUB carries its page numbers), the EPUB before the Kobo
edition made from it."""


def _move_into_place(staged: Mapping[str, Path], out_dir: Path) -> dict[str, Path]:
    """Every output is ready: move them in, with no signal arriving half-way through."""
    outputs = {}
    with _signals_held():
        for fmt, path in staged.items():
            outputs[fmt] = out_dir / path.name
            os.replace(path, outputs[fmt])
    return outputs


def page_source(book: Book) -> str:
    """The EPUB's `pageBreakSource`: the print edition its page numbers come from."""
    width, height = book.print_settings.trim
    return f"{book.metadata.title}, print edition, {width:g} × {height:g} in"


def _pages_cache(book: Book, out_dir: Path) -> Path:
    return out_dir / f".{book.name}-{book.theme}.pages.json"


def _save_pages(book: Book, out_dir: Path, key: str, starts: Sequence[PageStart]) -> None:
    """Keep where the print pages begin (under `key`, the layout's digest), so that building
    the EPUB alone (`make epub`, or make's EPUB rule after its PDF rule) need not typeset the
    book again."""
    record = {"key": key, "pages": [dataclasses.asdict(start) for start in starts]}
    write_atomically(_pages_cache(book, out_dir), json.dumps(record).encode("utf-8"))


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM until the block is done (they are delivered after it)."""
    held = {signal.SIGINT, signal.SIGTERM}
    signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, held)


def _print_pages(book: Book, chapters: Sequence[RenderedChapter], styles: Path,
                 stamp: datetime.datetime, out_dir: Path, cache: LayoutCache,
                 workers: int | None, progress: Progress) -> tuple[PageStart, ...]:
    """Where the print edition's pages begin: from the last print build of this very
    manuscript when there is one, else typeset now."""
    from publish import pdf

    key = pdf.layout_key(book, chapters, styles, stamp)
    try:
        record = json.loads(_pages_cache(book, out_dir).read_text(encoding="utf-8"))
        if record.get("key") == key:
            return tuple(PageStart(**page) for page in record["pages"])
    except (OSError, ValueError, TypeError, KeyError):
        pass  # no usable record: typeset
    starts = pdf.print_pages(book, chapters, styles=styles, created=stamp, cache=cache,
                             workers=workers, progress=progress)
    _save_pages(book, out_dir, key, starts)
    return starts


def build_time(book: Book, out_dir: Path | None = None) -> datetime.datetime:
    """The time written into the outputs' metadata (the PDF's creation date, the EPUB's
    `dcterms:modified`): SOURCE_DATE_EPOCH when set, else when the manuscript last changed —
    the newest of its files, the output folder aside. Not the book's `date:`, which is when
    the work was published (1865 for a reissued classic). The same files give the same bytes;
    the pages themselves carry no date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC)
    newest = max((path.stat().st_mtime for path in uptodate.book_files(book.root, out_dir)),
                 default=0.0)
    return datetime.datetime.fromtimestamp(int(newest), tz=datetime.UTC)
