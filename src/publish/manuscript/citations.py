"""Pandoc's citations, rendered by Pandoc's own citeproc.

A book with `bibliography:` in book.yaml (CSL JSON, BibTeX or BibLaTeX, YAML: what Pandoc
reads) cites as Pandoc's Markdown does: `[@key]`, `[@key, p. 12]`, `[see @a; @b]`, `@key`
in the text (`@key [p. 12]`), `[-@key]`; `nocite:` lists keys to put in the bibliography
uncited. Each citation, as written, is given to Pandoc (the `pandoc` of pypandoc-binary,
run once for the whole book, sandboxed, reading only the bibliography and the style), in the
book's order, with `csl:` or Pandoc's default Chicago author-date: what it gives is what the
book prints — the same text as Pandoc's citeproc, because it is Pandoc's citeproc. A style
that puts citations in notes (`class="note"`) gets a footnote for each.

In the chapter's Markdown each citation is replaced by an empty span (`span.citation`,
numbered), filled with Pandoc's rendering once Python-Markdown has made the chapter's HTML;
the bibliography fills `::: {#refs}` where the author put one, else a back-matter section
of its own at the end of the book.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

from publish.model import ChapterSource
from publish.xhtml import drop

KEY = r"[\w](?:[\w]|[:.#$%&\-+?<>~/](?=[\w]))*"
_BRACKETED = re.compile(r"\[([^\[\]]*@[^\[\]]*)\](?![(\[{:])")
_PART = re.compile(rf"^\s*(?:(?P<prefix>.*?\s))?-?@(?P<key>{KEY})(?P<suffix>.*)$", re.S)
_IN_TEXT = re.compile(rf"(?<![\w@\\\[])@(?P<key>{KEY})(?P<locator>\s*\[[^\[\]@]*\])?")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
_NOTE_LINE = re.compile(r"^ {0,3}\[\^[^\]\s]+\]:")
PANDOC_TIMEOUT = 120


@dataclass(frozen=True)
class Citation:
    """One citation as the author wrote it, and where."""

    number: int
    written: str
    keys: tuple[str, ...]
    path: Path
    line: int
    col: int
    in_note: bool


@dataclass
class Rendered:
    """What Pandoc's citeproc made of the book's citations."""

    inline: dict[int, str] = field(default_factory=dict)
    """Citation number → its HTML in the text (empty where a notes style sets it all in a note)."""
    notes: dict[int, str] = field(default_factory=dict)
    """Citation number → the note a notes style makes of it."""
    bibliography: list[str] = field(default_factory=list)
    """Each entry's HTML (`div.csl-entry`), in the style's order."""
    missing: list[str] = field(default_factory=list)
    """Keys the bibliography does not have."""


def find_citations(text: str, source: ChapterSource, path: Path, start: int
                   ) -> list[Citation]:
    """The citations of one chapter's Markdown, numbered from `start`, outside code."""
    found = []
    kinds = {line.number: line.kind for line in source.lines}
    for offset, raw in enumerate(text.split("\n")):
        number = source.lines[0].number + offset if source.lines else offset + 1
        if kinds.get(number) == "code":
            continue
        masked = _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), raw)
        in_note = bool(_NOTE_LINE.match(raw))
        for match, keys in _matches(masked):
            found.append(Citation(start + len(found), raw[match.start():match.end()],
                                  keys, path, number, match.start() + 1, in_note))
    return found


def _matches(line: str) -> list[tuple[re.Match[str], tuple[str, ...]]]:
    """Each citation on a line: bracketed ones, then `@key` in the text outside them."""
    found = []
    taken = []
    for match in _BRACKETED.finditer(line):
        parts = [_PART.match(part) for part in match.group(1).split(";")]
        if parts and all(parts):
            found.append((match, tuple(p.group("key") for p in parts if p)))
            taken.append((match.start(), match.end()))
    for match in _IN_TEXT.finditer(line):
        if not any(start <= match.start() < end for start, end in taken):
            found.append((match, (match.group("key"),)))
    return sorted(found, key=lambda item: item[0].start())


def placeholder(citation: Citation, rendered: Rendered) -> str:
    """What stands in the Markdown for `citation` until its rendering is filled in."""
    span = f'<span class="citation" data-cite="{citation.number}"></span>'
    if citation.number in rendered.notes and not citation.in_note:
        note = f'<span class="citation-note" data-cite="{citation.number}"></span>'
        return f"{span}^[{note}]"
    return span


