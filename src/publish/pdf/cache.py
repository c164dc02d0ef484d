"""The layout cache: each unit's layout kept under `build/.cache/` by a digest of everything
it depends on (its HTML, the style sheets, the page geometry, its side, the code), so that a
second build lays out only what changed.

Entries are written whole (a scratch file renamed into place), so builds running at the
same time share the cache safely; an unreadable entry is a miss.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import time
from functools import cache
from pathlib import Path
from typing import TypeVar

from publish.files import write_atomically

T = TypeVar("T")

FORMAT = 2
"""Raised whenever what an entry holds changes shape."""


class LayoutCache:
    """Layouts (of units, of the furniture) and other plain records by key, in `folder`
    (None: keep nothing)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self._memory: dict[str, object] = {}
        """What this build has put: its later passes find it without reading it back."""

    def get(self, key: str, kind: type[T]) -> T | None:
        """The entry under `key` if it is there and of `kind`."""
        if isinstance(self._memory.get(key), kind):
            return self._memory[key]  # type: ignore[return-value]
        if self.folder is None:
            return None
        path = self.folder / f"{key}.entry"
        try:
            with path.open("rb") as stream:
                found = pickle.load(stream)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError,
                ValueError, ImportError):
            return None
        if not isinstance(found, kind):
            return None
        _touch(path)
        return found

    def put(self, key: str, layout: object) -> None:
        self._memory[key] = layout
        if self.folder is None:
            return
        write_atomically(self.folder / f"{key}.entry",
                         pickle.dumps(layout, protocol=pickle.HIGHEST_PROTOCOL))


KEEP_DAYS = 30
"""A cache entry unused for this long is removed (see prune)."""


def _touch(path: Path) -> None:
    """Mark an entry as used now, so that pruning keeps it. (If another build's pruning
    removed it meanwhile, it was read whole all the same.)"""
    with contextlib.suppress(OSError):
        os.utime(path)


def prune(folder: Path, days: float = KEEP_DAYS) -> int:
    """Remove the cache's entries (layouts, rasters) unused for `days`; return how many.
    Each build uses what it needs and touches it, so the cache holds the book's recent
    states rather than every state it ever had."""
    limit = time.time() - days * 86_400
    removed = 0
    for path in folder.rglob("*"):
        try:
            if path.suffix in (".entry", ".png") and path.stat().st_mtime < limit:
                path.unlink()
                removed += 1
        except OSError:
            continue  # another build removed it first
    return removed


LAYOUT_LIBRARIES = ("weasyprint", "pydyf", "tinycss2", "cssselect2", "uharfbuzz", "pyphen",
                    "fonttools", "lxml", "pillow", "resvg-py")
"""The distributions whose versions change a layout or the bytes written for it: the
layout engine and its PDF writer, CSS, shaping, hyphenation, fonts, markup and images."""


@cache
def code_version() -> str:
    """A digest of the code a layout comes from: every module of the package (any of them
    may change what a unit's HTML becomes) and the versions of the libraries that lay it
    out."""
    from importlib import metadata

    digest = hashlib.sha256(f"{FORMAT}".encode())
    for name in LAYOUT_LIBRARIES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "none"
        digest.update(f"{name} {version}\n".encode())
    package = Path(__file__).resolve().parents[1]
    for module in sorted(package.rglob("*.py")):
        digest.update(module.relative_to(package).as_posix().encode() + b"\0")
        digest.update(module.read_bytes())
    return digest.hexdigest()
