"""The book's index, built from the places the author marked (publish.manuscript.index):
entries and sub-entries sorted by the Unicode Collation Algorithm, grouped by letter, each
with its locators (the marks, a range as its first and last) and cross-references.

Both editions set it from here: the EPUB with locators that link to each mark
(publish.epub), the print edition with the folios the marks are printed on
(publish.pdf). What a locator reads as — a folio, merged into ranges — is `page_runs`'s.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from publish.model import IndexMark, RenderedChapter

TITLES = {"en": "Index", "de": "Register", "fr": "Index", "es": "Índice alfabético",
          "it": "Indice analitico", "nl": "Register", "pt": "Índice remissivo",
          "sv": "Register", "da": "Register", "nb": "Register", "nn": "Register",
          "fi": "Hakemisto", "pl": "Indeks", "cs": "Rejstřík", "la": "Index"}
"""The index's title in the book's language (English's where it is not known here)."""
SEE = {"en": ("see", "see also"), "de": ("siehe", "siehe auch"), "fr": ("voir", "voir aussi"),
       "es": ("véase", "véase también"), "it": ("vedi", "vedi anche"),
       "nl": ("zie", "zie ook"), "pt": ("ver", "ver também"), "sv": ("se", "se även"),
       "da": ("se", "se også"), "nb": ("se", "se også"), "fi": ("katso", "katso myös"),
       "pl": ("zob.", "zob. też"), "la": ("vide", "vide etiam")}
"""The words before a cross-reference, in the book's language."""
LEVELS = 3
"""Levels of an entry printed (makeindex's): deeper ones are joined into the third."""
ID = "index"
"""The index's section id (print) and document stem (EPUB)."""


@dataclass(frozen=True)
class Locator:
    """A marked place: one mark, or a range from its opening mark to its closing one."""

    start: str
    end: str = ""


@dataclass
class Entry:
    """A term, where it is found, what it refers to, and its sub-entries."""

    term: str
    key: tuple[int, ...]
    locators: list[Locator] = field(default_factory=list)
    see: list[str] = field(default_factory=list)
    see_also: list[str] = field(default_factory=list)
    children: dict[str, Entry] = field(default_factory=dict)

    @property
    def sub_entries(self) -> list[Entry]:
        return sorted(self.children.values(), key=lambda entry: (entry.key, entry.term))


@dataclass(frozen=True)
class Group:
    """The entries under one letter ('' for those that begin with no letter)."""

    letter: str
    entries: tuple[Entry, ...]


def language(lang: str) -> str:
    return (lang or "en").split("-")[0].lower()


def title(lang: str, given: str = "") -> str:
    """The index's title: the book's own (`index-title:`), else its language's."""
    return given or TITLES.get(language(lang), TITLES["en"])


def see_words(lang: str) -> tuple[str, str]:
    return SEE.get(language(lang), SEE["en"])


def reference(target: str) -> str:
    """A cross-reference's target as printed: `Lamp!paraffin` as `Lamp: paraffin` (Chicago's
    form for a sub-entry)."""
    return ": ".join(level.strip() for level in target.split("!"))


def marks_of(chapters: Sequence[RenderedChapter]) -> list[IndexMark]:
    return [mark for chapter in chapters for mark in chapter.index_marks]


def wanted(chapters: Sequence[RenderedChapter], enabled: bool = True) -> bool:
    """Whether the book has an index: it marks a term, and book.yaml does not say `index:
    false`."""
    return enabled and any(mark.levels for mark in marks_of(chapters))


def gather(marks: Sequence[IndexMark], lang: str = "") -> tuple[Group, ...]:
    """The index the marks make, grouped by letter and sorted in the collation of `lang`
    (the book's language)."""
    tailoring = TAILORINGS.get(language(lang), {})
    top: dict[str, Entry] = {}
    open_ranges: dict[tuple[str, ...], IndexMark] = {}
    for mark in marks:
        levels = _levels(mark.levels)
        if not levels:
            continue  # an empty term (reported as I003)
        entry = _entry(top, levels, mark.sort, tailoring)
        if mark.see:
            entry.see.append(mark.see)
        if mark.see_also:
            entry.see_also.append(mark.see_also)
        if mark.range == "start":
            open_ranges[levels] = mark
        elif mark.range == "end":
            opened = open_ranges.pop(levels, None)
            if opened is not None:
                entry.locators.append(Locator(opened.anchor, mark.anchor))
        elif not mark.see and not mark.see_also:
            entry.locators.append(Locator(mark.anchor))
    for levels, opened in open_ranges.items():  # never closed (I002): its first page only
        _entry(top, levels, "", tailoring).locators.append(Locator(opened.anchor))
    groups: dict[str, list[Entry]] = {}
    for entry in top.values():
        groups.setdefault(_letter(entry.term, tailoring), []).append(entry)
    ordered = sorted(groups.items(),
                     key=lambda item: (item[0] != "", _key(item[0], tailoring)))
    return tuple(Group(letter, tuple(sorted(entries, key=lambda e: (e.key, e.term))))
                 for letter, entries in ordered)


def _levels(levels: tuple[str, ...]) -> tuple[str, ...]:
    kept = tuple(level for level in levels if level)
    return (*kept[:LEVELS - 1], ", ".join(kept[LEVELS - 1:])) if len(kept) > LEVELS else kept


def _entry(top: dict[str, Entry], levels: tuple[str, ...], sort: str,
           tailoring: Mapping[str, str]) -> Entry:
    children = top
    entry = None
    for depth, term in enumerate(levels):
        last = depth == len(levels) - 1
        entry = children.get(term)
        if entry is None:
            entry = children[term] = Entry(term, _key(sort if last and sort else term,
                                                      tailoring))
        elif last and sort:
            entry.key = _key(sort, tailoring)
        children = entry.children
    assert entry is not None
    return entry


@lru_cache(maxsize=1)
def _collator():  # noqa: ANN202 - pyuca has no type hints
    import pyuca

    return pyuca.Collator()


def _key(text: str, tailoring: Mapping[str, str] | None = None) -> tuple[int, ...]:
    """The Unicode Collation Algorithm's key (pyuca, the root collation), the language's
    own letters (`tailoring`) first written as the letter they follow and a private-use
    character, which the algorithm sorts after every letter."""
    for letter, written in (tailoring or {}).items():
        text = re.sub(re.escape(letter), written, text, flags=re.IGNORECASE)
    return tuple(_collator().sort_key(text))


_NORDIC = {"æ": "z\ue001", "ä": "z\ue001", "ø": "z\ue002", "ö": "z\ue002", "å": "z\ue003",
           "aa": "z\ue003"}
_SWEDISH = {"å": "z\ue001", "ä": "z\ue002", "æ": "z\ue002", "ö": "z\ue003", "ø": "z\ue003"}
TAILORINGS: dict[str, dict[str, str]] = {
    "da": _NORDIC, "nb": _NORDIC, "nn": _NORDIC, "no": _NORDIC, "sv": _SWEDISH,
    "fi": _SWEDISH, "es": {"ñ": "n\ue001"},
}
"""The letters a language sorts as letters of their own, after another (CLDR's tailorings,
their main letters: Danish and Norwegian Æ Ø Å after Z, Aa as Å; Swedish and Finnish Å Ä Ö;
Spanish Ñ after N); elsewhere the root collation's order holds (Æ as AE, Ó with O)."""

_SAME_LETTER = {"Æ": "A", "Œ": "O", "Ø": "O", "ß": "S", "Þ": "T", "Ð": "D", "Ł": "L"}


def _letter(term: str, tailoring: Mapping[str, str] | None = None) -> str:
    """The letter a term is grouped under: its first, without accents (Ó under O), unless
    the language has it as a letter of its own (Danish Ø under Ø)."""
    first = term[:1].upper()
    if first.lower() in (tailoring or {}):
        return first
    if term[:2].lower() in (tailoring or {}):  # Danish Aa, a letter of its own: Å
        return "Å"
    first = _SAME_LETTER.get(first, unicodedata.normalize("NFKD", first)[:1])
    return first if first.isalpha() else ""


def page_runs(locators: Sequence[Locator], folios: Mapping[str, str]
              ) -> list[tuple[str, str]]:
    """What a list of locators prints as: (text, the mark it links to) for each page or
    range, in page order; three or more successive pages make a range (`12–14`), the same
    page is given once. A locator whose mark has no folio (not laid out) is left out."""
    spans: list[tuple[tuple[int, int], tuple[int, int], str, bool]] = []
    for locator in locators:
        first = folios.get(locator.start)
        if first is None:
            continue
        last = folios.get(locator.end, first) if locator.end else first
        start, end = _order(first), _order(last)
        if end < start:
            end = start
        spans.append((start, end, locator.start, bool(locator.end) and end != start))
    spans.sort()
    merged: list[list] = []
    for start, end, anchor, ranged in spans:
        if merged and start[0] == merged[-1][1][0] and start[1] <= merged[-1][1][1] + 1:
            last = merged[-1]
            last[1] = max(last[1], end)
            last[3] = last[3] or ranged
            continue
        merged.append([start, end, anchor, ranged])
    runs = []
    for start, end, anchor, ranged in merged:
        if start == end:
            runs.append((_folio(start), anchor))
        elif not ranged and end[1] == start[1] + 1:
            runs += [(_folio(start), anchor), (_folio(end), anchor)]
        else:
            runs.append((f"{_folio(start)}–{_folio(end)}", anchor))
    return runs


_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}


def _order(folio: str) -> tuple[int, int]:
    """A folio's place: the roman front matter before the arabic body."""
    if folio.isdigit():
        return (1, int(folio))
    total = 0
    values = [_ROMAN.get(char, 0) for char in folio.lower()]
    for index, value in enumerate(values):
        total += -value if index + 1 < len(values) and values[index + 1] > value else value
    return (0, total)


def _folio(order: tuple[int, int]) -> str:
    if order[0] == 1:
        return str(order[1])
    number, out = order[1], ""
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"),
                           (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"),
                           (4, "iv"), (1, "i")):
        while number >= value:
            out, number = out + letters, number - value
    return out
