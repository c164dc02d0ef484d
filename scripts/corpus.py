"""Build every book of a corpus as a user builds it, and hold each to the checkers.

    python scripts/corpus.py [CORPUS] [--out build/corpus] [--books a,b] [--no-ace]

For each book (a folder with book.yaml) under CORPUS (default ../shared/corpora): its print
PDF and EPUB at its own trim and in its own theme, its PDF at 5 x 8 in and 6 x 9 in, and
its PDF and EPUB in the modern theme, each by `publish build` into build/corpus/<folder>/
(the invariants are checked by every build: a build that breaks one fails); EPUBCheck and
DAISY Ace on its EPUB, EPUBCheck on the modern one; `publish preflight` on every PDF, which
prints the typographic report. Then a table: pages, build time, invariants, validators,
preflight problems and the report's figures, per book. Exit 1 if anything failed (a
report figure off its target is shown, not failed: preflight fails only what is far off).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STYLES = ROOT / "styles"
PUBLISH = [sys.executable, "-m", "publish"]
EDITIONS = (("own", ["--pdf", "--epub"]), ("5x8", ["--pdf", "--trim", "5x8"]),
            ("6x9", ["--pdf", "--trim", "6x9"]),
            ("modern", ["--pdf", "--epub", "--theme", "modern"]))
FIGURES = ("hyphenated", "ladders", "page_end_hyphens", "widows", "orphans", "runts", "loose",
           "spread", "uneven_spreads", "fallbacks")


def run(command: list[str]) -> tuple[int, str, float]:
    start = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    return done.returncode, done.stdout + done.stderr, time.monotonic() - start


def book_name(book: Path) -> str:
    return subprocess.run([*PUBLISH, "books", str(book)], capture_output=True, text=True,
                          check=True, cwd=ROOT).stdout.split("\t")[0]


def one_book(book: Path, out: Path, ace: bool) -> dict:
    """Every edition of `book`, checked: what the table shows of it."""
    name = book_name(book)
    found: dict = {"book": book.name, "failures": []}
    for edition, flags in EDITIONS:
        code, said, took = run([*PUBLISH, "build", str(book), "-o", str(out), "--styles",
                                str(STYLES), "-q", *flags])
        found[f"{edition} seconds"] = round(took, 1)
        if code:
            found["failures"].append(f"{edition}: build failed: "
                                     + " | ".join(said.strip().splitlines()[-6:]))
            continue
        stem = name + {"own": "", "modern": "-modern"}.get(edition, f"-{edition}")
        pdf = out / f"{stem}.pdf"
        check = [*PUBLISH, "preflight", str(pdf), "--book", str(book)]
        if edition in ("5x8", "6x9"):
            check += ["--trim", edition]
        code, said, _took = run(check)
        problems = re.findall(r"error\[(?:preflight|typography)\]: (.*)", said)
        found[f"{edition} preflight"] = len(problems)
        if code:
            found["failures"] += [f"{edition}: preflight: {p}" for p in problems]
        facts = _facts(pdf)
        found[f"{edition} pages"] = facts.get("pages")
        if edition == "own":
            figures = (facts.get("typography") or {}).get("figures", {})
            found["report"] = {k: figures.get(k) for k in FIGURES}
            found["misses"] = (facts.get("typography") or {}).get("misses", [])
        if "--epub" in flags:
            epub = out / f"{stem}.epub"
            check = [*PUBLISH, "validate", str(epub), "--book", str(book)]
            if edition != "own" or not ace:
                check.append("--no-ace")
            code, said, _took = run(check)
            counts = re.findall(r": (EPUBCheck|Ace): (\d+) errors?, (\d+) warnings?", said)
            found[f"{edition} epub"] = ", ".join(f"{tool} {e}/{w}" for tool, e, w in counts)
            if code:
                found["failures"].append(f"{edition}: EPUB: "
                                         + " | ".join(said.strip().splitlines()[-6:]))
    return found


def _facts(pdf: Path) -> dict:
    """What the build that wrote `pdf` recorded of it."""
    sys.path.insert(0, str(ROOT / "src"))
    from publish.uptodate import facts_of

    return facts_of(pdf) or {}


def table(results: list[dict]) -> str:
    """The results as a Markdown table."""
    rows = ["| book | pages (own, 5x8, 6x9, modern) | seconds (own) | EPUB (own; modern) "
            "| preflight problems | " + " | ".join(FIGURES) + " | failures |",
            "|---" * (6 + len(FIGURES)) + "|"]
    for r in results:
        pages = ", ".join(str(r.get(f"{e} pages", "–")) for e, _f in EDITIONS)
        problems = sum(r.get(f"{e} preflight", 0) for e, _f in EDITIONS)
        report = r.get("report", {})
        shown = [f"{v:.1%}" if k in ("hyphenated", "page_end_hyphens", "runts", "loose")
                 and v is not None else f"{v:.2f}" if k == "spread" and v is not None
                 else str(v) for k, v in report.items()]
        rows.append(f"| {r['book']} | {pages} | {r.get('own seconds', '–')} | "
                    f"{r.get('own epub', '–')}; {r.get('modern epub', '–')} | {problems} | "
                    + " | ".join(shown or ["–"] * len(FIGURES))
                    + f" | {len(r['failures'])} |")
    return "\n".join(rows) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, nargs="?",
                        default=ROOT.parent / "shared" / "corpora")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "corpus")
    parser.add_argument("--books", default="", help="only these folders (comma-separated)")
    parser.add_argument("--no-ace", action="store_true", help="do not run DAISY Ace")
    args = parser.parse_args()
    books = sorted(p.parent for p in args.corpus.glob("*/book.yaml"))
    if args.books:
        books = [b for b in books if b.name in args.books.split(",")]
    if not books:
        print(f"no books under {args.corpus}", file=sys.stderr)
        return 1
    results = []
    for book in books:
        print(f"{book.name}: building …", file=sys.stderr, flush=True)
        result = one_book(book.resolve(), (args.out / book.name).resolve(), not args.no_ace)
        results.append(result)
        for failure in result["failures"]:
            print(f"{book.name}: FAILED: {failure}", file=sys.stderr)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "corpus.json").write_text(json.dumps(results, indent=1) + "\n")
    (args.out / "corpus.md").write_text(table(results))
    print(table(results))
    failed = [r["book"] for r in results if r["failures"]]
    print(f"{len(results)} books, {len(failed)} with failures"
          + (f": {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
