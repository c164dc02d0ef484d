"""Letters: what of a text survives typesetting, so that a printed page, an EPUB passage and
the manuscript can be compared.

The typesetter hyphenates, changes case (small capitals, capitalised titles) and breaks lines;
none of that survives `squeeze`, so a page's opening letters can be found again in the
chapter's XHTML, and a PDF's text compared with the book's.
"""

from __future__ import annotations

import unicodedata

HYPHENS = frozenset("-\u2010\u2011\u00ad")
"""Every hyphen a line may end in or a typesetter may add: the hyphen-minus, the hyphen
(WeasyPrint's hyphenate character and ours), the no-break hyphen and the soft hyphen. The one
definition: the typographic report, the page-end checks and the comparisons all use it."""
KEY_LENGTH = 48
"""Characters of a page's opening text kept to find it again in the chapter."""


def ends_in_hyphen(text: str) -> bool:
    """Whether a line of text ends in a hyphen (trailing spaces aside)."""
    text = text.rstrip()
    return bool(text) and text[-1] in HYPHENS


def squeeze(text: str) -> str:
    """Text reduced to what survives typesetting: no white space, hyphens or invisible
    format characters (word joiners, soft hyphens), case folded."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(c for c in text.casefold() if not c.isspace() and c not in HYPHENS
                   and unicodedata.category(c) != "Cf")
