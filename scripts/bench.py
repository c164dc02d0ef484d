"""Benchmark: `publish` beside Pandoc on one book, side by side in one run.

    python scripts/bench.py BOOK_DIR [--runs N] [--illustrated-chapters N]

Every figure is the median of N runs (default 3) in fresh processes, the runs of `publish`
and of the baselines interleaved so that a busy machine slows both alike; the ratios are what
to quote. The baselines: Pandoc's pair (its EPUB, and its PDF through WeasyPrint, from the
PyPI package pypandoc-binary) and one single-process WeasyPrint layout of our own whole-book
HTML. Peak memory is the largest resident size of any one process a run started. Results go
to build/bench.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PUBLISH = [sys.executable, "-m", "publish"]
# Runs a command and prints the peak resident size (KiB) of the largest process it started.
PEAK = ("import resource, subprocess, sys\n"
        "done = subprocess.run(sys.argv[1:], capture_output=True)\n"
        "sys.stderr.buffer.write(done.stderr[-2000:])\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "sys.exit(done.returncode)\n")
WHOLE_BOOK = (
    "import sys; from pathlib import Path\n"
    "from publish.build import build_time, prepare\n"
    "from publish.pdf.edition import whole_book_layout\n"
    "from publish.printing import estimate_pages\n"
    "checked = prepare(Path(sys.argv[1]), Path(sys.argv[2]))\n"
    "book = checked.book\n"
    "pages = estimate_pages(book.print_settings, sum(len(c.chapter.text) for c in "
    "checked.chapters), len(checked.chapters))\n"
    "whole_book_layout(book, checked.chapters, styles=Path(sys.argv[2]), "
    "created=build_time(book), settings=book.print_settings, pages=pages)"
    ".write_pdf(sys.argv[3])\n")


def run(command: list[str], cwd: Path = ROOT) -> tuple[float, int]:
    """Wall time of `command` and the peak memory (MiB) of its largest process."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", PEAK, *command], capture_output=True,
                          text=True, cwd=cwd, env=env)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"bench: {' '.join(command)} failed:\n{done.stderr}")
    return elapsed, round(int(done.stdout.split()[-1]) / 1024)


def chapter_files(book: Path) -> list[Path]:
    sys.path.insert(0, str(ROOT / "src"))
    from publish.manuscript.load import load_book

    return [chapter.path for chapter in load_book(book)[0].chapters]


def pandoc_pair(book: Path, out: Path) -> list[list[str]]:
    """Pandoc's EPUB and its WeasyPrint PDF of the same chapters."""
    import pypandoc

    pandoc = pypandoc.get_pandoc_path()
    chapters = [str(p) for p in chapter_files(book)]
    common = [pandoc, "--metadata-file", str(book / "book.yaml"), "--toc",
              f"--resource-path={book}:{book / 'chapters'}", *chapters]
    return [[*common, "-o", str(out / "pandoc.epub")],
            [*common, "--pdf-engine=weasyprint", "-o", str(out / "pandoc.pdf")]]


def first_fit_copy(book: Path, target: Path) -> Path:
    """A copy of `book` set with WeasyPrint's own first fit (`print: line-breaks`)."""
    shutil.copytree(book, target)
    config = yaml.safe_load((target / "book.yaml").read_text(encoding="utf-8"))
    config.setdefault("print", {})["line-breaks"] = "first-fit"
    (target / "book.yaml").write_text(yaml.safe_dump(config, allow_unicode=True),
                                      encoding="utf-8")
    return target


WORDS = ("the of and to a in that was her his it with as had for not be she he by on at "
         "which you all have from this were they been would their said could").split()
HEAD = ("title: Bounds\nauthor: A. Writer\nlang: en\n"
        "identifier: urn:uuid:2f1c9a4e-8b7d-4c3a-9e21-5a6b7c8d9e0f\n")


def _book(root: Path, chapters: list[str]) -> Path:
    (root / "chapters").mkdir(parents=True)
    (root / "book.yaml").write_text(HEAD, encoding="utf-8")
    for number, text in enumerate(chapters, 1):
        (root / "chapters" / f"{number:03d}.md").write_text(
            f"# Chapter {number}\n\n{text}\n", encoding="utf-8")
    return root


def _words(count: int, seed: int = 0) -> str:
    return " ".join(WORDS[(seed + i * 7) % len(WORDS)] for i in range(count)).capitalize()


