"""The index as an EPUB document, as EPUB Indexes 1.0 marks it up: a `section` of
`epub:type="index"` (role `doc-index`), a list of entries per letter, each entry's term and
its locators — links to the marks in the text, reading as the print edition's folio of each
(from the page markers placed in the text), else as the chapter's title.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from markupsafe import Markup, escape

from publish import bookindex
from publish.bookindex import Entry, Group, Locator
from publish.model import RenderedChapter

FILE_NAME = f"{bookindex.ID}.xhtml"
_TOKEN = re.compile(r'<span\b[^>]*\bepub:type="pagebreak"[^>]*>|\bid="([^"]+)"')
_LABEL = re.compile(r'\baria-label="([^"]*)"')


def where_marks_are(chapters: Sequence[RenderedChapter], others: Mapping[str, str]
                    ) -> tuple[dict[str, str], dict[str, str]]:
    """(mark → href, mark → folio) from the documents as written: each mark's file, and the
    print page it stands on (the last page marker before it, the book read in order).
    `others` are further documents (file name → body) that may hold marks (the endnotes)."""
    anchors = {mark.anchor for chapter in chapters for mark in chapter.index_marks}
    hrefs: dict[str, str] = {}
    folios: dict[str, str] = {}
    folio = ""
    documents = [(c.file_name, c.body) for c in chapters] + list(others.items())
    for file_name, body in documents:
        for match in _TOKEN.finditer(body):
            if match.group(1) is None:
                label = _LABEL.search(match.group(0))
                folio = label.group(1) if label else folio
            elif match.group(1) in anchors:
                hrefs[match.group(1)] = f"{file_name}#{match.group(1)}"
                if folio:
                    folios[match.group(1)] = folio
    return hrefs, folios


def index_markup(groups: Sequence[Group], title: str, lang: str,
                 hrefs: Mapping[str, str], folios: Mapping[str, str],
                 chapter_titles: Mapping[str, str]) -> Markup:
    """The index document's body: its heading and the index section."""
    ids = _entry_ids(groups)
    see, see_also = bookindex.see_words(lang)
    parts = [f'<h1 id="index-title">{escape(title)}</h1>',
             '<section class="book-index" epub:type="index" role="doc-index" '
             'aria-labelledby="index-title">']
    for number, group in enumerate(groups):
        heading = f'<h2 id="index-{number}">{escape(group.letter)}</h2>' if group.letter \
            else ""
        labelled = f' aria-labelledby="index-{number}"' if group.letter else ""
        parts.append(f'<section epub:type="index-group"{labelled}>{heading}'
                     '<ul epub:type="index-entry-list">')
        parts += [_entry(entry, ids, hrefs, folios, chapter_titles, see, see_also, ())
                  for entry in group.entries]
        parts.append("</ul></section>")
    parts.append("</section>")
    return Markup("\n".join(parts))


def _entry_ids(groups: Sequence[Group]) -> dict[str, str]:
    """An id for each entry, by its path (`Lamp!paraffin`), for the cross-references."""
    ids: dict[str, str] = {}

    def walk(entry: Entry, path: tuple[str, ...]) -> None:
        here = (*path, entry.term)
        ids["!".join(here)] = f"ie-{len(ids) + 1}"
        for child in entry.sub_entries:
            walk(child, here)

    for group in groups:
        for entry in group.entries:
            walk(entry, ())
    return ids


def _entry(entry: Entry, ids: Mapping[str, str], hrefs: Mapping[str, str],
           folios: Mapping[str, str], titles: Mapping[str, str], see: str, see_also: str,
           path: tuple[str, ...]) -> str:
    here = (*path, entry.term)
    out = [f'<li epub:type="index-entry" id="{ids["!".join(here)]}">'
           f'<span epub:type="index-term">{escape(entry.term)}</span>']
    for text, anchor in _locators(entry.locators, hrefs, folios, titles):
        out.append(f', <a epub:type="index-locator" href="{escape(hrefs[anchor])}">'
                   f"{escape(text)}</a>")
    for word, targets, kind in ((see, entry.see, "preferred"),
                                (see_also, entry.see_also, "related")):
        for target in dict.fromkeys(targets):
            shown = escape(bookindex.reference(target))
            term = (f'<a epub:type="index-term" href="#{ids[target]}">{shown}</a>'
                    if target in ids else shown)
            out.append(f'. <span epub:type="index-xref-{kind}"><i>{escape(word.capitalize())}</i> '
                       f"{term}</span>")
    if entry.children:
        out.append('<ul epub:type="index-entry-list">')
        out += [_entry(child, ids, hrefs, folios, titles, see, see_also, here)
                for child in entry.sub_entries]
        out.append("</ul>")
    out.append("</li>")
    return "".join(out)


def _locators(locators: Sequence[Locator], hrefs: Mapping[str, str],
              folios: Mapping[str, str], titles: Mapping[str, str]
              ) -> list[tuple[str, str]]:
    """(text, mark) for each locator: the print folios merged as print merges them; a mark
    on no known page reads as its chapter's title (once)."""
    placed = [loc for loc in locators if loc.start in hrefs]
    runs = bookindex.page_runs([loc for loc in placed if loc.start in folios], folios)
    unpaged: dict[str, str] = {}
    for loc in placed:
        if loc.start not in folios:
            chapter = hrefs[loc.start].partition(".xhtml")[0]
            unpaged.setdefault(titles.get(chapter, chapter), loc.start)
    return runs + list(unpaged.items())
