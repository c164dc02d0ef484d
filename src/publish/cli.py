"""The `publish` command: `publish build BOOK_DIR`, `publish check BOOK_DIR`.

Exit status: 0 done, 1 the manuscript has errors, 2 bad usage or a failure of the machine.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from publish import __version__
from publish import build as pipeline
from publish.diagnostics import (
    Diagnostic,
    PublishError,
    ToolError,
    as_json,
    format_diagnostic,
    format_github,
    summary,
)
from publish.epub.validate import run_ace, run_epubcheck, run_kindle_check, to_diagnostics
from publish.manuscript.load import find_books, load_book
from publish.printing import PROFILES
from publish.rules import catalogue_markdown

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


class Interrupted(BaseException):
    """SIGTERM (or SIGINT) arrived: unwind, so that temporary files are removed."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _interrupt(signum: int, _frame: object) -> None:
    raise Interrupted(signum)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    for signum in (signal.SIGTERM, signal.SIGINT):  # even where a shell ignored SIGINT
        signal.signal(signum, _interrupt)
    try:
        return int(args.run(args))
    except ToolError as err:
        print(f"publish: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    except (KeyboardInterrupt, Interrupted) as err:
        signum = err.signum if isinstance(err, Interrupted) else signal.SIGINT
        print("publish: interrupted; the outputs of the last finished build are untouched",
              file=sys.stderr)
        return 128 + signum
    except Exception as err:  # the last line of defence: a message, not a traceback
        if os.environ.get("PUBLISH_DEBUG"):
            raise
        print(f"publish: internal error: {type(err).__name__}: {err}\n"
              "    (set PUBLISH_DEBUG=1 to see where; please report it)", file=sys.stderr)
        return EXIT_USAGE


STYLES_HELP = ("the styles folder (default: $PUBLISH_STYLES, else the styles/ of the "
               "repository publish runs from, else the styles installed with publish)")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="publish", description="Turn a Markdown book into a checked EPUB and print PDF.")
    parser.add_argument("--version", action="version", version=f"publish {__version__}")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    build = commands.add_parser("build", help="check a book, then write its EPUB and PDF")
    build.add_argument("book_dir", type=Path, metavar="BOOK_DIR",
                       help="a book folder (with book.yaml) or a folder of books")
    build.add_argument("-o", "--out", type=Path, default=Path("build"), metavar="OUT_DIR",
                       help="where to write the outputs (default: build)")
    build.add_argument("--epub", action="store_true", help="write only the EPUB")
    build.add_argument("--pdf", action="store_true",
                       help="write only the print PDF (and its cover wrap)")
    build.add_argument("--screen", action="store_true",
                       help="write only the screen edition PDF (<name>-screen.pdf)")
    build.add_argument("--kepub", action="store_true",
                       help="write only the Kobo edition (<name>.kepub.epub)")
    build.add_argument("--styles", type=Path, default=None, metavar="DIR",
                       help=STYLES_HELP)
    build.add_argument("--profile", choices=PROFILES, default=None,
                       help="print for this printer (into <name>-<profile>.pdf) instead of "
                            "the profile book.yaml names")
    build.add_argument("--trim", default=None, metavar="SIZE",
                       help="print at this trim (into <name>-<trim>.pdf) instead of book.yaml's: "
                            "5x8, 6x9, A5, 152x229mm …")
    build.add_argument("--theme", default=None, metavar="NAME",
                       help="set the book in this theme (into <name>-<theme>.pdf and "
                            ".epub) instead of the theme book.yaml names")
    build.add_argument("-j", "--jobs", type=int, default=None, metavar="N",
                       help="lay out the print edition on N processes (default: every core)")
    build.add_argument("-q", "--quiet", action="store_true",
                       help="print nothing but the manuscript's findings")
    build.set_defaults(run=_build)

    watch = commands.add_parser("watch", help="rebuild a book on every save")
    watch.add_argument("book_dir", type=Path, metavar="BOOK_DIR")
    watch.add_argument("-o", "--out", type=Path, default=Path("build"), metavar="OUT_DIR")
    watch.add_argument("--styles", type=Path, default=None, metavar="DIR", help=STYLES_HELP)
    watch.add_argument("--epub", action="store_true", help="rebuild only the EPUB")
    watch.add_argument("--pdf", action="store_true", help="rebuild only the print PDF")
    watch.add_argument("--interval", type=float, default=0.5, metavar="SECONDS",
                       help="how often to look for changes (default 0.5)")
    watch.add_argument("-q", "--quiet", action="store_true",
                       help="print nothing but the manuscript's findings and each rebuild's "
                            "outcome")
    watch.set_defaults(run=_watch)

    check = commands.add_parser("check", help="check a book's manuscript without building")
    check.add_argument("book_dir", type=Path, metavar="BOOK_DIR")
    check.add_argument("--format", choices=FORMATS, default="human",
                       help="human (default; in colour on a terminal), json or github")
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.add_argument("--styles", type=Path, default=None, metavar="DIR",
                       help=STYLES_HELP)
    check.set_defaults(run=_check)

    books = commands.add_parser("books", help="list the books under a folder and their names")
    books.add_argument("folder", type=Path, metavar="FOLDER")
    books.add_argument("--make", action="store_true", help="print make variables")
    books.set_defaults(run=_books)

    proof = commands.add_parser("proof", help="render a PDF as page spreads (PNG)")
    proof.add_argument("pdf", type=Path, metavar="PDF")
    proof.add_argument("-o", "--out", type=Path, default=Path("build/proof"), metavar="DIR")
    proof.add_argument("--dpi", type=int, default=60)
    proof.set_defaults(run=_proof)

    check_pdf = commands.add_parser("preflight", help="check a built PDF as a printer would")
    check_pdf.add_argument("pdf", type=Path, metavar="PDF")
    check_pdf.add_argument("--book", type=Path, required=True, metavar="BOOK_DIR")
    check_pdf.add_argument("--profile", choices=PROFILES, default=None)
    check_pdf.add_argument("--trim", default=None, metavar="SIZE",
                           help="the trim it was printed at, if not book.yaml's")
    check_pdf.set_defaults(run=_preflight)

    new = commands.add_parser("new", help="start a new book in a new folder")
    new.add_argument("folder", type=Path, metavar="FOLDER")
    new.add_argument("--title", default=None, help="the title (default: from the folder name)")
    new.add_argument("--author", default="Your Name")
    new.set_defaults(run=_new)

    rules = commands.add_parser("rules", help="list every check rule as a Markdown table")
    rules.set_defaults(run=lambda _args: print(catalogue_markdown(), end="") or EXIT_OK)

    validate = commands.add_parser("validate", help="run EPUBCheck and DAISY Ace on an EPUB")
    validate.add_argument("epub", type=Path, metavar="EPUB")
    validate.add_argument("--book", type=Path, metavar="BOOK_DIR",
                          help="the book's folder: findings then point at its Markdown files")
    validate.add_argument("--no-ace", action="store_true", help="do not run DAISY Ace")
    validate.add_argument("--kindle", action="store_true",
                          help="also convert to AZW3 with Calibre and look for every chapter "
                               "(needs --book)")
    validate.add_argument("--format", choices=FORMATS, default="human")
    validate.set_defaults(run=_validate)
    return parser


