"""The generated front matter (title page, copyright page), shared by both outputs."""

from __future__ import annotations

from markupsafe import Markup

from publish.identifiers import isbn_of
from publish.model import Metadata
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
