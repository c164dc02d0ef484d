"""The digest of every output of some books, built cold in both themes: run it before and
after a change that must change no output, and compare.

    python scripts/digests.py BOOK_DIR... [--out FILE] [--against FILE] [--formats pdf,epub]

Each book is built into a fresh folder (no layout cache) with SOURCE_DATE_EPOCH fixed, once
in its own theme and once with `--theme` for each other theme; every file written is hashed
(SHA-256). `--out` writes the digests as JSON; `--against` compares them with an earlier
run's and exits 1 when any output differs or is missing.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STYLES = ROOT / "styles"
THEMES = sorted(path.stem for path in (STYLES / "themes").glob("*.css"))
EPOCH = "1700000000"


def digests(book: Path, formats: list[str], scratch: Path) -> dict[str, str]:
    """Output file name → SHA-256, for `book` built in every theme."""
    found: dict[str, str] = {}
    own = re.search(r"^theme:\s*(\S+)", (book / "book.yaml").read_text(), re.MULTILINE)
    for theme in [None, *(t for t in THEMES if t != (own.group(1) if own else "classic"))]:
        out = scratch / f"{book.name}-{theme or 'own'}"
        command = [sys.executable, "-m", "publish", "build", str(book), "-o", str(out),
                   "--styles", str(STYLES), "-q", *(f"--{fmt}" for fmt in formats)]
        if theme:
            command += ["--theme", theme]
        done = subprocess.run(command, env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH},
                              capture_output=True, text=True)
        label = f"{book.name} ({theme or 'own theme'})"
        if done.returncode:
            found[f"{label}: exit"] = f"{done.returncode} {done.stderr.strip()[-300:]}"
            continue
        for path in sorted(out.iterdir()):
            if path.is_file() and not path.name.startswith("."):  # records name the code
                found[f"{label}: {path.name}"] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("books", nargs="+", type=Path)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--against", type=Path)
    parser.add_argument("--formats", default="pdf,epub,screen,kepub")
    args = parser.parse_args()
    found: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="digests-") as scratch:
        for book in args.books:
            found.update(digests(book.resolve(), args.formats.split(","), Path(scratch)))
            print(f"{book}: done", file=sys.stderr, flush=True)
    if args.out:
        args.out.write_text(json.dumps(found, indent=1, sort_keys=True) + "\n")
    if args.against is None:
        for name, digest in found.items():
            print(f"{digest[:16]}  {name}")
        return 0
    before = json.loads(args.against.read_text())
    differ = sorted(name for name in before.keys() | found.keys()
                    if before.get(name) != found.get(name))
    for name in differ:
        print(f"differs: {name}: {before.get(name, '(none)')[:16]} → "
              f"{found.get(name, '(none)')[:16]}")
    print(f"{len(found)} outputs, {len(differ)} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
