"""Links between and within chapters: each must reach an id that exists.

The author writes links as they would preview them: `#id` in the same file, `other.md#id`
or `other.md` to another chapter. They are rewritten to EPUB form, `chapter-03.xhtml#id`
(the PDF stage turns that into `#id`, since the PDF is one document with ids unique in
the book).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

from publish.diagnostics import Diagnostic
from publish.model import Chapter, ChapterSource, IndexMark
from publish.rules import finding
from publish.sandbox import Reference, classify, contained


@dataclass(frozen=True)
class ParsedChapter:
    """A chapter between parsing and serialisation (markup.render_book's working state)."""

    chapter: Chapter
    number: int
    id: str
    root: etree._Element
    source: ChapterSource
    renames: dict[str, str]
    """Ids Python-Markdown or the author gave → the id they have in the book."""
    images: tuple[str, ...]
    figures: tuple[str, ...]
    book_root: Path
    index_marks: tuple[IndexMark, ...] = ()

    @property
    def file_name(self) -> str:
        return f"{self.id}.xhtml"

    def final_id(self, written: str) -> str | None:
        """The id a link written as `#written` reaches, or None if there is none."""
        final = self.renames.get(written, written)
        return final if self.root.xpath("boolean(//*[@id=$i])", i=final) else None


def resolve_links(chapters: Sequence[ParsedChapter]) -> list[Diagnostic]:
    """Rewrite every internal link to its target; report those whose target does not exist."""
    by_path = {c.chapter.path.resolve(): c for c in chapters}
    problems = []
    for here in chapters:
        seen: Counter[str] = Counter()
        for link in here.root.iter("a"):
            href = link.get("href")
            if href is None:
                continue
            kind = classify(href)
            outside = kind is Reference.FILE or (kind is Reference.LOCAL
                                                 and not _inside(here, href))
            target = None if outside or kind not in (Reference.LOCAL, Reference.FRAGMENT) \
                else _target(here, href, by_path)
            if outside or (kind in (Reference.LOCAL, Reference.FRAGMENT) and target is None):
                place = _position(here, href, seen[href])
                seen[href] += 1
                if place is not None:
                    code, field = ("L008", "src") if outside else ("L003", "href")
                    problems.append(finding(code, here.chapter.path, *place, **{field: href}))
            elif target is not None:
                link.set("href", target)
    return problems


def _inside(here: ParsedChapter, href: str) -> bool:
    """Whether a link to another file stays in the book (so could reach a chapter)."""
    path = unquote(urlsplit(href).path)
    return not path or contained(here.chapter.path.parent / path, [here.book_root])


def _target(here: ParsedChapter, href: str, by_path: dict[Path, ParsedChapter]) -> str | None:
    path, _, fragment = href.partition("#")
    if not path:
        found = here.final_id(unquote(fragment))
        if found:
            return f"#{found}"
        # Not in this chapter: an id anywhere in the book, as in Pandoc's one document.
        for there in by_path.values():
            found = there.final_id(unquote(fragment))
            if found:
                return f"{there.file_name}#{found}"
        return None
    there = by_path.get((here.chapter.path.parent / unquote(path)).resolve())
    if there is None:
        return None
    if not fragment:
        return f"{there.file_name}#{there.id}"
    found = there.final_id(unquote(fragment))
    if found is None:
        return None
    return f"#{found}" if there is here else f"{there.file_name}#{found}"


def _position(chapter: ParsedChapter, href: str, nth: int) -> tuple[int, int] | None:
    """Where the `nth` link to `href` is written (as `](href`, `href="href"`, `<href>` or a
    reference definition), in the order written; None when it is written fewer times (a
    reference defined once and used again: reported once, at its definition)."""
    places = sorted({place for needle in (f"({href}", f'href="{href}"', f"<{href}>",
                                          f"]: {href}")
                     for place in chapter.source.places_of(needle)})
    if nth < len(places):
        line, col = places[nth]
        return line, col + 1
    return None if places else (chapter.chapter.first_line, 0)