def _book_dirs(path: Path) -> list[Path]:
    books = find_books(path)
    if not books:
        raise ToolError(f"{path}: no book.yaml here or in its sub-folders")
    return books


FORMATS = ("human", "json", "github")


def _report(diagnostics: Sequence[Diagnostic], fmt: str = "human") -> None:
    """Human findings go to stderr, like a compiler's; json and github ones to stdout."""
    if fmt == "json":
        print(json.dumps(as_json(diagnostics), ensure_ascii=False, indent=2))
    elif fmt == "github":
        for diag in diagnostics:
            print(format_github(diag))
    else:
        colour = sys.stderr.isatty() and "NO_COLOR" not in os.environ
        for diag in diagnostics:
            print(format_diagnostic(diag, colour=colour), file=sys.stderr)


def _build(args: argparse.Namespace) -> int:
    formats = [f for f in pipeline.FORMATS if getattr(args, f)] or list(pipeline.FORMATS)
    styles = args.styles or default_styles()
    status = EXIT_OK
    for book_dir in _book_dirs(args.book_dir):
        if args.theme and not (styles / "themes" / f"{args.theme}.css").is_file():
            raise ToolError(f"there is no theme {args.theme!r} in {styles / 'themes'}")
        if not _build_one(book_dir, args.out, styles, formats, profile=args.profile,
                          theme=args.theme, trim=args.trim, workers=args.jobs,
                          quiet=args.quiet):
            status = EXIT_ERRORS
    return status


