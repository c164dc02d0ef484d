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


def inputs_digest(book_dir: Path, styles: Path, options: Iterable[object]) -> str:
    """A digest of everything a build of `book_dir` reads, and how it was asked for."""
    code = Path(__file__).resolve().parent
    digest = hashlib.sha256(f"{FORMAT} {sorted(map(str, options))}".encode())
    digest.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode())
    for label, folder in (("book", book_dir), ("styles", styles), ("code", code)):
        for path in _files(folder):
            digest.update(f"{label}/{path.relative_to(folder).as_posix()}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _files(folder: Path) -> list[Path]:
    """Every file under `folder`, symlinks followed, names starting with `.` skipped (a
    book's .git, the build's own records), caches of Python skipped."""
    found = []
    for root, dirs, files in os.walk(folder, followlinks=True):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
        found += [Path(root) / name for name in sorted(files) if not name.startswith(".")]
    return found


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
