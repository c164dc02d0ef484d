"""What every check is given."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from publish.model import Book, RenderedChapter


@dataclass(frozen=True)
class CheckInput:
    """The book, its rendered chapters, and the styles it will be typeset with
    (None when checking without styles: the checks that need them are skipped)."""

    book: Book
    chapters: Sequence[RenderedChapter]
    styles: Path | None = None