def _build_one(book_dir: Path, out: Path, styles: Path, formats: Sequence[str], *,
               profile: str | None = None, theme: str | None = None,
               trim: str | None = None, workers: int | None = None, quiet: bool = False
               ) -> bool:
    """Build one book, reporting as the build command does; whether it was built."""
    from publish.progress import TerminalProgress, silent

    show = sys.stderr.isatty() and not quiet and "NO_COLOR" not in os.environ
    with TerminalProgress() if show else contextlib.nullcontext(silent) as progress:
        try:
            result = pipeline.build(book_dir, out, styles=styles, formats=formats,
                                    profile=profile, theme=theme, trim=trim, workers=workers,
                                    progress=progress)
        except PublishError as err:
            _report(err.diagnostics)
            print(f"{book_dir}: not built: {summary(err.diagnostics)}", file=sys.stderr)
            return False
    _report(result.diagnostics)
    if quiet:
        return True
    if result.up_to_date:
        print(f"{book_dir}: up to date ({', '.join(p.name for p in result.outputs.values())})")
        return True
    for fmt, path in result.outputs.items():
        extra = {"pdf": f" ({result.pdf_pages} pages)",
                 "epub": f" ({result.page_markers} print page markers)"}.get(fmt, "")
        print(f"wrote {path}{extra}")
    for path in result.removed:
        print(f"removed {path} (an earlier build's, under the book's old name)")
    if result.pages_missed:
        print(f"{book_dir}: warning: the EPUB has no marker for print pages "
              f"{', '.join(result.pages_missed)}: their text was not found",
              file=sys.stderr)
    return True


def _watch(args: argparse.Namespace) -> int:
    """Build, then build again whenever a file of the book or the styles changes; findings
    are shown and the watch goes on, however broken the manuscript is for a while."""
    import time

    from publish.watch import changed_files, snapshot

    styles = args.styles or default_styles()
    formats = [f for f in ("epub", "pdf") if getattr(args, f)] or list(pipeline.FORMATS)
    folders = [args.book_dir, styles]
    seen = snapshot(folders, exclude=[args.out])
    changed: list[str] = ["(first build)"]
    while True:
        if changed:
            shown = ", ".join(changed[:5]) + (f" and {len(changed) - 5} more"
                                              if len(changed) > 5 else "")
            if not args.quiet:
                print(f"changed: {shown}", flush=True)
            start = time.monotonic()
            built = _build_one(args.book_dir, args.out, styles, formats, quiet=args.quiet)
            took = time.monotonic() - start
            print(f"{'built' if built else 'not built'} in {took:.1f} s; watching "
                  f"{args.book_dir} (Ctrl-C to stop)", flush=True)
        time.sleep(args.interval)
        now = snapshot(folders, exclude=[args.out])
        changed = changed_files(seen, now)
        seen = now


def _report_groups(groups: Iterable[tuple[str, list[Diagnostic]]], fmt: str
                   ) -> list[Diagnostic]:
    """Report each group as it comes (a summary line after each), or all at once as JSON;
    return every finding."""
    found: list[Diagnostic] = []
    for label, diagnostics in groups:
        found += diagnostics
        if fmt != "json":
            _report(diagnostics, fmt)
            print(f"{label}: {summary(diagnostics)}", file=sys.stderr)
    if fmt == "json":
        _report(found, "json")
    return found


def _check(args: argparse.Namespace) -> int:
    styles = args.styles or default_styles()
    groups = ((str(book_dir), pipeline.check(book_dir, styles)[1])
              for book_dir in _book_dirs(args.book_dir))
    found = _report_groups(groups, args.format)
    failed = any(d.is_error or args.strict for d in found)
    return EXIT_ERRORS if failed else EXIT_OK


def _books(args: argparse.Namespace) -> int:
    """Print each book's output name and folder (as make variables with --make)."""
    for book_dir in _book_dirs(args.folder):
        try:
            name = load_book(book_dir)[0].name
        except PublishError:  # unreadable book.yaml: `make` will show why when it builds
            name = book_dir.resolve().name
        if args.make:
            print(f"BOOKS += {name}\nBOOK_DIR_{name} := {book_dir}")
        else:
            print(f"{name}\t{book_dir}")
    return EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    if not args.epub.is_file():
        raise ToolError(f"{args.epub}: no such file")
    book = load_book(args.book)[0] if args.book else None
    checkers = [("EPUBCheck", run_epubcheck)] + ([] if args.no_ace else [("Ace", run_ace)])
    if args.kindle:
        if args.book is None:
            raise ToolError("--kindle needs --book: the chapters to look for come from it")
        from publish.pdf.preflight import last_words

        chapters = [(c.title, last_words(c)) for c in pipeline.prepare(args.book).chapters]
        checkers.append(("Kindle (Calibre AZW3)",
                         lambda epub: run_kindle_check(epub, chapters)))
    groups = ((f"{args.epub}: {name}", to_diagnostics(run(args.epub), args.epub, book))
              for name, run in checkers)
    found = _report_groups(groups, args.format)
    # EPUBCheck's usage notes and Ace's moderate findings count too: a clean EPUB has none.
    return EXIT_ERRORS if found else EXIT_OK