def with_placeholders(text: str, citations: Sequence[Citation], rendered: Rendered,
                      first_line: int) -> str:
    """`text` with each of its citations replaced by its placeholder."""
    lines = text.split("\n")
    for citation in sorted(citations, key=lambda c: (c.line, c.col), reverse=True):
        index = citation.line - first_line
        line = lines[index]
        at, end = citation.col - 1, citation.col - 1 + len(citation.written)
        before, after = line[:at], line[end:]
        noted = citation.number in rendered.notes and not citation.in_note
        if noted and not _has_text(rendered.inline.get(citation.number, "")):
            # As Pandoc sets a note's call: after the punctuation that follows the
            # citation, with no space before it (`text [@a].` → `text.¹`).
            before = before.rstrip(" ")
            if after[:1] in (".", ",", ";", ":", "!", "?"):
                before, after = before + after[0], after[1:]
        lines[index] = before + placeholder(citation, rendered) + after
    return "\n".join(lines)


def render_citations(citations: Sequence[Citation], bibliography: Sequence[Path],
                     csl: Path | None, lang: str, nocite: Sequence[str]) -> Rendered:
    """Every citation, and the bibliography, as Pandoc's citeproc renders them."""
    import pypandoc

    # `nocite` must be Markdown with citations in it: a metadata block, not `-M`.
    blocks = ["---\nnocite: |\n  " + ", ".join(f"@{key}" for key in nocite) + "\n---\n"] \
        if nocite else []
    blocks += [f"::: {{#cite-{c.number}}}\n{c.written}\n:::\n" for c in citations]
    blocks.append("::: {#refs}\n:::\n")
    meta = ["-M", f"lang={lang or 'en'}"]
    command = [pypandoc.get_pandoc_path(), "--sandbox", "--citeproc", "--wrap=none",
               "-f", "markdown", "-t", "html5", *meta,
               *(f"--bibliography={path}" for path in bibliography),
               *((f"--csl={csl}",) if csl else ())]
    done = subprocess.run(command, input="\n".join(blocks), capture_output=True, text=True,
                          timeout=PANDOC_TIMEOUT, check=False)
    if done.returncode != 0:
        raise CitationError(done.stderr.strip().splitlines()[-1] if done.stderr.strip()
                            else f"pandoc exited with {done.returncode}")
    return _read(done.stdout, done.stderr)


class CitationError(Exception):
    """Pandoc could not read the bibliography or the style (its message)."""


_MISSING = re.compile(r"citation (\S+) not found")


def _read(html: str, warnings: str) -> Rendered:
    rendered = Rendered(missing=_MISSING.findall(warnings))
    root = lxml_html.fromstring(f"<div>{html}</div>")
    notes = {item.get("id"): item for item in root.xpath("//*[@id][contains(@id, 'fn')]")
             if item.tag == "li"}
    for div in root.xpath("//div[starts-with(@id, 'cite-')]"):
        number = int(div.get("id").removeprefix("cite-"))
        paragraph = div.find("p")
        if paragraph is None:
            continue
        for ref in paragraph.xpath(".//a[contains(@class, 'footnote-ref')]"):
            note = notes.get(ref.get("href", "").lstrip("#"))
            if note is not None:
                for back in note.xpath(".//a[contains(@class, 'footnote-back')]"):
                    back.drop_tree()
                rendered.notes[number] = _inner(note.find("p") if note.find("p") is not None
                                                else note)
            (ref.getparent() if ref.getparent().tag == "sup" else ref).drop_tree()
        rendered.inline[number] = _inner(paragraph)
    refs = root.xpath("//div[@id='refs']")
    if refs:
        rendered.bibliography = [_outer(entry) for entry in refs[0]
                                 if "csl-entry" in (entry.get("class") or "")]
    return rendered


def _inner(element: lxml_html.HtmlElement) -> str:
    text = lxml_html.tostring(element, encoding="unicode", method="xml")
    return re.sub(r"^<[^>]+>|</[^>]+>$", "", text.strip()).strip()


def _outer(element: lxml_html.HtmlElement) -> str:
    return lxml_html.tostring(element, encoding="unicode", method="xml").strip()


