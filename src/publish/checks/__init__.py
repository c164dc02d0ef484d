"""Stage 3: the manuscript checks. Each family is a module of small rule functions.

A rule function takes a :class:`CheckInput` (the book, its rendered chapters, the styles)
and yields diagnostics; `CHECKS` lists them all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from publish.checks import (
    headings,
    index,
    links,
    metadata,
    stylesheet,
    syntax,
    tex,
    typeface,
    typography,
)
from publish.checks.base import CheckInput
from publish.diagnostics import Diagnostic

Check = Callable[[CheckInput], Iterable[Diagnostic]]

CHECKS: tuple[Check, ...] = (
    metadata.check_lang,
    metadata.check_identifier,
    metadata.check_date,
    metadata.check_series,
    metadata.check_cover,
    metadata.check_metadata_quotes,
    metadata.check_notes,
    headings.check_empty_chapter,
    headings.check_first_heading,
    headings.check_single_h1,
    headings.check_levels,
    headings.check_empty,
    headings.check_duplicate_titles,
    headings.check_numbering,
    headings.check_full_stop,
    links.check_footnotes,
    links.check_duplicate_ids,
    index.check_index,
    stylesheet.check_stylesheet,
    typography.check_quotes,
    typography.check_patterns,
    typography.check_dashes,
    syntax.check_syntax,
    tex.check_tex,
    tex.check_metadata_blocks,
    typography.check_quote_balance,
    typography.check_repeated_words,
    typeface.check_theme,
    typeface.check_glyphs,
    typeface.check_image_resolution,
    typeface.check_synthetic_styles,
    typeface.check_unshipped_faces,
)


def run_checks(given: CheckInput) -> list[Diagnostic]:
    """Every finding of every check, sorted by file and line."""
    return sorted(d for check in CHECKS for d in check(given))
