"""Smart punctuation for book.yaml's text, as Pandoc's `smart` extension gives it (and as the
chapters get it from Python-Markdown's smarty): `--` an en dash, `---` an em dash, `...` an
ellipsis, straight quotes curled. Metadata is plain text, not Markdown, so this is done
here rather than by a Markdown converter (which would read `1. Title` as a list); the
`smartypants` package would do it too, but has had no release since 2017."""

from __future__ import annotations

_SEQUENCES = (("---", "\u2014"), ("--", "\u2013"), ("...", "\u2026"))
_OPENS_AFTER = frozenset("([{\u2014\u2013-/\u201c\u2018")
"""What an opening quote may follow (besides a space or the start)."""


def smarten(text: str) -> str:
    """`text` with dashes, ellipses and curly quotes where it has them typed."""
    for typed, printed in _SEQUENCES:
        text = text.replace(typed, printed)
    made = []
    for index, char in enumerate(text):
        if char not in "'\"":
            made.append(char)
            continue
        before = text[index - 1] if index else ""
        after = text[index + 1] if index + 1 < len(text) else ""
        opens = (not before or before.isspace() or before in _OPENS_AFTER) \
            and bool(after) and not after.isspace()
        if char == "'":
            # An apostrophe in a word, or before a year's digits ('90s), or a closing quote.
            made.append("\u2019" if before.isalnum() or after.isdigit() or not opens
                        else "\u2018")
        else:
            made.append("\u201c" if opens else "\u201d")
    return "".join(made)
