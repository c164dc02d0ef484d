"""Reading a file the author wrote: UTF-8 text of a sane size, every problem a finding at its
line and column (never an exception, never a character the XML outputs cannot hold)."""

from __future__ import annotations

import re
from pathlib import Path

from publish.diagnostics import Diagnostic
from publish.limits import megabytes
from publish.rules import finding

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# Characters XML 1.0 forbids (and so EPUB and the print HTML): C0 controls but tab and
# line ends, and the two non-characters U+FFFE and U+FFFF.
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def read_text(path: Path, limit: int) -> tuple[str | None, Diagnostic | None]:
    """The file's text, line ends normalised to `\\n` and a UTF-8 byte order mark dropped;
    or None and the finding that says why it cannot be used."""
    size = path.stat().st_size
    if size > limit:
        return None, finding("S008", path, 1, 1, size=megabytes(size), limit=megabytes(limit))
    data = path.read_bytes()
    if data.startswith(_UTF16_BOMS):
        return None, finding("S003", path, 1, 1,
                             problem="it is UTF-16 (it begins with a UTF-16 byte order mark)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line_start = data.rfind(b"\n", 0, err.start) + 1
        line = data.count(b"\n", 0, err.start) + 1
        col = len(data[line_start:err.start].decode("utf-8", errors="replace")) + 1
        return None, finding("S003", path, line, col,
                             problem=f"byte 0x{data[err.start]:02X} is not UTF-8")
    # Normalise line ends once so every later line count agrees with the author's editor.
    text = text.replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff")
    bad = _NOT_TEXT.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        col = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        return None, finding("S003", path, line, col,
                             problem=f"it holds the control character U+{ord(bad.group()):04X}")
    return text, None
