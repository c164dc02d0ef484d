"""The book model that flows through every stage: load → check → render.

Where a value comes from, when there is a choice:
- the book's output name is the slug of its title, else of its folder's name;
- a chapter's title is the text of its first level-1 heading, else its file name.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from publish.printing import PrintSettings


@dataclass(frozen=True)
class Role:
    """What a chapter file is in the book, set by `role:` in its front matter."""

    name: str
    matter: str
    """front, body or back."""
    epub_type: str
    """Its EPUB structural semantics term ('' where the vocabulary has none)."""
    aria: str
    """Its DPUB-ARIA role ('' where there is none)."""
    label: str
    """Its name for a reader, used when it has no heading of its own."""
    titled: bool = True
    """Whether it opens with a level-1 heading (a dedication or an epigraph does not)."""


ROLES: dict[str, Role] = {
    role.name: role
    for role in (
        Role("dedication", "front", "dedication", "doc-dedication", "Dedication", titled=False),
        Role("epigraph", "front", "epigraph", "doc-epigraph", "Epigraph", titled=False),
        Role("foreword", "front", "foreword", "doc-foreword", "Foreword"),
        Role("preface", "front", "preface", "doc-preface", "Preface"),
        Role("prologue", "body", "prologue", "doc-prologue", "Prologue"),
        Role("chapter", "body", "chapter", "doc-chapter", "Chapter"),
        Role("part", "body", "part", "doc-part", "Part"),
        Role("epilogue", "body", "epilogue", "doc-epilogue", "Epilogue"),
        Role("afterword", "back", "afterword", "doc-afterword", "Afterword"),
        Role("acknowledgements", "back", "acknowledgments", "doc-acknowledgments",
             "Acknowledgements"),
        Role("appendix", "back", "appendix", "doc-appendix", "Appendix"),
        Role("about-the-author", "back", "", "", "About the Author"),
        Role("bibliography", "back", "bibliography", "doc-bibliography", "Bibliography"),
    )
}
"""The roles a chapter's front matter may name (`role: dedication`); the default is chapter."""


def untitled(role: Role) -> Role:
    """`role` for a section the author gave no title (a book's opening before its first
    heading, or `untitled: true`): no heading, no name of ours in its place (so no entry
    in the contents, no bookmark, and no ARIA role or EPUB type: Ace wants a `doc-chapter`
    for an `epub:type` of chapter, and a `doc-chapter` wants a name)."""
    if not role.titled:
        return role
    return dataclasses.replace(role, titled=False, label="", aria="", epub_type="")


NOTE_PLACES = ("footnotes", "endnotes")
"""Where the EPUB puts the notes (`notes:` in book.yaml)."""


@dataclass(frozen=True)
class Position:
    """A 1-based place in a source file."""

    line: int
    col: int


@dataclass(frozen=True)
class Metadata:
    """What book.yaml says about the book, with Pandoc's key names turned into fields."""

    title: str = ""
    """As printed: with smart punctuation (publish.manuscript.smart)."""
    typed_title: str = ""
    """As typed in book.yaml: the output files are named from it."""
    subtitle: str = ""
    authors: tuple[str, ...] = ()
    lang: str = ""
    identifier: str = ""
    date: str = ""
    publisher: str = ""
    rights: str = ""
    description: str = ""
    subjects: tuple[str, ...] = ()
    cover_image: str = ""
    cover_alt: str = ""
    """What the cover image shows, for readers who cannot see it."""
    collection: str = ""
    group_position: str = ""
    edition: str = ""

    @property
    def year(self) -> str:
        return self.date[:4]


@dataclass(frozen=True)
class Chapter:
    """One Markdown source file of the book."""

    path: Path
    text: str
    """The Markdown after any front matter."""
    first_line: int = 1
    """The source line on which `text` begins (front matter pushes it down)."""
    role: Role = ROLES["chapter"]


@dataclass(frozen=True)
class Book:
    """A loaded manuscript: its folder, its metadata and its chapters in reading order."""

    root: Path
    config_path: Path
    metadata: Metadata
    chapters: tuple[Chapter, ...]
    positions: dict[str, Position] = field(default_factory=dict)
    """Where each top-level key of book.yaml stands, for diagnostics."""
    check_settings: object = None
    """book.yaml's `checks:` as written (read by publish.policy)."""
    print_settings: PrintSettings = field(default_factory=PrintSettings)
    """book.yaml's `print:`: trim size, printer profile, paper."""
    theme: str = "classic"
    """book.yaml's `theme:`, the name of a stylesheet in styles/themes/."""
    notes: str = "footnotes"
    """book.yaml's `notes:`: in the EPUB, `footnotes` after each chapter (pop-ups), or
    `endnotes` gathered in one back-matter section."""
    index: bool = True
    """book.yaml's `index:`: whether the terms marked `{.index}` make an index (when any are)."""
    index_title: str = ""
    """book.yaml's `index-title:`; else the index is titled in the book's language."""
    bibliography: tuple[str, ...] = ()
    """book.yaml's `bibliography:`, the files cited from (paths in the book's folder)."""
    csl: str = ""
    """book.yaml's `csl:`, the citation style (a CSL file); else Pandoc's Chicago author-date."""
    nocite: tuple[str, ...] = ()
    """The keys book.yaml's `nocite:` puts in the bibliography uncited (`*` for all)."""
    reference_section_title: str = ""
    """book.yaml's `reference-section-title:`, the bibliography's title when it has a section
    of its own."""

    @property
    def style_override(self) -> Path | None:
        """The book's own `style.css`, loaded after everything else, when it has one."""
        path = self.root / "style.css"
        return path if path.is_file() else None

    @property
    def name(self) -> str:
        """The stem of the output files: `build/<name>.epub`."""
        title = self.metadata.typed_title or self.metadata.title
        return slugify(title) or slugify(self.root.resolve().name) or "book"

    def position_of(self, key: str) -> Position:
        return self.positions.get(key, Position(1, 1))


