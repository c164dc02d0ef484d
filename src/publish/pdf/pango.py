"""Where Pango lets a line break: the one door to the rules WeasyPrint breaks lines by.

WeasyPrint asks Pango (UAX #14 as Pango implements it) where a line may break, and breaks
nowhere else. A break chosen anywhere Pango does not allow one is not taken: the line runs
on into the next and is squeezed into the measure, words drawn over words. So the line
breaker takes its break opportunities from here, and closes every other one.
"""

from __future__ import annotations

from functools import lru_cache

from weasyprint.text.line_break import get_log_attrs


@lru_cache(maxsize=4096)
def break_opportunities(text: str, lang: str) -> frozenset[int]:
    """The offsets in `text` before which Pango allows a line to break."""
    attrs = get_log_attrs(text, lang or None)
    return frozenset(index for index in range(1, len(text)) if attrs[index].is_line_break)
