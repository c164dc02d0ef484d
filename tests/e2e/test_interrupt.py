"""Interrupted builds lose nothing, and two builds of one book at once do not corrupt each
other: the outputs of the last finished build stay byte for byte, and no temporary file is
left behind."""

from __future__ import annotations

import hashlib
import json
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pikepdf
import pytest

from tests.conftest import SAMPLE, STYLES

pytestmark = pytest.mark.slow


def _command(book: Path, out: Path, *formats: str) -> list[str]:
    return [sys.executable, "-m", "publish", "build", str(book), "-o", str(out),
            "--styles", str(STYLES), *formats]


def _digests(out: Path) -> dict[str, str]:
    """The outputs' digests (the hidden records and the layout cache are no outputs: an
    interrupted build may have added to them, whole, what it had finished)."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.iterdir()) if p.is_file() and not p.name.startswith(".")}


def _temporaries(out: Path) -> list[str]:
    """Anything a build writes on the way: scratch folders and half-written records, in the
    output folder or its layout cache."""
    names = {p.name for p in out.iterdir()}
    finished = {n for n in names if not n.startswith(".") or n.endswith(".pages.json")
                or n == ".cache"}
    cache = out / ".cache"
    scratch = [p.name for p in cache.rglob(".*")] if cache.is_dir() else []
    return sorted(names - finished) + scratch


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the sample book, built once into out/."""
    book = tmp_path / "book"
    subprocess.run(["cp", "-r", str(SAMPLE), str(book)], check=True)
    out = tmp_path / "out"
    subprocess.run(_command(book, out), check=True, capture_output=True)
    return book, out


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_an_interrupted_build_leaves_the_last_outputs_untouched(built, signum):
    book, out = built
    before = _digests(out)
    chapter = sorted((book / "chapters").glob("*.md"))[-1]
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nA new closing line.\n",
                       encoding="utf-8")
    build = subprocess.Popen(_command(book, out), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not any(p.name.startswith(".publish-") for p in out.iterdir()):
        assert build.poll() is None and time.monotonic() < deadline, "no build under way"
        time.sleep(0.02)
    time.sleep(0.3)  # into the typesetting
    build.send_signal(signum)
    _stdout, stderr = build.communicate(timeout=60)
    assert build.returncode == 128 + signum, stderr
    assert "Traceback" not in stderr and "interrupted" in stderr
    assert _digests(out) == before
    assert _temporaries(out) == []


def test_two_builds_at_once_give_what_one_build_gives(built, tmp_path):
    book, out = built
    alone = _digests(out)
    (tmp_path / "together").mkdir()
    together = tmp_path / "together"
    # As `make -j` runs them: the PDF rule and the EPUB rule of one book, twice over.
    builds = [subprocess.Popen(_command(book, together, fmt), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
              for fmt in ("--pdf", "--epub", "--pdf", "--epub")]
    for build in builds:
        _stdout, stderr = build.communicate(timeout=300)
        assert build.returncode == 0, stderr
    assert _temporaries(together) == []
    for path in together.iterdir():
        if path.suffix == ".epub":
            with zipfile.ZipFile(path) as archive:
                assert archive.testzip() is None
        elif path.suffix == ".pdf":
            with pikepdf.open(path) as pdf:
                assert len(pdf.pages) > 0
        elif path.name.endswith(".pages.json"):
            assert json.loads(path.read_text(encoding="utf-8"))["pages"]
    assert len(_digests(together)) == 3  # the PDF, its cover wrap and the EPUB
    made = _digests(together)
    assert made == {name: digest for name, digest in alone.items() if name in made}
