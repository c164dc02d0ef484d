"""EPUB Accessibility 1.1 metadata, derived from what the book contains (never claimed blind).

Every built book has passed the checks, so every image it holds has alt text (L004).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from publish.frontmatter import authors_line
from publish.model import Book, RenderedChapter

CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"


@dataclass(frozen=True)
class A11yMeta:
    """One `<meta property=…>` of the package document."""

    property: str
    value: str
    id: str = ""
    refines: str = ""


def accessibility_metadata(book: Book, chapters: Sequence[RenderedChapter], *,
                           cover: bool = False, page_list: bool = False) -> list[A11yMeta]:
    """The schema.org accessibility properties, a summary and the conformance claim.
    `cover`: the EPUB opens with a cover image (which has alt text, as every image);
    `page_list`: it carries the print edition's page numbers."""
    inside = sum(len(c.images) for c in chapters)
    images = inside + int(cover)
    modes = ["textual", "visual"] if images else ["textual"]
    features = ["structuralNavigation", "tableOfContents", "readingOrder"]
    if images:
        features.append("alternativeText")
    if page_list:
        features += ["pageBreakMarkers", "pageNavigation"]
    meta = [A11yMeta("schema:accessMode", mode) for mode in modes]
    meta.append(A11yMeta("schema:accessModeSufficient", "textual"))
    meta += [A11yMeta("schema:accessibilityFeature", feature) for feature in features]
    meta.append(A11yMeta("schema:accessibilityHazard", "none"))
    text = summary([c.chapter.role.name for c in chapters], inside, cover=cover,
                   page_list=page_list)
    meta.append(A11yMeta("schema:accessibilitySummary", text))
    meta.append(A11yMeta("dcterms:conformsTo", CONFORMANCE, id="conformance"))
    certifier = book.metadata.publisher or authors_line(book.metadata)
    meta.append(A11yMeta("a11y:certifiedBy", certifier, refines="#conformance"))
    return meta


_ONE = {"about-the-author": "a note about the author", "acknowledgements": "acknowledgements"}
_MANY = {"appendix": "appendices", "about-the-author": "notes about the author",
         "acknowledgements": "acknowledgements"}


def _parts(counts: Counter[str]) -> str:
    """`3 chapters, a dedication and an epigraph`: the book's parts, chapters first."""
    named = []
    for role, count in sorted(counts.items(), key=lambda item: item[0] != "chapter"):
        name = role.replace("-", " ")
        if count == 1:
            named.append(_ONE.get(role) or ("an " if name[0] in "aeiou" else "a ") + name)
        else:
            named.append(f"{count} {_MANY.get(role, name + 's')}")
    return named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]


def summary(sections: Sequence[str], images: int, *, cover: bool = False,
            page_list: bool = False) -> str:
    """A plain-language account of how the book can be read: `sections` names each part of
    the book by its role (chapter, dedication, epigraph…), `images` counts the images in
    them, `cover` whether a cover image opens the book."""
    counts = Counter(sections)
    parts = [f"This book is text: {_parts(counts)}, in a single reading order.",
             "A table of contents and landmarks lead to every part with a title."]
    if page_list:
        parts.append("Page numbers of the print edition are marked in the text and listed "
                     "for going to a page.")
    if images:
        which = "Its one image has" if images == 1 else f"Each of its {images} images has"
        parts.append(f"{which} a text description{', as does the cover' if cover else ''}.")
    elif cover:
        parts.append("Its only image, the cover, has a text description; the rest can be "
                     "read entirely as text.")
    else:
        parts.append("It has no images, so it can be read entirely as text.")
    parts.append("It has no known hazards (no flashing content, sound or motion simulation).")
    return " ".join(parts)
