"""Benchmark: how long the checks and each output take on a book, and the memory they use.

    python scripts/bench.py BOOK_DIR [--runs N]

Each figure is the median of N runs (default 5) in fresh processes, so imports are counted
the way an author meets them; `checks (in process)` leaves the interpreter's start-up out.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PUBLISH = [sys.executable, "-m", "publish"]


def timed(command: list[str]) -> tuple[float, int]:
    """Wall time of `command` and the peak memory (KiB) of the largest child so far."""
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def in_process_checks(book: Path, runs: int) -> list[float]:
    code = (
        "import sys, time; from pathlib import Path; from publish.build import check\n"
        "times = []\n"
        f"for _ in range({runs}):\n"
        "    start = time.perf_counter()\n"
        f"    check(Path({str(book)!r}), Path({str(ROOT / 'styles')!r}))\n"
        "    times.append(time.perf_counter() - start)\n"
        "print(' '.join(map(str, times)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True, cwd=ROOT).stdout
    return [float(x) for x in out.split()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("book", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    book = args.book.resolve()
    if not (book / "book.yaml").is_file():
        print(f"bench: no book at {book}", file=sys.stderr)
        return 2
    results: dict[str, object] = {"book": str(book)}
    results["checks in process (s)"] = statistics.median(in_process_checks(book, args.runs))
    results["publish check (s)"] = statistics.median(
        timed([*PUBLISH, "check", str(book)])[0] for _ in range(args.runs))
    with tempfile.TemporaryDirectory() as out, tempfile.TemporaryDirectory() as alone:
        # The print PDF first: its build records where the pages begin, for the EPUB.
        pdf_runs = [timed([*PUBLISH, "build", str(book), "-o", out, "--pdf"])
                    for _ in range(max(1, args.runs // 2))]
        results["publish build --pdf (s)"] = statistics.median(t for t, _ in pdf_runs)
        results["peak memory (MiB)"] = round(max(m for _, m in pdf_runs) / 1024)
        results["publish build --epub, after the PDF (s)"] = statistics.median(
            timed([*PUBLISH, "build", str(book), "-o", out, "--epub"])[0]
            for _ in range(args.runs))
        # Alone, the EPUB typesets the book to learn where the print pages begin.
        results["publish build --epub, alone (s)"] = timed(
            [*PUBLISH, "build", str(book), "-o", alone, "--epub"])[0]
        results["publish build --kepub, after the PDF (s)"] = timed(
            [*PUBLISH, "build", str(book), "-o", out, "--kepub"])[0]
        results["publish build --screen (s)"] = timed(
            [*PUBLISH, "build", str(book), "-o", out, "--screen"])[0]
        import pikepdf

        interior = next(p for p in Path(out).glob("*.pdf")
                        if not p.stem.endswith(("-cover", "-screen")))
        with pikepdf.open(interior) as pdf:
            results["PDF pages"] = len(pdf.pages)
    width = max(map(len, results))
    for key, value in results.items():
        shown = f"{value:.2f}" if isinstance(value, float) else value
        print(f"{key:<{width}}  {shown}")
    (ROOT / "build").mkdir(exist_ok=True)
    (ROOT / "build" / "bench.json").write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
