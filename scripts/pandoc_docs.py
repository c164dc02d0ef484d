"""Measure `publish` against Pandoc's own test documents.

Give it the `test/` folder of a checkout of jgm/pandoc; it reads the Markdown documents there
(testsuite.txt, tables.txt, pipe-tables.txt, markdown-reader-more.txt, as chapters: each split
at its top-level headings) and the small reader cases of `test/command/*.md` (those Pandoc reads
as its default Markdown, with no filter or extension switched), renders each by `publish` and by
Pandoc, and compares them as the conformance test does (tests/pandoc_structure.py). It prints
how many come out alike, per document, and `--show` prints the differences.

    .venv/bin/python scripts/pandoc_docs.py ../pandoc/test [--show] [--only NAME]

Nothing of Pandoc's is kept in this repository: the documents are read where they lie.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import contextlib
import itertools

from tests.unit.test_pandoc_conformance import compared, ours

from publish.checks import CheckInput, run_checks
from publish.manuscript.load import load_book
from publish.manuscript.markup import render_book

DOCUMENTS = ("testsuite.txt", "tables.txt", "pipe-tables.txt", "markdown-reader-more.txt")
_COMMAND = re.compile(r"^```\n% pandoc(?P<args>[^\n]*)\n(?P<input>.*?)\n\^D\n", re.S | re.M)
_READS_MARKDOWN = re.compile(r"^(\s+-f markdown)?(\s+-t [\w_]+)?(\s+-s)?\s*$")
_TOP = re.compile(r"^(# \S.*|[^\s].*\n=+[ \t]*)$", re.M)


def chapters(text: str) -> list[str]:
    """`text` split before each top-level heading (outside fenced code)."""
    cuts = [0]
    fenced = False
    lines = text.splitlines(keepends=True)
    offset = 0
    for number, line in enumerate(lines):
        if line.startswith(("```", "~~~")):
            fenced = not fenced
        following = lines[number + 1] if number + 1 < len(lines) else ""
        top = line.startswith("# ") or (line.strip() and not line[0].isspace()
                                        and re.fullmatch(r"=+[ \t]*\n?", following))
        if top and not fenced and offset:
            cuts.append(offset)
        offset += len(line)
    cuts.append(len(text))
    return [text[a:b] for a, b in itertools.pairwise(cuts) if text[a:b].strip()]


def command_cases(folder: Path) -> list[tuple[str, str]]:
    """The reader cases of test/command whose input Pandoc reads as its default Markdown."""
    found = []
    for path in sorted(folder.glob("command/*.md")):
        for number, match in enumerate(_COMMAND.finditer(path.read_text(encoding="utf-8"))):
            if _READS_MARKDOWN.match(match["args"]) and match["input"].strip():
                found.append((f"{path.stem}#{number + 1}", match["input"] + "\n"))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="jgm/pandoc's test/ folder")
    parser.add_argument("--show", action="store_true", help="print each difference")
    parser.add_argument("--only", help="only the cases whose name contains this")
    parser.add_argument("--warnings", action="store_true",
                        help="count `publish check`'s findings on each case instead")
    parser.add_argument("--code", help="with --warnings: print each finding of this code")
    args = parser.parse_args()
    families: dict[str, list[tuple[str, str]]] = {}
    for name in DOCUMENTS:
        path = args.folder / name
        if path.exists():
            parts = chapters(path.read_text(encoding="utf-8"))
            families[name] = [(f"{name}#{i + 1}", part) for i, part in enumerate(parts)]
    families["command/*.md"] = command_cases(args.folder)
    if args.warnings:
        return census(families, args.only, args.code)
    totals: Counter[str] = Counter()
    for family, cases in families.items():
        alike = 0
        for name, markdown in cases:
            if args.only and args.only not in name:
                continue
            totals["cases"] += 1
            try:
                (mine, my_notes), (theirs, their_notes) = compared(
                    markdown, Path(tempfile.mkdtemp()) / "book")
            except Exception as error:
                print(f"CRASH {name}: {error!r}")
                continue
            if (mine, my_notes) == (theirs, their_notes):
                alike += 1
                continue
            if args.show:
                print(f"DIFF {name}")
                for line in difflib.unified_diff(theirs, mine, "pandoc", "publish",
                                                 lineterm="", n=1):
                    print("   ", line)
                if my_notes != their_notes:
                    print("    notes (pandoc):", their_notes, "\n    notes (publish):", my_notes)
        totals["alike"] += alike
        print(f"{family}: {alike} of {len(cases)} alike")
    share = totals["alike"] / max(totals["cases"], 1)
    print(f"all: {totals['alike']} of {totals['cases']} alike ({share:.0%})")
    return 0


def census(families: dict[str, list[tuple[str, str]]], only: str | None,
           code: str | None) -> int:
    """Print how often each check speaks on the cases (and, for `code`, where)."""
    counts: Counter[str] = Counter()
    for cases in families.values():
        for name, markdown in cases:
            if only and only not in name:
                continue
            root = Path(tempfile.mkdtemp()) / "book"
            with contextlib.suppress(AssertionError):
                ours(markdown, root)
            book, problems = load_book(root)
            chapters, findings = render_book(book) if book else ([], [])
            found = [*problems, *findings]
            if book is not None:
                found += run_checks(CheckInput(book, chapters))
            lines = (root / "chapters" / "01.md").read_text(encoding="utf-8").splitlines()
            for finding in found:
                counts[finding.code] += 1
                if finding.code == code:
                    shown = lines[finding.line - 1] if 0 < finding.line <= len(lines) else ""
                    print(f"{name}:{finding.line}:{finding.col}: {finding.message}\n"
                          f"    {shown[:100]}")
    for found_code, count in sorted(counts.items()):
        print(f"{found_code}: {count}")
    print(f"all: {sum(counts.values())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
