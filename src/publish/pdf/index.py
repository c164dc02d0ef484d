"""The index as the print edition sets it: a back-matter section in two columns, a letter
heading over each group, sub-entries indented under their entry, each entry's folios (the
pages its marks are printed on, from the layout: `numbers`) merged into ranges, and "see" /
"see also" in italics after them. Each folio links to its mark where the edition has links.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from markupsafe import Markup, escape

from publish import bookindex
from publish.bookindex import Entry, Group


def index_section(groups: Sequence[Group], title: str, lang: str,
                  numbers: Mapping[str, str], links: bool) -> str:
    """The index's `section` (id `index`), its folios from `numbers` (mark id → folio; a
    mark not yet laid out is left out)."""
    see, see_also = bookindex.see_words(lang)
    parts = [f'<section id="{bookindex.ID}" class="chapter back book-index" '
             f'role="doc-index"><h1>{escape(title)}</h1><div class="index-columns">']
    for group in groups:
        for number, entry in enumerate(group.entries):
            # An entry kept with its sub-entries where it can be, the group's letter with
            # its first entry; the space between groups under each group's last, so that
            # none is left at a column's top.
            last = " group-end" if number == len(group.entries) - 1 else ""
            parts.append(f'<div class="index-block{last}">')
            if number == 0 and group.letter:
                parts.append(f'<h2 class="index-letter">{escape(group.letter)}</h2>')
            parts += [*_entry(entry, 1, numbers, links, see, see_also), "</div>"]
    parts.append("</div></section>")
    return "".join(parts)


def _entry(entry: Entry, depth: int, numbers: Mapping[str, str], links: bool, see: str,
           see_also: str) -> list[str]:
    folios = bookindex.page_runs(entry.locators, numbers)
    pages = ", ".join(
        f'<a href="#{escape(anchor)}">{escape(text)}</a>' if links else str(escape(text))
        for text, anchor in folios)
    line = str(escape(entry.term)) + (f", {pages}" if pages else "")
    for word, targets in ((see, entry.see), (see_also, entry.see_also)):
        names = "; ".join(str(escape(bookindex.reference(t))) for t in dict.fromkeys(targets))
        if names:
            line += f". <i>{escape(word.capitalize())}</i> {names}"
    out = [f'<p class="index-entry level-{depth}">{Markup(line)}</p>']
    for child in entry.sub_entries:
        out += _entry(child, min(depth + 1, bookindex.LEVELS), numbers, links, see, see_also)
    return out
