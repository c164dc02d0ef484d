"""The whole pipeline as a list of named steps: load → render → check → write.

Outputs are written beside their final place and moved in only when every requested
output has been made, so a failed build leaves the last good files untouched.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import json
import os
import signal
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from publish import uptodate
from publish.checks import run_checks
from publish.checks.base import CheckInput
from publish.diagnostics import Diagnostic, PublishError, ToolError
from publish.files import write_atomically
from publish.manuscript.load import load_book
from publish.manuscript.markup import render_book
from publish.model import Book, PageStart, RenderedChapter
from publish.policy import apply_policy
from publish.progress import Progress, silent

FORMATS = ("epub", "pdf", "screen", "kepub")


@dataclass(frozen=True)
class CheckedBook:
    """A book that loaded and rendered, with every finding about it."""

    book: Book
    chapters: tuple[RenderedChapter, ...]
    diagnostics: tuple[Diagnostic, ...]


@dataclass(frozen=True)
class BuildResult:
    outputs: dict[str, Path]
    pdf_pages: int | None
    diagnostics: tuple[Diagnostic, ...]
    page_markers: int = 0
    """Print page numbers the EPUB carries."""
    pages_missed: tuple[str, ...] = ()
    """Folios of printed pages whose beginning could not be found in the EPUB's text."""
    up_to_date: bool = False
    """Nothing had changed: the outputs of the last build were kept as they were."""


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
"""Under the output folder: unit layouts (publish.pdf.cache)."""


def build(book_dir: Path, out_dir: Path, *, styles: Path,
          formats: Iterable[str] = FORMATS, profile: str | None = None,
          theme: str | None = None, workers: int | None = None,
          progress: Progress = silent) -> BuildResult:
    """Check the book, then write `out_dir/<name>.<format>` for each format asked for.

    `theme` and `profile` set the PDF in that theme, for that printer, instead of
    book.yaml's choices, into `<name>-<theme>-<profile>.pdf` (and the EPUB in that theme
    into `<name>-<theme>.epub`)."""
    formats = list(formats)
    options = ("formats", *sorted(formats), "profile", profile, "theme", theme)
    digest = uptodate.inputs_digest(book_dir, styles, options)
    record = uptodate.recall(out_dir, book_dir, options, digest)
    if record is not None:  # nothing changed since the last build of these outputs
        facts = record["facts"]
        return BuildResult({fmt: out_dir / name for fmt, name in record["formats"].items()},
                           facts["pages"], uptodate.recorded_diagnostics(record),
                           facts["markers"], tuple(facts["missed"]), up_to_date=True)
    # Imported here: `publish check` needs neither ebooklib nor WeasyPrint (slow to import).
    from publish import epub, pdf
    from publish.epub import kepub
    from publish.pdf import cover

    progress("checking the manuscript", 0, 1)
    checked = prepare(book_dir, styles)
    progress("checking the manuscript", 1, 1)
    book, chapters = checked.book, checked.chapters
    if theme is not None:
        book = dataclasses.replace(book, theme=theme)
    stamp = build_time(book)
    if out_dir.exists() and not out_dir.is_dir():
        raise ToolError(f"{out_dir} is a file, not a folder to write the book into")
    out_dir.mkdir(parents=True, exist_ok=True)
    outputs: dict[str, Path] = {}
    pages = None
    settings = book.print_settings
    if profile is not None:
        settings = dataclasses.replace(settings, profile=profile)
    ebook = f"{book.name}{f'-{theme}' if theme else ''}"
    cache = pdf.LayoutCache(out_dir / CACHE_FOLDER / "layout")
    starts = None
    markers, missed = 0, ()
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=".publish-") as scratch:
        staged: dict[str, Path] = {}

        def write_epub(target: Path) -> None:
            nonlocal starts, markers, missed
            if starts is None:
                starts = _print_pages(book, chapters, styles, stamp, out_dir, cache, workers,
                                      progress)
            paginated = epub.write_epub(book, chapters, target, styles=styles, modified=stamp,
                                        pages=starts, page_source=page_source(book))
            markers = len(paginated.pages)
            missed = tuple(page.label for page in paginated.missed)

        # The print PDF first (the EPUB carries its page numbers), the EPUB before the
        # Kobo edition made from it.
        order = sorted(formats, key=("pdf", "epub", "kepub", "screen").index)
        for fmt in order:
            progress("outputs", order.index(fmt), len(order))
            if fmt == "epub":
                staged[fmt] = Path(scratch) / f"{ebook}.epub"
                write_epub(staged[fmt])
            elif fmt == "kepub":
                source = staged.get("epub") or Path(scratch) / "for-kobo.epub"
                if "epub" not in staged:
                    write_epub(source)
                staged[fmt] = Path(scratch) / f"{ebook}.kepub.epub"
                kepub.write_kepub(source, staged[fmt])
            elif fmt == "screen":
                staged[fmt] = Path(scratch) / f"{book.name}-screen.pdf"
                pdf.write_screen_pdf(book, chapters, staged[fmt], styles=styles,
                                     created=stamp, cache=cache, workers=workers,
                                     progress=progress)
            else:
                suffix = "".join(f"-{v}" for v in (theme, profile) if v)
                staged[fmt] = Path(scratch) / f"{book.name}{suffix}.pdf"
                edition = pdf.write_pdf(book, chapters, staged[fmt], styles=styles,
                                        created=stamp, settings=settings, cache=cache,
                                        workers=workers, progress=progress)
                pages = edition.pages
                if profile is None:  # book.yaml's own print edition: the EPUB's page source
                    starts = edition.starts
                    _save_pages(book, out_dir,
                                pdf.layout_key(book, chapters, styles, stamp), starts)
                # The printer's cover wrap: its spine depends on the interior's page count.
                staged["cover"] = Path(scratch) / f"{book.name}{suffix}-cover.pdf"
                cover.write_cover(book, pages, staged["cover"], styles=styles,
                                  settings=settings, created=stamp)
        progress("outputs", len(order), len(order))
        # Every output is ready: move them in, with no signal arriving half-way through.
        with _signals_held():
            for fmt, path in staged.items():
                outputs[fmt] = out_dir / path.name
                os.replace(path, outputs[fmt])
    pdf.prune_cache(out_dir / CACHE_FOLDER)
    uptodate.remember(out_dir, book_dir, options, digest, outputs,
                      {"pages": pages, "markers": markers, "missed": list(missed)},
                      checked.diagnostics)
    return BuildResult(outputs, pages, checked.diagnostics, markers, missed)


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
                 stamp: datetime.datetime, out_dir: Path, cache: object,
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


def build_time(book: Book) -> datetime.datetime:
    """The time written into the outputs: SOURCE_DATE_EPOCH when set, else the book's date,
    so the same manuscript always gives the same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC)
    date = book.metadata.date
    for length, fmt in ((10, "%Y-%m-%d"), (7, "%Y-%m"), (4, "%Y")):
        try:
            parsed = datetime.datetime.strptime(date[:length], fmt)
        except ValueError:
            continue
        return parsed.replace(tzinfo=datetime.UTC)
    return datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
