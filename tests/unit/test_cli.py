"""What an author sees at the command line: gcc-style findings, exit codes, and no
half-written output when a build fails."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import MINIMAL_YAML, STYLES


def publish(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "publish", *args], cwd=cwd,
                          capture_output=True, text=True, check=False,
                          env={**os.environ, "PUBLISH_STYLES": str(STYLES)})


def test_check_reports_file_line_col_code_and_exits_1(make_book, tmp_path):
    make_book({"chapters/01.md": "# One\n\nText.\n\n### Deep\n"},
              yaml=MINIMAL_YAML.replace("lang: en", "lang: english!"))
    result = publish("check", "book", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert "book/book.yaml:3:7: error[M005]: `lang: english!` is not a valid BCP 47 language tag" \
        in lines
    assert any(line.startswith("book/chapters/01.md:5:1: error[H003]: ") for line in lines)
    assert "Traceback" not in result.stderr
    assert lines[-1] == "book: 2 errors, 0 warnings"


def test_clean_book_checks_with_exit_0(make_book, tmp_path):
    make_book({"chapters/01.md": "# One\n\nText.\n"})
    result = publish("check", "book", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().endswith("0 errors, 0 warnings")


def test_strict_fails_on_warnings(make_book, tmp_path):
    make_book({"chapters/01.md": "# One\n"}, yaml=MINIMAL_YAML + "autor: X\n")
    assert publish("check", "book", cwd=tmp_path).returncode == 0
    result = publish("check", "book", "--strict", cwd=tmp_path)
    assert result.returncode == 1
    assert "warning[M008]: unknown key `autor` in book.yaml" in result.stderr
    assert "did you mean `author`?" in result.stderr


def test_yaml_syntax_error_is_located_without_traceback(make_book, tmp_path):
    make_book({"01.md": "# A\n"}, yaml=MINIMAL_YAML + "title: [oops\n")
    result = publish("build", "book", "-o", "out", cwd=tmp_path)
    assert result.returncode == 1
    assert ("book/book.yaml:5:8: error[M001]: book.yaml cannot be read here: the `[` opened "
            "here is never closed with `]`") in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_failed_build_keeps_the_last_good_output(make_book, tmp_path):
    root = make_book({"chapters/01.md": "# One\n\nText.\n"})
    good = publish("build", "book", "-o", "out", "--epub", cwd=tmp_path)
    assert good.returncode == 0, good.stderr
    epub = tmp_path / "out" / "a-small-book.epub"
    before = epub.read_bytes()

    (root / "chapters" / "01.md").write_text("# One\n\n![A gull](gull.png)\n",
                                             encoding="utf-8")
    bad = publish("build", "book", "-o", "out", "--epub", cwd=tmp_path)
    assert bad.returncode == 1
    assert "book/chapters/01.md:3:11: error[L001]" in bad.stderr
    assert epub.read_bytes() == before
    # Nothing half-written beside it (the hidden record of where the print pages begin and
    # the layout cache, kept by the good build for the next one, are no outputs).
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        ".a-small-book-classic.pages.json", ".cache", "a-small-book.epub"]


def test_missing_book_is_a_usage_error(tmp_path):
    result = publish("build", "nowhere", cwd=tmp_path)
    assert result.returncode == 2
    assert "no book.yaml" in result.stderr
    assert "Traceback" not in result.stderr


def test_json_and_github_formats(make_book, tmp_path):
    make_book({"chapters/01.md": '# One\n\nShe said no . And yes .\n\n### Deep\n'})
    result = publish("check", "book", "--format", "json", cwd=tmp_path)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert (report["errors"], report["warnings"]) == (1, 2)
    first = report["diagnostics"][0]
    assert (first["path"], first["line"], first["column"], first["code"]) == (
        "book/chapters/01.md", 3, 12, "T006")
    github = publish("check", "book", "--format", "github", cwd=tmp_path).stdout.splitlines()
    assert github[0].startswith("::warning file=book/chapters/01.md,line=3,col=12,title=T006::")
    assert github[-1].startswith("::error file=book/chapters/01.md,line=5,col=1,title=H003::")


def test_bad_usage_exits_2(tmp_path):
    result = publish("check", "--format", "xml", "book", cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr

