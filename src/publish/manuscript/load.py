"""Stage 1: read a book folder into the model, collecting what is wrong with it on the way."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import yaml

from publish.diagnostics import Diagnostic, PublishError
from publish.limits import MAX_BOOK_BYTES, MAX_CHAPTER_BYTES, MAX_PAGES, megabytes
from publish.manuscript.metadata import read_book_file
from publish.manuscript.source import scan_headings
from publish.manuscript.textfile import read_text
from publish.model import ROLES, Book, Chapter, Position, untitled
from publish.printing import estimate_pages
from publish.rules import finding
from publish.sandbox import Reference, classify, contained

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
    if not contained(config_path, [root]):
        raise PublishError([finding("L008", config_path, 1, 1, src=BOOK_FILE)])
    book_file = read_book_file(config_path)
    diagnostics = list(book_file.diagnostics)

    paths, listing_problems = _chapter_paths(root, config_path, book_file.values,
                                             book_file.positions)
    diagnostics += listing_problems
    chapters = []
    total = 0
    for path in paths:
        total += path.stat().st_size
        if total > MAX_BOOK_BYTES:
            diagnostics.append(finding(
                "S008", path, 1, 1, size=f"{megabytes(path.stat().st_size)}, which brings the "
                f"chapters to {megabytes(total)}", limit=f"{megabytes(MAX_BOOK_BYTES)} in all"))
            break
        chapter, problems = _read_chapter(path)
        diagnostics += problems
        if chapter is not None:
            chapters.extend(split_opening(chapter) if not chapters else [chapter])
    pages = estimate_pages(book_file.print_settings, sum(len(c.text) for c in chapters),
                           len(chapters))
    if pages > MAX_PAGES:
        pos = book_file.positions.get("chapters", Position(1, 1))
        diagnostics.append(finding("S010", config_path, pos.line, pos.col, pages=f"{pages:,}",
                                   limit=f"{MAX_PAGES:,}"))
    book = Book(root=root, config_path=config_path, metadata=book_file.metadata,
                chapters=tuple(chapters), positions=book_file.positions,
                check_settings=book_file.values.get("checks"),
                print_settings=book_file.print_settings,
                theme=str(book_file.values.get("theme") or "classic"),
                notes=str(book_file.values.get("notes") or "footnotes"),
                index=book_file.values.get("index") is not False,
                index_title=str(book_file.values.get("index-title") or ""),
                **_citation_settings(book_file.values))
    return book, diagnostics


def _citation_settings(values: dict) -> dict[str, object]:
    """book.yaml's citation keys, as Pandoc reads them: `bibliography` a file or a list of
    them, `nocite` a string of `@key`s (or `@*`)."""
    files = values.get("bibliography") or ()
    files = (files,) if isinstance(files, str) else tuple(str(f) for f in files
                                                           if isinstance(f, str | int))
    nocite = values.get("nocite") or ""
    nocite = " ".join(map(str, nocite)) if isinstance(nocite, list) else str(nocite)
    return {"bibliography": files, "csl": str(values.get("csl") or ""),
            "nocite": tuple(re.findall(r"@(\*|[\w][\w:.#$%&\-+?<>~/]*)", nocite)),
            "reference_section_title": str(values.get("reference-section-title") or "")}


def _chapter_paths(root: Path, config_path: Path, values: dict, positions: dict
                   ) -> tuple[list[Path], list[Diagnostic]]:
    listed = values.get("chapters")
    if listed is None:
        folder = root / CHAPTER_FOLDER
        found = sorted(p for p in folder.glob("*.md") if p.is_file()) if folder.is_dir() else []
        if not found:
            found = sorted(p for p in root.glob("*.md")
                           if p.name.lower() not in NOT_CHAPTERS and p.is_file())
        if not found:
            return [], [finding("S001", config_path, 1, 1,
                                where=f"{CHAPTER_FOLDER}/ or the book's folder")]
        # A chapter file that is a symlink to a file outside the book is not read.
        outside = [p for p in found if not contained(p, [root])]
        return ([p for p in found if p not in outside],
                [finding("L008", p, 1, 1, src=p.name) for p in outside])

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
        elif classify(name) is not Reference.LOCAL or not contained(path, [root]):
            problems.append(finding("L008", config_path, item.line, item.col, src=name))
        elif not path.is_file():
            problems.append(finding("S002", config_path, item.line, item.col, name=name))
        else:
            paths.append(path)
    if not listed:
        problems.append(finding("S001", config_path, pos.line, pos.col, where="`chapters:`"))
    folder = root / CHAPTER_FOLDER
    if folder.is_dir():
        named = {(root / name).resolve() for name in listed if isinstance(name, str)}
        for path in sorted(folder.glob("*.md")):
            if path.is_file() and path.resolve() not in named:
                problems.append(finding("S011", config_path, pos.line, pos.col,
                                        name=path.relative_to(root).as_posix(),
                                        folder=CHAPTER_FOLDER))
    return paths, problems


def _read_chapter(path: Path) -> tuple[Chapter | None, list[Diagnostic]]:
    source, problem = read_text(path, MAX_CHAPTER_BYTES)
    if source is None:
        return None, [problem] if problem else []
    front, body, first_line = split_front_matter(source)
    role, no_title = "chapter", False
    if front is not None:
        try:
            data = yaml.safe_load(front) or {}
        except yaml.YAMLError as err:
            return None, [finding("S005", path, 2, 1, problem=str(err).splitlines()[0])]
        if not isinstance(data, dict):
            data = {"role": None}
        role = data.get("role", "chapter")
        if role not in ROLES:
            return None, [finding("S005", path, 2, 1,
                                  problem=f"role must be one of {', '.join(ROLES)}")]
        no_title = data.get("untitled", False)
        if not isinstance(no_title, bool):
            return None, [finding("S005", path, 2, 1, problem="untitled must be true or false")]
    chosen = untitled(ROLES[role]) if no_title else ROLES[role]
    return Chapter(path=path, text=body, first_line=first_line, role=chosen), []


_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def split_opening(chapter: Chapter) -> list[Chapter]:
    """The book's first chapter file, with any text before its first level-1 heading made
    an untitled opening of its own (a whole file with no such heading is one): the tool
    invents no title for what the author left untitled."""
    if not chapter.role.titled or not _COMMENT.sub("", chapter.text).strip():
        return [chapter]
    titles = [h for h in scan_headings(chapter.text, chapter.first_line) if h.level == 1]
    if not titles:
        return [dataclasses.replace(chapter, role=untitled(chapter.role))]
    lines = chapter.text.split("\n")
    cut = titles[0].line - chapter.first_line
    before = "\n".join(lines[:cut])
    if not _COMMENT.sub("", before).strip():
        return [chapter]
    return [dataclasses.replace(chapter, text=before, role=untitled(chapter.role)),
            dataclasses.replace(chapter, text="\n".join(lines[cut:]),
                                first_line=titles[0].line)]


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
