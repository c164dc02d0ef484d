"""The one containment rule: a manuscript may use only files inside its own folder (and, for
its style sheet, the styles folder in use), symlinks followed; nothing on the network.

A publisher may build books it did not write, on a machine that holds other things. So every
path a manuscript names — in book.yaml, in Markdown, in raw HTML, in CSS — goes through
:func:`classify` and :func:`contained` here before anything is read, and every stage that
reads a file the manuscript named reads it through :func:`read_inside`.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import unquote, urlsplit

from publish.diagnostics import ToolError


class Reference(enum.Enum):
    """What kind of thing a URL written in a manuscript points at."""

    LOCAL = "local"
    """A relative path: a file of the book (if it stays inside)."""
    FRAGMENT = "fragment"
    """`#id` within the same document."""
    DATA = "data"
    """A `data:` URL: carried in the text itself, nothing is read."""
    REMOTE = "remote"
    """On the network (http, https, ftp …): never fetched."""
    FILE = "file"
    """A `file:` URL or an absolute path: outside the book by definition."""
    SCRIPT = "script"
    """`javascript:` and its kind: code, not a place."""
    OTHER = "other"
    """Any other scheme (`mailto:`, `tel:` …): a hyperlink a reader may follow."""


REMOTE_SCHEMES = frozenset({"http", "https", "ftp", "ftps", "ws", "wss", "gopher", "sftp"})
SCRIPT_SCHEMES = frozenset({"javascript", "vbscript", "livescript"})


class SandboxError(ToolError):
    """A file outside the sandbox was asked for; nothing was read. (The checks report such
    a path at its line first, so meeting this means a stage was handed one anyway.)"""

    def __init__(self, target: str) -> None:
        super().__init__(f"refused to read {target}: only files in the book's folder may be used")
        self.target = target


def classify(url: str) -> Reference:
    """What `url`, as an author wrote it, points at."""
    text = url.strip()
    # Browsers ignore tabs and line breaks inside a scheme (`java\tscript:`); so do we.
    squeezed = "".join(text.split()).lower()
    if not squeezed:
        return Reference.FRAGMENT
    if squeezed.startswith("#"):
        return Reference.FRAGMENT
    if squeezed.startswith("//"):
        return Reference.REMOTE  # scheme-relative: the network
    scheme = urlsplit(squeezed).scheme
    if scheme in SCRIPT_SCHEMES:
        return Reference.SCRIPT
    if scheme == "data":
        return Reference.DATA
    if scheme == "file":
        return Reference.FILE
    if scheme in REMOTE_SCHEMES:
        return Reference.REMOTE
    if len(scheme) == 1:  # `C:\…`: a Windows drive, an absolute path
        return Reference.FILE
    if scheme:
        return Reference.OTHER
    if text.startswith(("/", "\\")):
        return Reference.FILE
    return Reference.LOCAL


def contained(path: Path, roots: Sequence[Path]) -> bool:
    """Whether `path`, every symlink followed, lies inside one of `roots`."""
    try:
        real = path.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return False
    return any(real.is_relative_to(root.resolve()) for root in roots)


def locate(base: Path, reference: str, roots: Sequence[Path]) -> Path | None:
    """The file a relative `reference` written in a file in folder `base` names, or None
    when it is not a relative path or would lead outside `roots`."""
    if classify(reference) is not Reference.LOCAL:
        return None
    path = urlsplit(reference.strip()).path
    candidate = base / unquote(path)
    return candidate if contained(candidate, roots) else None


def read_inside(path: Path, roots: Sequence[Path]) -> bytes:
    """The bytes of `path`, which must lie inside `roots` (symlinks followed)."""
    if not contained(path, roots):
        raise SandboxError(str(path))
    return path.resolve().read_bytes()
