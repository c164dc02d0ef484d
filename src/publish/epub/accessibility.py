"""EPUB Accessibility 1.1 metadata, derived from what the book contains (never claimed blind).

Every built book has passed the checks, so every image it holds has alt text (L004).
"""

from __future__ import annotations

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
    text = summary(len(chapters), inside, cover=cover, page_list=page_list)
    meta.append(A11yMeta("schema:accessibilitySummary", text))
    meta.append(A11yMeta("dcterms:conformsTo", CONFORMANCE, id="conformance"))
    certifier = book.metadata.publisher or authors_line(book.metadata)
    meta.append(A11yMeta("a11y:certifiedBy", certifier, refines="#conformance"))
    return meta


def summary(chapters: int, images: int, *, cover: bool = False,
            page_list: bool = False) -> str:
    """A plain-language account of how the book can be read; `images` counts those in the
    chapters, `cover` whether a cover image opens the book."""
    parts = [
        f"This book is text with {chapters} {'chapter' if chapters == 1 else 'chapters'}, "
        "each opening with a heading, in a single reading order.",
        "A table of contents and landmarks lead to every chapter.",
    ]
    if page_list:
        parts.append("Page numbers of the print edition are marked in the text and listed "
                     "for going to a page.")
    if images:
        parts.append(f"Each of its {images} {'image has' if images == 1 else 'images has'} "
                     f"a text description{', as does the cover' if cover else ''}.")
    elif cover:
        parts.append("Its only image, the cover, has a text description; the rest can be "
                     "read entirely as text.")
    else:
        parts.append("It has no images, so it can be read entirely as text.")
    parts.append("It has no known hazards (no flashing content, sound or motion simulation).")
    return " ".join(parts)
