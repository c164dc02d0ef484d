"""The places an author marks for the index, and the page references, read from a chapter.

Marks are Pandoc's bracketed spans with the class `index` (Pandoc passes them on as spans;
LaTeX's imakeidx and Quarto read the same form):

    [brass lamp]{.index}                        "brass lamp", here
    [the big lamp]{.index term="Lamp"}          this place under "Lamp"
    [paraffin]{.index term="Lamp!paraffin"}     a sub-entry (`!` between levels)
    []{.index term="Oil" see="Lamp"}            a cross-reference (`see-also=` too)
    [storms]{.index range="start"} … []{.index term="storms" range="end"}
    [Æsir]{.index sort="Aesir"}                 sorted as written in `sort`

Each mark's span keeps its text (the author's words) and gets an id a locator can link to;
its index attributes are taken off it, as they say nothing to a reader.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from publish.model import ChapterSource, IndexMark

MARK_CLASS = "index"
PAGE_REF_CLASS = "page-ref"
_ATTRIBUTES = ("data-term", "data-see", "data-see-also", "data-sort", "data-range")
_WRITTEN = re.compile(r"\]\{[^}\n]*?\.index\b[^}\n]*\}")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")


def take_marks(root: etree._Element, chapter_id: str, source: ChapterSource,
               used: set[str]) -> tuple[IndexMark, ...]:
    """The chapter's index marks, in reading order, each span given an id (added to
    `used`) and stripped of its index attributes."""
    spans = [span for span in root.iter("span")
             if MARK_CLASS in (span.get("class") or "").split()]
    places = list(_places(source))
    marks = []
    for number, span in enumerate(spans, 1):
        anchor = span.get("id") or _fresh(f"ix-{chapter_id.removeprefix('chapter-')}-{number}",
                                          used)
        span.set("id", anchor)
        values = {name: span.attrib.pop(name, None) for name in _ATTRIBUTES}
        text = " ".join("".join(span.itertext()).split())
        term = values["data-term"] if values["data-term"] is not None else text
        line, col = places[number - 1] if len(places) == len(spans) else (
            source.lines[0].number if source.lines else 1, 1)
        marks.append(IndexMark(
            anchor=anchor, levels=tuple(level.strip() for level in term.split("!"))
            if term.strip() else (), line=line, col=col,
            sort=(values["data-sort"] or "").strip(), see=(values["data-see"] or "").strip(),
            see_also=(values["data-see-also"] or "").strip(),
            range=(values["data-range"] or "").strip()))
    return tuple(marks)


def page_refs(root: etree._Element) -> tuple[str, ...]:
    """The ids the chapter's page references point at (`[…](#id){.page-ref}`), in order."""
    return tuple(link.get("href", "").partition("#")[2] for link in root.iter("a")
                 if PAGE_REF_CLASS in (link.get("class") or "").split()
                 and "#" in link.get("href", ""))


def _places(source: ChapterSource) -> Iterator[tuple[int, int]]:
    """(line, column) of each mark as written: its opening bracket, outside code."""
    for line in source.lines:
        if line.kind == "code":
            continue
        text = _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line.raw)
        for match in _WRITTEN.finditer(text):
            yield line.number, _opening_bracket(text, match.start()) + 1


def _opening_bracket(text: str, close: int) -> int:
    """Where the `[` that the `]` at `close` closes stands (`close` itself when it is on
    another line)."""
    depth = 0
    for at in range(close, -1, -1):
        if text[at] == "]" and (at == 0 or text[at - 1] != "\\"):
            depth += 1
        elif text[at] == "[" and (at == 0 or text[at - 1] != "\\"):
            depth -= 1
            if depth == 0:
                return at
    return close


def _fresh(anchor: str, used: set[str]) -> str:
    candidate, count = anchor, 1
    while candidate in used:
        count += 1
        candidate = f"{anchor}-{count}"
    used.add(candidate)
    return candidate
