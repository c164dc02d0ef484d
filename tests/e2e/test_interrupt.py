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

from tests.conftest import MINIMAL_YAML, SAMPLE, STYLES

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


def _children(pid: int) -> set[int]:
    """The processes `pid` started (its workers), read from /proc."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_build_killed_outright_leaves_no_worker_running(tmp_path):
    """SIGKILL gives the build no chance to stop its workers: they end because their parent
    did (PR_SET_PDEATHSIG), not orphaned to go on laying out a chapter no one will join."""
    book = tmp_path / "book"
    (book / "chapters").mkdir(parents=True)
    (book / "book.yaml").write_text(MINIMAL_YAML, encoding="utf-8")
    words = ("the tide came in over the flats while the gulls argued on the wall " * 14000)
    (book / "chapters" / "01.md").write_text(f"# One\n\n{words}\n", encoding="utf-8")
    build = subprocess.Popen(_command(book, tmp_path / "out", "--pdf", "-j", "2"),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not (tmp_path / "out").is_dir() or not any(
            p.name.startswith(".publish-") for p in (tmp_path / "out").iterdir()):
        assert build.poll() is None and time.monotonic() < deadline, "no build under way"
        time.sleep(0.05)
    time.sleep(2)  # the chapter's layout under way in a worker
    workers = _children(build.pid)
    assert workers
    build.kill()
    build.wait(timeout=30)
    deadline = time.monotonic() + 3  # the chapter alone takes half a minute
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in workers if _alive(pid)]
