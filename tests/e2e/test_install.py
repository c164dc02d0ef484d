"""`publish` works from any install: a wheel built from this repository, installed into a
fresh virtual environment, builds a book in a folder that has nothing to do with the
repository, and `publish new` starts a book that builds clean."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO, SAMPLE

pytestmark = pytest.mark.slow

NOT_SOURCES = shutil.ignore_patterns(".git", ".venv", "build", "node_modules", "dist",
                                     "__pycache__", "*.egg-info", ".pytest_cache")


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The `publish` command of a fresh venv that has only the wheel (and its dependencies)."""
    work = tmp_path_factory.mktemp("install")
    source = work / "source"
    shutil.copytree(REPO, source, ignore=NOT_SOURCES)  # setuptools writes into build/
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w",
                    str(work / "dist"), str(source)], check=True, capture_output=True)
    wheel = next((work / "dist").glob("publish-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    assert "publish/styles/themes/classic.css" in names
    assert any(n.startswith("publish/styles/fonts/") and n.endswith(".ttf") for n in names)
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", str(wheel)],
                   check=True, capture_output=True)
    return venv / "bin" / "publish"


def test_the_installed_command_builds_the_sample_from_another_folder(installed, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(SAMPLE, elsewhere / "essay")
    done = subprocess.run([installed, "build", "essay", "-o", "out"], cwd=elsewhere,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    built = sorted(p.name for p in (elsewhere / "out").iterdir() if not p.name.startswith("."))
    assert sorted(name.split(".", 1)[-1] for name in built) == [
        "epub", "kepub.epub", "pdf", "pdf", "pdf"]
    pdffonts = subprocess.run(["pdffonts", str(next((elsewhere / "out").glob("*you.pdf")))],
                              capture_output=True, text=True, check=True).stdout
    assert "Publish-Garamond" in pdffonts  # the package's own fonts, not the machine's


def test_publish_new_starts_a_book_that_builds_clean(installed, tmp_path):
    made = subprocess.run([installed, "new", "my-first-novel"], cwd=tmp_path,
                          capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    text = (tmp_path / "my-first-novel" / "book.yaml").read_text(encoding="utf-8")
    for key in ("title", "subtitle", "author", "lang", "identifier", "date", "publisher",
                "rights", "description", "subject", "cover-image", "cover-alt",
                "belongs-to-collection", "group-position", "edition", "chapters", "print",
                "theme", "notes", "checks"):
        assert f"{key}:" in text, key
    checked = subprocess.run([installed, "check", "my-first-novel", "--strict"], cwd=tmp_path,
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    assert "0 errors, 0 warnings" in checked.stderr
    built = subprocess.run([installed, "build", "my-first-novel", "-o", "out", "--epub"],
                           cwd=tmp_path, capture_output=True, text=True)
    assert built.returncode == 0 and not built.stderr.strip(), built.stderr
    again = subprocess.run([installed, "new", "my-first-novel"], cwd=tmp_path,
                           capture_output=True, text=True)
    assert again.returncode == 2 and "not empty" in again.stderr
