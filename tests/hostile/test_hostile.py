"""The hostile suite: every manuscript in cases.py, built with the real `publish` command.

Each asserts the exact errors (code, file, line, column), the exit status, no traceback, no
request to the loopback server its URLs name, no byte of the planted files in any output, no
temporary file left behind, and that it finishes in bounded time.
"""

from __future__ import annotations

import base64
import http.server
import os
import re
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from tests.conftest import STYLES
from tests.hostile.cases import CASES, MARKER, Case, plant, png

TIMEOUT = 240
"""Seconds any one case may take: a hang is a failure too."""


class _Counter(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"p { color: red; }")

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[int, list[str]]]:
    """A loopback HTTP server that counts what is asked of it."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1], _Counter.hits
    httpd.shutdown()


def _fill(text: str | bytes, outside: Path, port: int) -> str | bytes:
    if isinstance(text, bytes):
        return text
    bomb = base64.b64encode(png(40000, 40000)).decode()
    return (text.replace("{OUTSIDE}", str(outside)).replace("{PORT}", str(port))
            .replace("{BOMB}", bomb))


def write_case(case: Case, where: Path, port: int) -> tuple[Path, Path]:
    """The case's book folder and the folder of planted files beside it."""
    book, outside = where / "book", where / "outside"
    plant(outside)
    book.mkdir()
    (book / "book.yaml").write_text(_fill(case.yaml, outside, port), encoding="utf-8")
    for name, content in case.files.items():
        path = book / name
        path.parent.mkdir(parents=True, exist_ok=True)
        filled = _fill(content, outside, port)
        if isinstance(filled, bytes):
            path.write_bytes(filled)
        else:
            path.write_text(filled, encoding="utf-8")
    if case.setup:
        case.setup(book, outside)
    return book, outside


def output_bytes(out: Path) -> Iterator[tuple[str, bytes]]:
    """Every output file's bytes, each EPUB's entries unzipped, each PDF's text extracted."""
    for path in sorted(out.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        yield path.name, data
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                for name in archive.namelist():
                    yield f"{path.name}/{name}", archive.read(name)
        if path.suffix == ".pdf":
            text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"],
                                  capture_output=True, check=True).stdout
            yield f"{path.name} (text)", text


_ERROR = re.compile(r"^book/(\S+?):(\d+):(\d+): error\[(\w+)\]", re.MULTILINE)


def params() -> list:
    return [pytest.param(case, id=case.name, marks=[pytest.mark.slow] if case.slow else [])
            for case in CASES]


@pytest.mark.parametrize("case", params())
def test_hostile_manuscript(case: Case, tmp_path: Path, server: tuple[int, list[str]]):
    port, hits = server
    before = len(hits)
    _book, outside = write_case(case, tmp_path, port)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "publish", "build", "book", "-o", str(out),
               "--styles", str(STYLES)]
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("PUBLISH_DEBUG", None)
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True,
                          timeout=TIMEOUT, env=env)

    assert "Traceback" not in done.stderr
    assert "internal error" not in done.stderr
    assert done.returncode == case.status, done.stderr
    found = {f"{m[0]}:{m[1]}:{m[2]}: {m[3]}" for m in _ERROR.findall(done.stderr)}
    assert found == set(case.errors), done.stderr
    assert case.message in done.stderr
    assert hits[before:] == [], "the build reached the network"
    leaks = [name for name, data in output_bytes(out) if MARKER.encode() in data]
    assert leaks == [], "a planted file's text reached an output"
    if case.status == 0:
        assert sorted(p.suffix for p in out.iterdir() if not p.name.startswith(".")) == [
            ".epub", ".epub", ".pdf", ".pdf", ".pdf"]
    leftovers = [p.name for p in out.rglob("*") if p.name.startswith(".publish-")
                 or ".tmp" in p.name] if out.exists() else []
    assert leftovers == []
    assert not list(outside.glob("*.pdf")) and not list(outside.glob("*.epub"))


def test_the_suite_is_large_enough():
    assert len(CASES) >= 30
    assert len({case.name for case in CASES}) == len(CASES)
