"""Writing files whole (every output, record and cache entry goes through here), and what
says a file changed."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path


def write_atomically(target: Path, data: bytes) -> None:
    """Write `target` whole or not at all: through a file of its own beside it, renamed into
    place, so that an interrupted build or a second build at the same time never leaves a
    half-written file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, scratch = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    os.fchmod(handle, 0o644)  # as any other output (mkstemp makes it private)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(scratch, target)
    except BaseException:
        Path(scratch).unlink(missing_ok=True)
        raise


def stamps(paths: Sequence[Path]) -> tuple[int, ...]:
    """Each file's modification time (0 for none): part of the key of anything read from
    these files and kept for the process, so that `publish watch` sees an edit."""
    return tuple(path.stat().st_mtime_ns if path.is_file() else 0 for path in paths)
