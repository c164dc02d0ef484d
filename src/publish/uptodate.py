"""Whether a build's outputs already match its inputs: the second `publish build` of an
unchanged book does nothing, in well under a second.

A build records, beside its outputs, a digest of everything it read — every file of the book's
folder (hidden ones aside), the styles folder, the code, the options and SOURCE_DATE_EPOCH —
and the digest of each output it wrote. The next build with the same digest, whose outputs
are all still there unchanged, reports the recorded findings and writes nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path

from publish.diagnostics import Diagnostic, Severity
from publish.files import write_atomically

FORMAT = 1


def inputs_digest(book_dir: Path, styles: Path, options: Iterable[object],
                  out_dir: Path | None = None) -> str:
    """A digest of everything a build of `book_dir` reads, and how it was asked for (the
    output folder, when it lies inside the book's, aside)."""
    code = Path(__file__).resolve().parent
    digest = hashlib.sha256(f"{FORMAT} {sorted(map(str, options))}".encode())
    digest.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode())
    for label, folder in (("book", book_dir), ("styles", styles), ("code", code)):
        for path in book_files(folder, out_dir):
            digest.update(f"{label}/{path.relative_to(folder).as_posix()}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def book_files(folder: Path, out_dir: Path | None = None) -> list[Path]:
    """Every file under `folder`, symlinks followed, names starting with `.` skipped (a
    book's .git, the build's own records), caches of Python and `out_dir` skipped."""
    skipped = out_dir.resolve() if out_dir is not None else None
    found = []
    for root, dirs, files in os.walk(folder, followlinks=True):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
        found += [Path(root) / name for name in sorted(files) if not name.startswith(".")]
    if skipped is None:
        return found
    return [path for path in found if not path.resolve().is_relative_to(skipped)]


def _record_path(out_dir: Path, book_dir: Path, options: Iterable[object]) -> Path:
    key = hashlib.sha256(f"{book_dir.resolve()} {sorted(map(str, options))}".encode())
    return out_dir / ".cache" / "builds" / f"{key.hexdigest()[:24]}.json"


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def recall(out_dir: Path, book_dir: Path, options: Iterable[object], digest: str
           ) -> dict | None:
    """The record of the last build with these inputs, if its outputs are all as it left
    them; else None."""
    options = list(options)
    try:
        record = json.loads(_record_path(out_dir, book_dir, options).read_text("utf-8"))
        if record.get("digest") != digest:
            return None
        for name, expected in record["outputs"].items():
            if _file_digest(out_dir / name) != expected:
                return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return record


def remember(out_dir: Path, book_dir: Path, options: Iterable[object], digest: str,
             outputs: dict[str, Path], facts: dict, diagnostics: Iterable[Diagnostic]) -> None:
    """Record a finished build (written whole, as every record is)."""
    options = list(options)
    record = {
        "digest": digest,
        "outputs": {path.name: _file_digest(path) for path in outputs.values()},
        "formats": {fmt: path.name for fmt, path in outputs.items()},
        "facts": facts,
        "diagnostics": [{"path": str(d.path), "line": d.line, "col": d.col, "code": d.code,
                         "severity": d.severity.value, "message": d.message, "hint": d.hint}
                        for d in diagnostics],
    }
    write_atomically(_record_path(out_dir, book_dir, options),
                     json.dumps(record).encode("utf-8"))


def remove_stale(out_dir: Path, book_dir: Path, options: Iterable[object],
                 outputs: dict[str, Path]) -> list[Path]:
    """The outputs the last build of this book with these options wrote, that this one did
    not (the book was retitled, so its file names changed), removed — each only if it is
    still as that build left it: a file publish did not write, or one changed since, is
    never touched. Returns those removed."""
    try:
        record = json.loads(_record_path(out_dir, book_dir, list(options)).read_text("utf-8"))
        earlier = dict(record["outputs"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return []
    written = {path.name for path in outputs.values()}
    removed = []
    for name, expected in earlier.items():
        path = out_dir / name
        if name in written or Path(name).name != name:
            continue
        try:
            if path.is_file() and _file_digest(path) == expected:
                path.unlink()
                removed.append(path)
        except OSError:
            continue
    return removed


def facts_of(output: Path) -> dict | None:
    """The facts the build that wrote `output` recorded (its page count, its typographic
    report…), if `output` is as that build left it; else None."""
    try:
        digest = _file_digest(output)
    except OSError:
        return None
    for path in sorted((output.parent / ".cache" / "builds").glob("*.json")):
        try:
            record = json.loads(path.read_text("utf-8"))
            if record["outputs"].get(output.name) == digest:
                return record["facts"]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            continue
    return None


def recorded_diagnostics(record: dict) -> tuple[Diagnostic, ...]:
    return tuple(Diagnostic(Path(d["path"]), d["line"], d["col"], d["code"],
                            Severity(d["severity"]), d["message"], d["hint"])
                 for d in record["diagnostics"])