@dataclass(frozen=True)
class Heading:
    """A heading as rendered, located in its Markdown source."""

    level: int
    text: str
    id: str
    line: int
    col: int


@dataclass(frozen=True)
class SourceLine:
    """One line of a chapter file."""

    number: int
    """The line's number in the file (1-based)."""
    kind: str
    """blank, text, heading, underline, code, html, rule, table (a row of a table's cells),
    table-rule (its borders and rules), reference, comment, markup (a Pandoc div fence or
    page break), metadata (a YAML block) or tex (a raw TeX environment)."""
    raw: str
    prose: str = ""
    """`raw` with all but reader-visible text replaced by MASK; empty for non-prose lines."""


@dataclass(frozen=True)
class SourceHeading:
    """A heading as written: its level, its text, and where its line starts."""

    level: int
    text: str
    line: int
    col: int


@dataclass(frozen=True)
class ChapterSource:
    """A chapter's lines, classified, with its headings and suppression comments."""

    lines: tuple[SourceLine, ...]
    headings: tuple[SourceHeading, ...]
    suppressed: dict[int, frozenset[str]] = field(default_factory=dict)
    """Line number → rule codes an `<!-- publish: ignore CODE -->` silences there."""

    def line_of(self, needle: str, default: int) -> int:
        """The first line that holds `needle` outside code (`default` when none does)."""
        for line in self.lines:
            if needle and line.kind != "code" and needle in line.raw:
                return line.number
        return default

    def position_of(self, needle: str, default: int) -> tuple[int, int]:
        """(line, column) of the first place `needle` is written, outside code if it is
        anywhere outside code (raw `<script>` and `<style>` blocks count as code);
        (`default`, 0) when it is nowhere."""
        for outside_code in (True, False):
            for line in self.lines:
                if outside_code and line.kind == "code":
                    continue
                col = line.raw.find(needle) if needle else -1
                if col != -1:
                    return line.number, col + 1
        return default, 0

    def places_of(self, needle: str) -> list[tuple[int, int]]:
        """(line, column) of every place `needle` is written outside code, in order."""
        found = []
        for line in self.lines:
            if line.kind == "code" or not needle:
                continue
            col = line.raw.find(needle)
            while col != -1:
                found.append((line.number, col + 1))
                col = line.raw.find(needle, col + 1)
        return found

    def paragraphs(self) -> Iterator[list[SourceLine]]:
        """Runs of consecutive prose lines (headings stand alone)."""
        run: list[SourceLine] = []
        for line in self.lines:
            if line.kind == "text":
                run.append(line)
                continue
            if run:
                yield run
                run = []
            if line.kind == "heading":
                yield [line]
        if run:
            yield run


@dataclass(frozen=True)
class IndexMark:
    """A place the author marked for the index (`[text]{.index …}`, publish.manuscript.index)."""

    anchor: str
    """The id of the mark's span, unique in the book: what a locator links to."""
    levels: tuple[str, ...]
    """The term and its sub-entries (`term="Lamp!paraffin"`), as written; empty ones kept,
    for the check that reports them."""
    line: int
    col: int
    sort: str = ""
    """`sort="…"`: the key the term is sorted by, where its own spelling misleads."""
    see: str = ""
    see_also: str = ""
    range: str = ""
    """`start` or `end` of a span of pages, else ''."""


@dataclass(frozen=True)
class RenderedChapter:
    """A chapter turned into an XHTML fragment, ready for either output."""

    chapter: Chapter
    number: int
    """1-based place in reading order."""
    id: str
    """Id of the chapter's `section`, unique in the book; also the EPUB file's stem."""
    title: str
    body: str
    """Well-formed XHTML (no namespace declarations) for the inside of the section."""
    headings: tuple[Heading, ...]
    source: ChapterSource
    """The chapter's Markdown, line by line, as the checks read it."""
    images: tuple[str, ...] = ()
    """Image files the chapter shows, as paths relative to the book's folder."""
    figures: tuple[str, ...] = ()
    """Those of `images` set as figures (alone in their paragraph), printed the text's width."""
    index_marks: tuple[IndexMark, ...] = ()
    """The places marked for the index, in reading order."""
    page_refs: tuple[str, ...] = ()
    """The ids its page references (`[…](#id){.page-ref}`) point at, in order."""

    @property
    def file_name(self) -> str:
        return f"{self.id}.xhtml"

    @property
    def role(self) -> Role:
        return self.chapter.role

    @property
    def in_contents(self) -> bool:
        """Whether the contents list it (a dedication or an epigraph has no title to list)."""
        return self.role.titled


def chapter_ids(count: int) -> list[str]:
    """`chapter-01` …, zero-padded to the book's size so file names sort in reading order."""
    width = max(2, len(str(count)))
    return [f"chapter-{n:0{width}d}" for n in range(1, count + 1)]


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by hyphens: `Pride and Prejudice` → `pride-and-prejudice`."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = "".join(c if c.isalnum() else " " for c in ascii_text.lower()).split()
    return "-".join(words)


@dataclass(frozen=True)
class PageStart:
    """The beginning of one printed page that opens inside a chapter: what the print stage
    tells the EPUB stage, so the EPUB can carry the print page numbers."""

    label: str
    """The folio printed on the page: roman in the front matter, arabic from the body."""
    chapter_id: str
    key: str
    """The page's first letters, squeezed (see publish.letters)."""
