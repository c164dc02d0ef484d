"""Stage 1: read a book folder into the model, collecting what is wrong with it on the way."""

from __future__ import annotations

from pathlib import Path

import yaml

from publish.diagnostics import Diagnostic, PublishError
from publish.metadata import read_book_file
from publish.model import ROLES, Book, Chapter
from publish.rules import finding

BOOK_FILE = "book.yaml"
CHAPTER_FOLDER = "chapters"
NOT_CHAPTERS = {"readme.md"}
"""Markdown files in a book's root folder that are notes for people, not chapters."""


def find_books(path: Path) -> list[Path]:
    """The book folders under `path`: itself if it holds book.yaml, else its sub-folders that do."""
    if (path / BOOK_FILE).is_file():
        return [path]
    return sorted(p.parent for p in path.glob(f"*/{BOOK_FILE}"))


def load_book(root: Path) -> tuple[Book, list[Diagnostic]]:
    """Read book.yaml and every chapter.

    Returns the book and the problems found while reading; raises PublishError when the
    book cannot be read well enough to check it further.
    """
    config_path = root / BOOK_FILE
    if not config_path.is_file():
        raise PublishError([finding("S001", root, 0, 0, where=f"{root} (no {BOOK_FILE})")])
    book_file = read_book_file(config_path)
    diagnostics = list(book_file.diagnostics)

    paths, listing_problems = _chapter_paths(root, config_path, book_file.values,
                                             book_file.positions)
    diagnostics += listing_problems
    chapters = []
    for path in paths:
        chapter, problems = _read_chapter(path)
        diagnostics += problems
        if chapter is not None:
            chapters.append(chapter)
    book = Book(root=root, config_path=config_path, metadata=book_file.metadata,
                chapters=tuple(chapters), positions=book_file.positions,
                check_settings=book_file.values.get("checks"),
                print_settings=book_file.print_settings,
                theme=str(book_file.values.get("theme") or "classic"),
                notes=str(book_file.values.get("notes") or "footnotes"))
    return book, diagnostics


def _chapter_paths(root: Path, config_path: Path, values: dict, positions: dict
                   ) -> tuple[list[Path], list[Diagnostic]]:
    listed = values.get("chapters")
    if listed is None:
        folder = root / CHAPTER_FOLDER
        found = sorted(folder.glob("*.md")) if folder.is_dir() else []
        if not found:
            found = sorted(p for p in root.glob("*.md") if p.name.lower() not in NOT_CHAPTERS)
        if not found:
            return [], [finding("S001", config_path, 1, 1,
                                where=f"{CHAPTER_FOLDER}/ or the book's folder")]
        return found, []

    pos = positions["chapters"]
    if not isinstance(listed, list) or not all(isinstance(x, str) for x in listed):
        return [], [finding("M004", config_path, pos.line, pos.col, key="chapters",
                            expected="a list of file names", actual="something else")]
    paths, problems = [], []
    for index, name in enumerate(listed):
        path = root / name
        item = positions.get(f"chapters[{index}]", pos)
        if name in listed[:index]:
            problems.append(finding("S007", config_path, item.line, item.col, name=name))
        elif not path.is_file():
            problems.append(finding("S002", config_path, item.line, item.col, name=name))
        else:
            paths.append(path)
    if not listed:
        problems.append(finding("S001", config_path, pos.line, pos.col, where="`chapters:`"))
    return paths, problems


def _read_chapter(path: Path) -> tuple[Chapter | None, list[Diagnostic]]:
    try:
        source = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        line = err.object[: err.start].count(b"\n") + 1
        return None, [finding("S003", path, line, 1, problem=err.reason)]
    # Normalise line ends once so every later line count agrees with the author's editor.
    source = source.replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff")
    front, body, first_line = split_front_matter(source)
    role = "chapter"
    if front is not None:
        try:
            data = yaml.safe_load(front) or {}
        except yaml.YAMLError as err:
            return None, [finding("S005", path, 2, 1, problem=str(err).splitlines()[0])]
        role = data.get("role", "chapter") if isinstance(data, dict) else None
        if role not in ROLES:
            return None, [finding("S005", path, 2, 1,
                                  problem=f"role must be one of {', '.join(ROLES)}")]
    return Chapter(path=path, text=body, first_line=first_line, role=ROLES[role]), []


def split_front_matter(source: str) -> tuple[str | None, str, int]:
    """Split `---`-fenced YAML front matter from a chapter.

    Returns (front matter or None, the Markdown after it, the line the Markdown starts on).
    """
    lines = source.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None, source, 1
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1:]), index + 2
    return None, source, 1
