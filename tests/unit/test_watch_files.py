"""What `publish watch` takes for an author's change: not its own outputs, not an editor's
scratch files; and the small command-line snags an author meets first."""

from __future__ import annotations

import subprocess
import sys

from publish import __version__
from publish.watch import changed_files, snapshot


def test_a_build_into_the_book_folder_and_editors_scratch_files_are_no_change(tmp_path):
    book = tmp_path / "book"
    (book / "chapters").mkdir(parents=True)
    (book / "chapters" / "01.md").write_text("# One\n")
    before = snapshot([book], exclude=[book / "build"])
    (book / "build").mkdir()
    (book / "build" / "book.epub").write_bytes(b"PK")
    for scratch in (".01.md.swp", "01.md~", "#01.md#", "4913", ".~lock.01.md#", "01.md.tmp"):
        (book / "chapters" / scratch).write_text("x")
    assert changed_files(before, snapshot([book], exclude=[book / "build"])) == []
    (book / "chapters" / "01.md").write_text("# One\n\nMore.\n")
    assert changed_files(before, snapshot([book], exclude=[book / "build"])) == [
        str(book / "chapters" / "01.md")]


def _publish(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "publish", *args], capture_output=True,
                          text=True, check=False)


def test_version_is_answered():
    result = _publish("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"publish {__version__}"


def test_watch_takes_quiet_and_styles_help_says_where_styles_come_from():
    watch = _publish("watch", "--help")
    assert "-q, --quiet" in watch.stdout
    build = _publish("build", "--help")
    assert "the project's styles/" not in build.stdout
    assert "PUBLISH_STYLES" in build.stdout