def _preflight(args: argparse.Namespace) -> int:
    import dataclasses

    from publish.pdf.preflight import (
        front_matter_texts,
        last_words,
        notes_of,
        preflight,
        running_text,
    )
    from publish.printing import parse_trim

    if not args.pdf.is_file():
        raise ToolError(f"{args.pdf}: no such file")
    checked = pipeline.prepare(args.book)
    settings = checked.book.print_settings
    if args.profile:
        settings = dataclasses.replace(settings, profile=args.profile)
    if args.trim:
        trim = parse_trim(args.trim)
        if trim is None:
            raise ToolError(f"{args.trim!r} is not a trim size")
        settings = dataclasses.replace(settings, trim=trim)
    texts = [*front_matter_texts(checked.book),
             *((str(c.chapter.path), running_text(c)) for c in checked.chapters)]
    notes = [(f"{c.chapter.path} (a note)", note) for c in checked.chapters
             for note in notes_of(c)]
    problems = preflight(args.pdf, settings, last_words(checked.chapters[-1]), texts, notes)
    for problem in problems:
        print(f"{args.pdf}: error[preflight]: {problem}", file=sys.stderr)
    print(f"{args.pdf}: preflight: {len(problems)} problems", file=sys.stderr)
    far = _typography(args.pdf)
    return EXIT_ERRORS if problems or far else EXIT_OK


def _typography(pdf: Path) -> bool:
    """Print the typographic report the build that wrote this very PDF recorded; whether
    a figure is far outside its target in a book set by total fit (the limits:
    publish.pdf.typeset.report.FAR)."""
    from publish.uptodate import facts_of

    facts = facts_of(pdf) or {}
    found = facts.get("typography")
    if not found:
        print(f"{pdf}: typography: no report (it is made when `publish build` writes the PDF)",
              file=sys.stderr)
        return False
    for line in found["lines"]:
        print(f"{pdf}: typography: {line}", file=sys.stderr)
    far = found.get("far", []) if facts.get("total_fit") else []
    for name in far:
        print(f"{pdf}: error[typography]: {name} is far outside its target", file=sys.stderr)
    return bool(far)


def _proof(args: argparse.Namespace) -> int:
    from publish.pdf.proof import make_proof

    if not args.pdf.is_file():
        raise ToolError(f"{args.pdf}: no such file")
    written = make_proof(args.pdf, args.out, args.dpi)
    print(f"wrote {len(written)} spreads into {args.out}")
    return EXIT_OK


def _new(args: argparse.Namespace) -> int:
    """Write a book that builds clean: book.yaml with every key (the optional ones commented
    out) and one chapter."""
    import datetime
    import uuid

    from publish.templating import render

    folder: Path = args.folder
    if folder.exists() and any(folder.iterdir()):
        raise ToolError(f"{folder} is not empty; give a new folder")
    title = args.title or " ".join(folder.resolve().name.replace("_", "-").split("-")).title()
    book = render("new/book.yaml", title=title or "Untitled", author=args.author,
                  uuid=uuid.uuid4(), year=datetime.date.today().year, folder=folder)
    (folder / "chapters").mkdir(parents=True, exist_ok=True)
    (folder / "book.yaml").write_text(book, encoding="utf-8")
    (folder / "chapters" / "01.md").write_text(render("new/chapter.md"), encoding="utf-8")
    print(f"wrote {folder / 'book.yaml'} and {folder / 'chapters' / '01.md'}")
    return EXIT_OK


def default_styles() -> Path:
    """The styles folder: $PUBLISH_STYLES; else, in a checkout of the repository, its
    `styles/` beside `src/`; else the copy installed inside the package."""
    configured = os.environ.get("PUBLISH_STYLES")
    here = Path(__file__).resolve().parent
    candidates = ([Path(configured)] if configured
                  else [here.parents[1] / "styles"] * (here.parent.name == "src")
                  + [here / "styles"])
    for candidate in candidates:
        if (candidate / "base.css").is_file():
            return candidate
    raise ToolError(f"no styles found at {candidates[0]}; pass --styles DIR")


if __name__ == "__main__":
    sys.exit(main())