def paragraph_book(root: Path, kilobytes: int) -> Path:
    """One chapter of one paragraph of about `kilobytes` kB."""
    return _book(root, [_words(kilobytes * 1000 // 4) + "."])


def chapters_book(root: Path, chapters: int) -> Path:
    """`chapters` chapters of three paragraphs each."""
    return _book(root, ["\n\n".join(_words(120, c * 3 + k) + "." for k in range(3))
                        for c in range(chapters)])


def nested_book(root: Path, depth: int) -> Path:
    """Quotations nested `depth` deep, with a list and code at the bottom."""
    inner = "\n".join("> " * depth + line for line in
                      [_words(40) + ".", "", "- " + _words(10), "", "    code line"])
    return _book(root, [_words(60) + ".\n\n" + inner])


BOUNDS = [("a paragraph of 250 kB", 250, paragraph_book), ("a paragraph of 500 kB", 500,
                                                             paragraph_book),
          ("a paragraph of 1000 kB", 1000, paragraph_book),
          ("a paragraph of 2000 kB", 2000, paragraph_book),
          ("100 chapters", 100, chapters_book), ("200 chapters", 200, chapters_book),
          ("400 chapters", 400, chapters_book),
          ("quotes nested 8 deep", 8, nested_book), ("quotes nested 60 deep", 60, nested_book)]
"""Generated books of growing size: time per unit (kB, chapter, level) should stay flat."""


def median_of(runs: int, measure: Callable[[int], tuple[float, int]]) -> tuple[float, int]:
    times, peaks = [], []
    for index in range(runs):
        elapsed, peak = measure(index)
        times.append(elapsed)
        peaks.append(peak)
    return statistics.median(times), max(peaks)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("book", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--illustrated-chapters", type=int, default=14,
                        help="chapters of the generated illustrated book (3 engravings each)")
    parser.add_argument("--corpus", type=Path, default=None,
                        help="also time each book of this folder: total fit against first fit")
    parser.add_argument("--bounds", action="store_true",
                        help="also time generated books of growing size: a paragraph of "
                             "250 kB to 2 MB, 100 to 400 chapters, quotes nested 8 to 60 deep")
    args = parser.parse_args()
    book = args.book.resolve()
    if not (book / "book.yaml").is_file():
        print(f"bench: no book at {book}", file=sys.stderr)
        return 2
    styles = ROOT / "styles"
    work = Path(tempfile.mkdtemp(prefix="publish-bench-"))
    figures: dict[str, dict[str, float]] = {}
    peak = 0

    def pair(name: str, ours: Callable[[int], list[str]], theirs: Callable[[int], list[
            list[str]]] | None, target: float | None, *, cwd: Path = ROOT,
             baseline: bool = False) -> None:
        """Time `ours` and `theirs` (several commands, one after another) alternately. The
        peak memory counts `publish` alone (not `ours` when it is itself a `baseline`)."""
        nonlocal peak
        ours_times, their_times = [], []
        for index in range(args.runs):
            elapsed, memory = run(ours(index), cwd)
            ours_times.append(elapsed)
            if not baseline:
                peak = max(peak, memory)
            if theirs is not None:
                their_times.append(sum(run(command, cwd)[0] for command in theirs(index)))
        entry = {"publish (s)": statistics.median(ours_times)}
        if their_times:
            entry["baseline (s)"] = statistics.median(their_times)
            entry["ratio"] = entry["publish (s)"] / entry["baseline (s)"]
        if target is not None:
            entry["target ratio"] = target
        figures[name] = entry
        print(f"  {name}: " + ", ".join(f"{k} {v:.2f}" for k, v in entry.items()),
              file=sys.stderr)

    def fresh(index: int, label: str) -> Path:
        path = work / f"{label}-{index}"
        shutil.rmtree(path, ignore_errors=True)
        return path

    def pandoc(label: str, source: Path) -> Callable[[int], list[list[str]]]:
        def commands(index: int) -> list[list[str]]:
            out = fresh(index, label)
            out.mkdir(parents=True)
            return pandoc_pair(source, out)
        return commands

    print(f"bench: {book} ({args.runs} runs each)", file=sys.stderr)
    pair("print PDF + EPUB, cold", lambda i: [*PUBLISH, "build", str(book), "-o",
                                              str(fresh(i, "pair")), "--pdf", "--epub"],
         pandoc("pandoc", book), 0.6)
    pair("every output, cold", lambda i: [*PUBLISH, "build", str(book), "-o",
                                          str(fresh(i, "all"))],
         pandoc("pandoc-all", book), 1.0)
    cold_all = figures["every output, cold"]["publish (s)"]

    # Our line breaking (each paragraph set as a whole) beside WeasyPrint's own first fit:
    # the same book with `print: line-breaks: first-fit`.
    first_fit = first_fit_copy(book, work / "first-fit")
    pair("print PDF alone, cold: total fit against first fit",
         lambda i: [*PUBLISH, "build", str(book), "-o", str(fresh(i, "tf")), "--pdf"],
         lambda i: [[*PUBLISH, "build", str(first_fit), "-o", str(fresh(i, "ff")), "--pdf"]],
         1.25)

    # A one-word edit: a copy of the book, built once; each run changes one word of its
    # first chapter and builds every output again.
    edited = work / "edited"
    shutil.copytree(book, edited)
    warm = work / "warm"
    run([*PUBLISH, "build", str(edited), "-o", str(warm)])
    first = chapter_files(edited)[0]
    original = first.read_text(encoding="utf-8")

    def one_word(index: int) -> list[str]:
        words = original.split(" ")
        middle = len(words) // 2 + index
        words[middle] = words[middle][::-1] or "x"
        first.write_text(" ".join(words), encoding="utf-8")
        return [*PUBLISH, "build", str(edited), "-o", str(warm)]

    pair("every output after a one-word edit", one_word, None, None)
    figures["every output after a one-word edit"]["ratio to cold"] = (
        figures["every output after a one-word edit"]["publish (s)"] / cold_all)
    figures["every output after a one-word edit"]["target ratio"] = 0.10
    pair("publish build again, nothing changed",
         lambda _i: [*PUBLISH, "build", str(edited), "-o", str(warm)], None, None)
    pair("EPUB alone, cold", lambda i: [*PUBLISH, "build", str(book), "-o",
                                        str(fresh(i, "epub")), "--epub"], None, None)
    pair("checks alone", lambda _i: [*PUBLISH, "check", str(book)], None, None)
    pair("whole-book WeasyPrint layout, one process",
         lambda i: [sys.executable, "-c", WHOLE_BOOK, str(book), str(styles),
                    str(work / f"whole-{i}.pdf")], None, None, baseline=True)

    sys.path.insert(0, str(ROOT / "scripts"))
    from illustrated import write_book

    illustrated = write_book(work / "illustrated", chapters=args.illustrated_chapters)
    pair("illustrated generated book, every output, cold",
         lambda i: [*PUBLISH, "build", str(illustrated), "-o", str(fresh(i, "ill"))],
         pandoc("pandoc-ill", illustrated), 1.0)
    for other in sorted(p.parent for p in args.corpus.glob("*/book.yaml")) if args.corpus \
            else ():
        plain = first_fit_copy(other, work / f"ff-{other.name}")
        pair(f"{other.name}: print PDF cold, total ÷ first fit",
             lambda i, o=other: [*PUBLISH, "build", str(o), "-o", str(fresh(i, "ctf")), "--pdf"],
             lambda i, o=plain: [[*PUBLISH, "build", str(o), "-o", str(fresh(i, "cff")),
                                  "--pdf"]], 1.25)
    if args.bounds:
        for label, size, maker in BOUNDS:
            source = maker(work / f"bound-{label}", size)
            pair(f"bounded: {label}, print PDF cold",
                 lambda i, b=source: [*PUBLISH, "build", str(b), "-o", str(fresh(i, "bd")),
                                      "--pdf"], None, None)
            figures[f"bounded: {label}, print PDF cold"]["per unit (s)"] = (
                figures[f"bounded: {label}, print PDF cold"]["publish (s)"] / size)
    figures["peak RSS of the largest process (MB)"] = {"publish": peak, "target": 300}

    print()
    print(f"{'figure':<52} {'publish':>9} {'baseline':>9} {'ratio':>7} {'target':>7}")
    for name, entry in figures.items():
        if "publish" in entry:
            print(f"{name:<52} {entry['publish']:>9} {'':>9} {'':>7} {entry['target']:>7}")
            continue
        ratio = entry.get("ratio", entry.get("ratio to cold"))
        baseline = entry.get("baseline (s)")
        print(f"{name:<52} {entry['publish (s)']:>8.2f}s "
              f"{'' if baseline is None else f'{baseline:.2f}s':>9} "
              f"{'' if ratio is None else f'{ratio:.2f}':>7} "
              f"{entry.get('target ratio', ''):>7}")
    (ROOT / "build").mkdir(exist_ok=True)
    (ROOT / "build" / "bench.json").write_text(
        json.dumps({"book": str(book), "runs": args.runs, "figures": figures}, indent=2) + "\n")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
