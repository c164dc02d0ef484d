"""Stage 4a: the EPUB, written with ebooklib, and what checks it.

    package.py        the package: metadata, styles and fonts, images, documents, navigation
    accessibility.py  the accessibility metadata, derived from the content
    endnotes.py       notes gathered into one back-matter section (`notes: endnotes`)
    pagebreaks.py     the print edition's page numbers placed in the text, and the page list
    ebookcover.py     the typographic cover, when the book has no image of its own
    kepub.py          the Kobo edition, made from the EPUB
    validate.py       EPUBCheck, DAISY Ace and Calibre's Kindle conversion, as findings
"""

from __future__ import annotations

from publish.epub.package import write_epub

__all__ = ["write_epub"]
