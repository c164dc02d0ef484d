"""`publish watch` rebuilds on every save, says what changed and how long it took, shows
findings without stopping, survives a manuscript broken for a while, and stops on Ctrl-C."""

from __future__ import annotations

import io
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest

from tests.conftest import SAMPLE, STYLES

pytestmark = pytest.mark.slow


def undated(epub: bytes) -> dict[str, bytes]:
    """The EPUB's files, its `dcterms:modified` (when the manuscript last changed) left out:
    a revert is a change of its own, dated as one."""
    with zipfile.ZipFile(io.BytesIO(epub)) as archive:
        return {name: re.sub(rb'(property="dcterms:modified">)[^<]*', rb"\1",
                             archive.read(name)) for name in archive.namelist()}


class Watcher:
    """`publish watch` in the background, its output read line by line."""

    def __init__(self, book: Path, out: Path, formats: tuple[str, ...] = ("--epub",)) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "publish", "watch", str(book), "-o", str(out), "--styles",
             str(STYLES), *formats, "--interval", "0.2"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line)

    def until(self, start: str, timeout: float = 120) -> list[str]:
        """Every line up to (and including) the first that begins with `start`."""
        seen = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                assert self.process.poll() is None, "".join(seen)
                continue
            seen.append(line)
            if line.startswith(start):
                return seen
        raise AssertionError(f"no line starting {start!r} in:\n{''.join(seen)}")


def test_watch_rebuilds_reports_and_survives_a_broken_manuscript(tmp_path):
    book = tmp_path / "book"
    shutil.copytree(SAMPLE, book)
    out = tmp_path / "out"
    watcher = Watcher(book, out)
    try:
        assert watcher.until("built")[-1].startswith("built in ")
        epub = next(out.glob("*.epub"))
        first = epub.read_bytes()
        chapter = sorted((book / "chapters").glob("*.md"))[1]
        text = chapter.read_text(encoding="utf-8")

        chapter.write_text(text + "\nA closing line.\n", encoding="utf-8")
        lines = watcher.until("built")
        assert any(line.startswith("changed: ") and chapter.name in line for line in lines)
        edited = epub.read_bytes()
        assert edited != first

        chapter.write_text("No heading at all.\n", encoding="utf-8")
        lines = watcher.until("not built")
        assert any("error[H001]" in line for line in lines)
        assert epub.read_bytes() == edited  # the last good EPUB stays

        chapter.write_text(text, encoding="utf-8")
        watcher.until("built")
        assert undated(epub.read_bytes()) == undated(first)
    finally:
        watcher.process.send_signal(signal.SIGINT)
        watcher.process.wait(timeout=30)
    assert watcher.process.returncode == 130
