"""How a printed page and an EPUB passage are compared: by their letters alone.

The typesetter hyphenates, changes case (small capitals, capitalised titles) and breaks lines;
none of that survives `squeeze`, so a page's opening letters can be found again in the
chapter's XHTML.
"""

from __future__ import annotations

import unicodedata

KEY_LENGTH = 48
"""Characters of a page's opening text kept to find it again in the chapter."""
_DROPPED = frozenset("-\u2010\u2011\u00ad")
"""Hyphens: the typesetter adds some at line ends, so neither side keeps any."""


def squeeze(text: str) -> str:
    """Text reduced to what survives typesetting: no white space, hyphens or invisible
    format characters (word joiners, soft hyphens), case folded."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(c for c in text.casefold() if not c.isspace() and c not in _DROPPED
                   and unicodedata.category(c) != "Cf")
