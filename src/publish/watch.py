"""What changed in a book's folder since the last look: `publish watch` compares snapshots
of every file's size and modification time, twice a second.

A snapshot of a few hundred files costs about a millisecond, needs no native extension, and
sees changes on every file system (inotify-based watchers miss some on network and
container mounts), so polling is the simpler tool here.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

Snapshot = dict[str, tuple[int, int]]


def snapshot(folders: Sequence[Path], exclude: Sequence[Path] = ()) -> Snapshot:
    """Every file under `folders` but the `exclude`d folders (the build's own output),
    hidden files and folders, and editors' scratch files: size and mtime."""
    found: Snapshot = {}
    skipped = {os.path.realpath(path) for path in exclude}
    for folder in folders:
        for root, dirs, files in os.walk(folder, followlinks=True):
            dirs[:] = [d for d in dirs if not d.startswith(".") and d != "__pycache__"
                       and os.path.realpath(os.path.join(root, d)) not in skipped]
            for name in files:
                if is_scratch(name):
                    continue
                path = os.path.join(root, name)
                try:
                    stat = os.stat(path)
                except OSError:
                    continue  # removed while we looked
                found[path] = (stat.st_size, stat.st_mtime_ns)
    return found


_SCRATCH_ENDINGS = ("~", ".swp", ".swo", ".swx", ".tmp", ".bak", ".part", ".crswap")


def is_scratch(name: str) -> bool:
    """Whether a file name is a hidden file's or an editor's scratch file's (vim's `.x.swp`
    and `4913`, emacs's `#x#` and `x~`, LibreOffice's `.~lock`): a save, not a change."""
    return (name.startswith((".", "#")) or name.endswith(_SCRATCH_ENDINGS)
            or name == "4913")


def changed_files(before: Snapshot, after: Snapshot) -> list[str]:
    """The files added, removed or changed between two snapshots, sorted."""
    return sorted(path for path in before.keys() | after.keys()
                  if before.get(path) != after.get(path))