def fill(root: etree._Element, rendered: Rendered) -> None:
    """Each citation's placeholder in a chapter's tree given its rendering, and a `#refs`
    div the bibliography."""
    for span in root.xpath(".//span[@data-cite]"):
        number = int(span.get("data-cite"))
        if span.get("class") == "citation-note":
            _put(span, rendered.notes.get(number, ""))
            span.tag = "span"
            del span.attrib["data-cite"]
            continue
        made = etree.fromstring(f"<div>{rendered.inline.get(number, '')}</div>")
        if not "".join(made.itertext()).strip():  # all in its note: nothing in the text
            drop(span)
        elif len(made) == 1 and not (made.text or "").strip() \
                and not (made[0].tail or "").strip():
            made[0].tail = span.tail
            span.getparent().replace(span, made[0])  # Pandoc's own span.citation
        else:
            _put(span, rendered.inline.get(number, ""))
            del span.attrib["data-cite"]
    for div in root.xpath(".//div[@id='refs']"):
        div.set("class", " ".join([*(div.get("class") or "").split(), "references"]))
        div.set("role", "list")
        _put(div, "".join(rendered.bibliography))


def _has_text(html: str) -> bool:
    return bool(re.sub(r"<[^>]+>", "", html).strip())


def _put(element: etree._Element, html: str) -> None:
    """`html` (well-formed, from Pandoc) as `element`'s content."""
    holder = etree.fromstring(f"<div>{html}</div>")
    element.text = holder.text
    for child in holder:
        element.append(child)


@dataclass
class Cited:
    """A book's citations made ready: each chapter's Markdown with its placeholders, what
    Pandoc rendered, and what went wrong (as findings)."""

    texts: list[str]
    rendered: Rendered
    diagnostics: list


REFERENCES = {"en": "References", "de": "Literatur", "fr": "Bibliographie",
              "es": "Referencias", "it": "Bibliografia", "nl": "Literatuur",
              "pt": "Referências", "sv": "Referenser", "da": "Litteratur",
              "nb": "Litteratur", "fi": "Lähteet", "pl": "Bibliografia", "la": "Bibliographia"}
"""The bibliography's title, when it has a section of its own and `reference-section-title:`
gives none (the word Pandoc's LaTeX and Word writers put there, in the book's language)."""


def cite(book, texts: Sequence[str]) -> Cited:  # noqa: ANN001 - publish.model.Book
    """The citations of `book` (whose chapters' Markdown is `texts`) rendered, when it has a
    bibliography; else the texts as they are (T017 reports citations printed as typed)."""
    from publish.manuscript.source import scan
    from publish.rules import finding
    from publish.sandbox import contained

    if not book.bibliography:
        return Cited(list(texts), Rendered(), [])
    where = book.position_of("bibliography")
    files = []
    for name in book.bibliography:
        path = (book.root / name).resolve()
        if not contained(path, [book.root]) or not path.is_file():
            problem = f"`{name}` is not a file in the book's folder"
            return Cited(list(texts), Rendered(),
                         [finding("L014", book.config_path, where.line, where.col,
                                  problem=problem)])
        files.append(path)
    csl = (book.root / book.csl).resolve() if book.csl else None
    if csl is not None and (not contained(csl, [book.root]) or not csl.is_file()):
        spot = book.position_of("csl")
        return Cited(list(texts), Rendered(),
                     [finding("L014", book.config_path, spot.line, spot.col,
                              problem=f"the style `{book.csl}` is not a file in the book's "
                                      "folder")])
    found: list[list[Citation]] = []
    start = 1
    for chapter, text in zip(book.chapters, texts, strict=True):
        citations = find_citations(text, scan(text, chapter.first_line), chapter.path, start)
        found.append(citations)
        start += len(citations)
    every = [c for group in found for c in group]
    try:
        rendered = render_citations(every, files, csl, book.metadata.lang, book.nocite)
    except (CitationError, OSError, subprocess.SubprocessError) as err:
        return Cited(list(texts), Rendered(),
                     [finding("L014", book.config_path, where.line, where.col,
                              problem=str(err))])
    names = ", ".join(book.bibliography)
    missing = set(rendered.missing)
    diagnostics = [finding("L013", c.path, c.line, c.col, key=key, files=names)
                   for c in every for key in c.keys if key in missing]
    placed = [with_placeholders(text, citations, rendered, chapter.first_line)
              for chapter, text, citations in zip(book.chapters, texts, found, strict=True)]
    return Cited(placed, rendered, list(dict.fromkeys(diagnostics)))
