"""The generated front matter (title page, copyright page), shared by both outputs."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from publish.identifiers import isbn_of
from publish.model import Metadata, RenderedChapter
from publish.templating import render


def authors_line(meta: Metadata) -> str:
    """`A`, `A and B`, `A, B and C`."""
    names = list(meta.authors) or ["Anonymous"]
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def titlepage(meta: Metadata) -> Markup:
    """The title page's section."""
    return Markup(render("shared/titlepage.html", meta=meta, authors=authors_line(meta)))


def copyright_page(meta: Metadata) -> Markup:
    """The copyright page's section, from rights, publisher, date and ISBN."""
    return Markup(render("shared/copyright.html", meta=meta, authors=authors_line(meta),
                         isbn=isbn_of(meta.identifier)))


def around_contents(chapters: Sequence[RenderedChapter]
                    ) -> tuple[list[RenderedChapter], list[RenderedChapter]]:
    """Split the reading order where the contents page goes: after a dedication and an
    epigraph that open the book, before everything else (a foreword, the first chapter)."""
    split = 0
    while split < len(chapters) and chapters[split].role.matter == "front" \
            and not chapters[split].role.titled:
        split += 1
    return list(chapters[:split]), list(chapters[split:])


def body_start(chapters: Sequence[RenderedChapter]) -> RenderedChapter:
    """The chapter where the body begins (page 1 in print, the bodymatter landmark)."""
    return next((c for c in chapters if c.role.matter == "body"), chapters[0])
